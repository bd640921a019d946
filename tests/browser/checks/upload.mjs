// Forms and files (issue 12): Swagger UI's "Try it out" on a
// multipart/form-data operation shows a file picker for an UploadFile
// field (documented as contentMediaType application/octet-stream) and
// uploads the chosen file with the other fields.
import assert from 'node:assert/strict';

export const checks = [
  {
    name: 'upload-try-it-out',
    async run(t) {
      const page = await t.page();
      page.setDefaultTimeout(15000);
      await page.goto(t.url('upload', '/docs'));
      await page.locator('.swagger-ui .info .title', { hasText: 'Upload check' }).waitFor();

      const op = page.locator('.opblock-post', { hasText: '/files' });
      await op.locator('.opblock-summary').click();
      await op.getByRole('button', { name: 'Try it out' }).click();
      const file = op.locator('input[type=file]');
      await file.waitFor({ state: 'attached' });
      await file.setInputFiles({ name: 'hello.txt', mimeType: 'text/plain', buffer: Buffer.from('hello from chromium') });
      await op.locator('input[placeholder="note"]').fill('tried out');
      await op.getByRole('button', { name: 'Execute' }).click();

      const status = op.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      const body = await op.locator('.live-responses-table tbody .response-col_description pre').first().innerText();
      assert.equal((await status.innerText()).trim(), '200', body);
      assert.deepEqual(JSON.parse(body), {
        filename: 'hello.txt', size: 19, content_type: 'text/plain', content: 'hello from chromium', note: 'tried out',
      });
      await status.scrollIntoViewIfNeeded();
      await t.screenshot(page, 'uploaded');
      const post = t.requests.find((r) => r.method === 'POST' && new URL(r.url).pathname === '/files');
      assert.ok(post, 'no POST /files was sent');
    },
  },
];

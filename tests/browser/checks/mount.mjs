// An App mounted under /sub (issue 14, "Mount and RootPath"): its Swagger UI
// page loads its assets and document under the prefix, and Try it out calls
// the route under the prefix.
import assert from 'node:assert/strict';

export const checks = [
  {
    name: 'swagger-ui-mounted-try-it-out',
    async run(t) {
      const page = await t.page();
      page.setDefaultTimeout(15000);
      await page.goto(t.url('docs-mounted', '/sub/docs'));
      await page.locator('.swagger-ui .info .title', { hasText: 'Browser check' }).waitFor();
      const op = page.locator('.opblock-get', { hasText: '/items/{item_id}' });
      await op.locator('.opblock-summary').click();
      await op.getByRole('button', { name: 'Try it out' }).click();
      await op.locator('input[placeholder="item_id"]').fill('7');
      await op.getByRole('button', { name: 'Execute' }).click();
      const status = op.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      assert.equal((await status.innerText()).trim(), '200');
      const body = await op.locator('.live-responses-table tbody .response-col_description pre').first().innerText();
      assert.deepEqual(JSON.parse(body), { item_id: 7 });
      await t.screenshot(page, 'executed');

      const got = t.requests.filter((r) => !r.blocked && r.url.startsWith('http')).map((r) => new URL(r.url).pathname);
      for (const p of ['/sub/docs', '/sub/docs/assets/swagger-ui-bundle.js', '/sub/openapi.json', '/sub/items/7']) {
        assert.ok(got.includes(p), `no request for ${p}; requests: ${got.join(' ')}`);
      }
      assert.ok(!got.includes('/items/7') && !got.includes('/openapi.json'), `a request missed the prefix: ${got.join(' ')}`);
    },
  },
];

// Security schemes (issue 13): Swagger UI's Authorize dialog takes a
// credential for every scheme of package security — HTTP Bearer, HTTP
// Basic, an API key header and the OAuth2 password flow (which posts the
// login form to the app's token URL) — and "Try it out" then sends it: each
// protected route answers 200 with the credential it received.
import assert from 'node:assert/strict';

// execute runs "Try it out" → "Execute" on the GET operation of path and
// returns the status and the parsed body.
async function execute(page, path) {
  const op = page.locator('.opblock-get', { hasText: path });
  await op.locator('.opblock-summary').click();
  await op.getByRole('button', { name: 'Try it out' }).click();
  await op.getByRole('button', { name: 'Execute' }).click();
  const status = op.locator('.live-responses-table tbody .response-col_status').first();
  await status.waitFor();
  const body = await op.locator('.live-responses-table tbody .response-col_description pre').first().innerText();
  return { status: (await status.innerText()).trim().split('\n')[0], body: JSON.parse(body) };
}

export const checks = [
  {
    name: 'security-swagger-ui-authorize',
    async run(t) {
      const open = async () => {
        const page = await t.page();
        page.setDefaultTimeout(15000);
        await page.goto(t.url('security', '/docs'));
        await page.locator('.swagger-ui .info .title', { hasText: 'Security check' }).waitFor();
        return page;
      };
      // Without authorizing, a protected route refuses.
      const before = await execute(await open(), '/bearer/me');
      assert.equal(before.status, '401');
      assert.deepEqual(before.body, { detail: 'Not authenticated' });

      const page = await open();

      await page.locator('.auth-wrapper .authorize').click();
      const modal = page.locator('.modal-ux');
      await modal.waitFor();
      // One form per scheme, each with its own Authorize button.
      const form = (name) => modal.locator('form', { hasText: name });
      await form('HTTPBearer (http, Bearer)').locator('input[aria-label="auth-bearer-value"]').fill('bearer-secret');
      await form('HTTPBearer (http, Bearer)').getByRole('button', { name: 'Apply credentials' }).click();
      await form('HTTPBasic (http, Basic)').locator('input[aria-label="auth-basic-username"]').fill('bob');
      await form('HTTPBasic (http, Basic)').locator('input[aria-label="auth-basic-password"]').fill('builder');
      await form('HTTPBasic (http, Basic)').getByRole('button', { name: 'Apply credentials' }).click();
      await form('APIKeyHeader (apiKey)').locator('input[type="text"]').fill('key-123');
      await form('APIKeyHeader (apiKey)').getByRole('button', { name: 'Apply credentials' }).click();
      // The OAuth2 password flow: the dialog posts the login form to /token.
      const oauth = modal.locator('.auth-container', { hasText: 'OAuth2PasswordBearer' });
      await oauth.locator('#oauth_username').fill('alice');
      await oauth.locator('#oauth_password').fill('wonderland');
      // The scope's checkbox is styled: its label takes the click.
      await oauth.locator('label[for="read-password-checkbox-OAuth2PasswordBearer"]').click();
      assert.equal(await oauth.locator('#read-password-checkbox-OAuth2PasswordBearer').isChecked(), true);
      await oauth.getByRole('button', { name: 'Apply given OAuth2 credentials' }).click();
      await oauth.getByRole('button', { name: 'Remove authorization' }).waitFor();
      await t.screenshot(page, 'authorized');
      await modal.getByRole('button', { name: 'Close' }).first().click();

      const oauth2 = await execute(page, '/oauth2/me');
      assert.equal(oauth2.status, '200');
      assert.deepEqual(oauth2.body, { token: 'tok-alice-read' });
      const bearer = await execute(page, '/bearer/me');
      assert.equal(bearer.status, '200');
      assert.deepEqual(bearer.body, { token: 'bearer-secret' });
      const basic = await execute(page, '/basic/me');
      assert.equal(basic.status, '200');
      assert.deepEqual(basic.body, { username: 'bob', password: 'builder' });
      const key = await execute(page, '/apikey/me');
      assert.equal(key.status, '200');
      assert.deepEqual(key.body, { key: 'key-123' });
      await t.screenshot(page, 'executed');

      const token = t.requests.find((r) => r.method === 'POST' && new URL(r.url).pathname === '/token');
      assert.ok(token, 'the dialog did not post to /token');
    },
  },
  {
    name: 'security-oauth2-redirect-page',
    async run(t) {
      const page = await t.page();
      const res = await page.goto(t.url('security', '/docs/oauth2-redirect'));
      assert.equal(res.status(), 200);
      assert.match(await page.content(), /oauth2/i);
    },
  },
];

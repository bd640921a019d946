// The docs pages (issue 14, "Docs pages offline"): with docsui's assets
// /docs and /redoc render and work with nothing but 127.0.0.1; with the
// default CDN assets and no network they show a readable message instead
// of a blank page, whether the CDN fails at once or never answers.
import assert from 'node:assert/strict';

const fallback = '#brisk-docs-fallback';

// paths lists the local paths requested, without the query.
function paths(t) {
  return t.requests.filter((r) => !r.blocked && r.url.startsWith('http')).map((r) => new URL(r.url).pathname);
}

export const checks = [
  {
    name: 'swagger-ui-local-try-it-out',
    async run(t) {
      const page = await t.page();
      page.setDefaultTimeout(15000);
      await page.goto(t.url('docs-local', '/docs'));
      await page.locator('.swagger-ui .info .title', { hasText: 'Browser check' }).waitFor();
      assert.equal(await page.locator(fallback).isHidden(), true, 'the fallback message shows over a working page');
      // The stylesheet applied: Swagger UI's own rule, not the browser's default.
      const bg = await page.locator('.opblock-get').first().evaluate((e) => getComputedStyle(e).backgroundColor);
      assert.notEqual(bg, 'rgba(0, 0, 0, 0)', 'swagger-ui.css did not apply');

      const op = page.locator('.opblock-get', { hasText: '/items/{item_id}' });
      await op.locator('.opblock-summary').click();
      await op.getByRole('button', { name: 'Try it out' }).click();
      await op.locator('input[placeholder="item_id"]').fill('42');
      await op.locator('input[placeholder="q"]').fill('shiny');
      await op.getByRole('button', { name: 'Execute' }).click();
      const status = op.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor();
      assert.equal((await status.innerText()).trim(), '200');
      const body = await op.locator('.live-responses-table tbody .response-col_description pre').first().innerText();
      assert.deepEqual(JSON.parse(body), { item_id: 42, q: 'shiny' });
      await status.scrollIntoViewIfNeeded();
      await t.screenshot(page, 'executed');

      const got = paths(t);
      for (const p of ['/docs', '/docs/assets/swagger-ui-bundle.js', '/docs/assets/swagger-ui.css', '/openapi.json', '/items/42']) {
        assert.ok(got.includes(p), `no request for ${p}; requests: ${got.join(' ')}`);
      }
    },
  },
  {
    name: 'redoc-local',
    async run(t) {
      const page = await t.page();
      page.setDefaultTimeout(15000);
      await page.goto(t.url('docs-local', '/redoc'));
      await page.locator('h1', { hasText: 'Browser check' }).waitFor();
      await page.locator('h2', { hasText: 'Read an item' }).waitFor();
      await page.getByText('API docs by Redocly').waitFor();
      assert.equal(await page.locator(fallback).isHidden(), true, 'the fallback message shows over a working page');
      const imgs = await page.locator('img').evaluateAll((els) => els.map((e) => e.src));
      assert.deepEqual(imgs.filter((s) => !s.startsWith(new URL(page.url()).origin) && !s.startsWith('data:')), [],
        'an image from elsewhere');
      await t.screenshot(page, 'rendered');
      assert.ok(paths(t).includes('/docs/assets/redoc.standalone.js'), paths(t).join(' '));
    },
  },
  {
    // The default page, offline: the CDN fails at once (as when no name
    // resolves); the page says why and how to serve the assets locally.
    name: 'cdn-offline-fallback',
    allowExternal: true,
    async run(t) {
      for (const [path, what] of [['/docs', 'Swagger UI'], ['/redoc', 'ReDoc']]) {
        const page = await t.page();
        page.setDefaultTimeout(15000);
        await page.goto(t.url('docs-cdn', path));
        const msg = page.locator(fallback);
        await msg.waitFor({ state: 'visible' });
        const text = await msg.innerText();
        assert.match(text, new RegExp(`The docs page could not load ${what}`));
        assert.match(text, /no internet access/);
        assert.match(text, /brisk\.New\(brisk\.Config\{DocsAssets: docsui\.Assets\}\)/);
        assert.match(text, /OpenAPI document itself is at \/openapi\.json/);
        if (path === '/docs') await t.screenshot(page, 'swagger-ui');
      }
      assert.ok(t.external.some((u) => u.startsWith('https://cdn.jsdelivr.net/npm/swagger-ui-dist@')), t.external.join(' '));
      assert.ok(t.external.some((u) => u.startsWith('https://cdn.jsdelivr.net/npm/redoc@')), t.external.join(' '));
    },
  },
  {
    // A closed network that never answers: the message shows after the
    // page's timeout (the page's clock is Playwright's, run forward).
    name: 'cdn-hanging-fallback',
    allowExternal: true,
    async run(t) {
      t.onExternal = () => {}; // never answered
      for (const path of ['/docs', '/redoc']) {
        const page = await t.page();
        page.setDefaultTimeout(15000);
        await page.clock.install();
        await page.goto(t.url('docs-cdn', path), { waitUntil: 'commit' });
        const msg = page.locator(fallback);
        await msg.waitFor({ state: 'attached' });
        await page.clock.runFor(9000);
        assert.equal(await msg.isHidden(), true, `${path}: the message shows before the timeout`);
        await page.clock.runFor(1500);
        await msg.waitFor({ state: 'visible' });
        assert.match(await msg.innerText(), /could not load/);
      }
    },
  },
];

// Streaming (issue 15): a browser's EventSource receives typed Server-Sent
// Events from an EventStream route, and when the stream ends it reconnects
// and resumes with Last-Event-ID, which the route reads like any header.
import assert from 'node:assert/strict';

export const checks = [
  {
    name: 'sse-eventsource-reconnect',
    async run(t) {
      const page = await t.page();
      page.setDefaultTimeout(15000);
      await page.goto(t.url('sse', '/'));
      await page.waitForFunction(() => window.finished === true);
      const received = await page.evaluate(() => window.received);
      assert.deepEqual(received, [
        { type: 'tick', data: { n: 1 }, id: '1' },
        { type: 'tick', data: { n: 2 }, id: '2' },
        { type: 'tick', data: { n: 3 }, id: '3' },
        { type: 'done', data: 'bye', id: '3' },
      ]);
      assert.equal(await page.evaluate(() => window.opens), 2, 'one reconnection');
      const seen = await (await fetch(t.url('sse', '/seen'))).json();
      assert.deepEqual(seen, ['', '2'], 'the reconnection sent Last-Event-ID: 2');
      await t.screenshot(page, 'events');
    },
  },
];

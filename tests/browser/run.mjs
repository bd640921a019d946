// Runs Brisk's browser checks: builds and starts the Go server (./server,
// every app on its own port of 127.0.0.1), launches Debian's Chromium through
// playwright-core, and runs each check exported by ./checks/*.mjs in a fresh
// browser context. Every request a page makes to a host other than
// 127.0.0.1 is blocked and recorded; a check fails if any was made, unless
// it says allowExternal (then they are only blocked: offline on purpose).
//
//   node run.mjs [filter...]    runs the checks whose name contains a filter
//
// Environment: BRISK_CHROMIUM (default /usr/bin/chromium), BRISK_BROWSER_OUT
// (screenshots, default ./out). See README.md for how to add a check.
import { chromium } from 'playwright-core';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const outDir = process.env.BRISK_BROWSER_OUT || join(here, 'out');
const executablePath = process.env.BRISK_CHROMIUM || '/usr/bin/chromium';
const filters = process.argv.slice(2);

// The common flags for Brisk's browser checks: nothing of Chromium's own
// goes online, and no name but 127.0.0.1 resolves (a second wall behind the
// request blocking below). Playwright gives each launch a fresh profile
// (--user-data-dir in a new temporary folder).
const chromiumArgs = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

// Loopback only: the checks' apps listen on 127.0.0.1; data: and blob: URLs
// never leave the page.
function isLocal(url) {
  const u = new URL(url);
  if (u.protocol === 'data:' || u.protocol === 'blob:' || u.protocol === 'about:') return true;
  return u.hostname === '127.0.0.1';
}

async function loadChecks() {
  const files = readdirSync(join(here, 'checks')).filter((f) => f.endsWith('.mjs')).sort();
  const checks = [];
  for (const f of files) {
    const mod = await import(join(here, 'checks', f));
    for (const c of mod.checks || []) checks.push({ ...c, file: f });
  }
  return checks.filter((c) => filters.length === 0 || filters.some((f) => c.name.includes(f)));
}

// startServer builds ./server and starts it; resolves to the apps' URLs.
async function startServer(tmp) {
  const bin = join(tmp, 'browser-server');
  execFileSync('go', ['build', '-o', bin, './server'], { cwd: here, stdio: 'inherit' });
  const proc = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: proc.stdout });
  const first = await new Promise((resolve, reject) => {
    lines.once('line', resolve);
    proc.once('exit', (code) => reject(new Error(`browser server exited (${code}) before listening`)));
  });
  return { urls: JSON.parse(first), proc };
}

function stopServer(proc) {
  return new Promise((resolve) => {
    if (proc.exitCode !== null) return resolve();
    proc.once('exit', resolve);
    proc.stdin.end(); // the server shuts down when stdin closes
  });
}

// harness is what a check's run(t) gets.
function harness(browser, urls, check) {
  const contexts = [];
  const external = [];
  const t = {
    // url returns the URL of path on the app registered as name.
    url(name, path = '/') {
      if (!urls[name]) throw new Error(`no app named ${name} (server/apps_*.go register them)`);
      return urls[name] + path;
    },
    // requests: every request made by this check's pages (popups too),
    // as {url, method, resourceType, blocked}.
    requests: [],
    // page opens a page in a new browser context; options go to
    // browser.newContext (viewport, clock via the page, ...).
    async page(options = {}) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
      contexts.push(context);
      context.on('request', (req) => t.requests.push({
        url: req.url(), method: req.method(), resourceType: req.resourceType(), blocked: !isLocal(req.url()),
      }));
      await context.route('**/*', (route) => {
        if (isLocal(route.request().url())) return route.continue();
        external.push(route.request().url());
        return t.onExternal ? t.onExternal(route) : route.abort('internetdisconnected');
      });
      return context.newPage();
    },
    // onExternal, when a check sets it, answers blocked requests instead
    // of aborting them (e.g. never answering, to test a hanging network).
    onExternal: null,
    // screenshot saves out/<check>-<name>.png and returns its path.
    async screenshot(page, name) {
      mkdirSync(outDir, { recursive: true });
      const path = join(outDir, `${check.name}-${name}.png`.replace(/[^a-zA-Z0-9._-]+/g, '_'));
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    external,
  };
  return { t, close: () => Promise.all(contexts.map((c) => c.close())) };
}

// attempt runs one check in fresh contexts and returns its error, if any.
async function attempt(browser, urls, check) {
  const { t, close } = harness(browser, urls, check);
  try {
    await check.run(t);
    if (!check.allowExternal && t.external.length > 0) {
      throw new Error(`requests left 127.0.0.1:\n  ${[...new Set(t.external)].join('\n  ')}`);
    }
    return null;
  } catch (e) {
    return e;
  } finally {
    await close();
  }
}

async function main() {
  const checks = await loadChecks();
  if (checks.length === 0) throw new Error(`no check matches ${filters.join(' ')}`);
  const tmp = mkdtempSync(join(tmpdir(), 'brisk-browser-'));
  let server;
  let browser;
  let passed = 0;
  let failed = 0;
  try {
    server = await startServer(tmp);
    browser = await chromium.launch({ executablePath, args: chromiumArgs, headless: true });
    console.log(`chromium ${browser.version()}, ${checks.length} checks`);
    for (const check of checks) {
      const start = Date.now();
      let err = await attempt(browser, server.urls, check);
      if (err && !String(err.message).startsWith('requests left')) {
        // CI machines are shared and a browser on a loaded one can miss a
        // step's timing: a check that fails is run once more, and fails the
        // run only if it fails again (both failures are printed).
        console.log(`retry ${check.name}: ${String(err.message).split('\n')[0]}`);
        err = await attempt(browser, server.urls, check);
      }
      const ms = Date.now() - start;
      if (err) {
        failed++;
        console.log(`FAIL ${check.name} (${check.file}, ${ms} ms)\n  ${String(err.stack || err).split('\n').join('\n  ')}`);
      } else {
        passed++;
        console.log(`ok   ${check.name} (${ms} ms)`);
      }
    }
  } finally {
    if (browser) await browser.close();
    if (server) await stopServer(server.proc);
    rmSync(tmp, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});

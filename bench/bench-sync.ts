// npm run bench:sync — a remote platform with 100,000 keys (`keyhold serve`'s server, its own
// process) synced by the app as the window runs it: the app's services in their own process (the
// UI harness), the real window in Chromium, a byte-counting proxy between them and the platform.
// Times are taken in the window: from the click on "Save" in the add dialog until the table counts
// every key (first sync), and from a click on "Sync" until its progress line is gone (incremental,
// after 100 keys changed on the platform). Bytes are both directions through the proxy. The window's
// count of keys is watched throughout: it must never go down. After ten more syncs of 100 changes
// each: the window's renderer RSS and the app services' process RSS.
// Last line: RESULT first_sync_100k_ms= incremental_sync_100_of_100k_ms= incremental_bytes=
// window_rss_mb_after_10_syncs= (targets: under 5,000; under 500; under 100,000; under 300).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from '@playwright/test';
import { KeyholdClient } from '../src/sdk';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/support/chromium';
import { seedInventory } from './seed-inventory';

const KEYS = Number(process.env.BENCH_KEYS ?? 100_000);
const CHANGES = 100;
const MORE_SYNCS = 10;

/** Starts a child and resolves with the first stdout line matching `ready`. */
function startChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  ready: RegExp,
): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  // Its own process group, so stopping it stops npx's children too.
  const child = spawn('npx', ['tsx', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true,
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      const match = ready.exec(line);
      if (match) resolve({ child, match });
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code} before it was ready`)));
  });
}

/** A TCP proxy to `port` that counts the bytes it carries both ways. */
async function countingProxy(port: number): Promise<{ server: Server; url: string; bytes: () => number }> {
  let bytes = 0;
  const server = createServer((client) => {
    const upstream = tcpConnect(port, '127.0.0.1');
    client.on('data', (chunk) => {
      bytes += chunk.length;
    });
    upstream.on('data', (chunk) => {
      bytes += chunk.length;
    });
    client.pipe(upstream).pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', close);
    upstream.on('error', close);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${address.port}`, bytes: () => bytes };
}

const rssMb = (pid: number): number => {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
  return line ? Number(line[1]) / 1024 : NaN;
};

/** The processes under `pid`, with their command lines. */
function descendants(pid: number): { pid: number; args: string }[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const parent = Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; args: string }[] = [];
  const visit = (id: number) => {
    for (const child of children.get(id) ?? []) {
      try {
        found.push({ pid: child, args: readFileSync(`/proc/${child}/cmdline`, 'utf8').replaceAll('\0', ' ') });
      } catch {
        // gone meanwhile
      }
      visit(child);
    }
  };
  visit(pid);
  return found;
}

/** The window's count of keys, as a number (null before it shows one). */
const shownCount = (page: Page) =>
  page.evaluate(() => {
    const text = document.querySelector('[data-testid="keys-count"]')?.textContent ?? '';
    const match = /([\d,]+) of ([\d,]+) keys/.exec(text);
    return match ? Number((match[2] as string).replaceAll(',', '')) : null;
  });

/** Records every total the window's key count shows, with its time, from now on. */
async function watchCount(page: Page): Promise<void> {
  await page.evaluate(() => {
    const seen: { at: number; total: number }[] = [];
    (window as unknown as { counts: typeof seen }).counts = seen;
    const look = () => {
      const text = document.querySelector('[data-testid="keys-count"]')?.textContent ?? '';
      const match = /([\d,]+) of ([\d,]+) keys/.exec(text);
      const total = match ? Number((match[2] as string).replaceAll(',', '')) : null;
      if (total !== null && seen.at(-1)?.total !== total) seen.push({ at: performance.now(), total });
    };
    new MutationObserver(look).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

const countsOf = (page: Page) =>
  page.evaluate(() => (window as unknown as { counts: { at: number; total: number }[] }).counts);

/** Clicks "Sync" and resolves with the ms until its progress line is gone, timed in the window. */
async function timedSync(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const button = document.querySelector('[data-testid="sync"]') as HTMLElement;
    const start = performance.now();
    button.click();
    const syncing = () => document.querySelector('[data-testid="sync-progress"]') !== null;
    while (!syncing()) await new Promise((frame) => requestAnimationFrame(frame));
    while (syncing()) await new Promise((frame) => requestAnimationFrame(frame));
    return performance.now() - start;
  });
}

async function changeKeys(client: KeyholdClient, round: number): Promise<void> {
  const { data } = await client.apiKeys.list('me', { include_subaccounts: true, limit: CHANGES, sort: 'label' });
  await Promise.all(
    data.map((key, i) => client.apiKeys.update(key.account_id, key.id, { label: `${key.label} r${round}.${i}` })),
  );
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-bench-sync-'));
  const children: ChildProcess[] = [];
  let result = '';
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: [...CHROMIUM_ARGS, '--headless'] });
  try {
    const seeding = Date.now();
    await seedInventory(dir, KEYS);
    console.log(`seeded ${KEYS.toLocaleString('en-US')} keys in ${((Date.now() - seeding) / 1000).toFixed(1)} s`);
    const platform = await startChild(
      ['bench/server-process.ts', join(dir, 'platform.db'), 'auth'],
      {},
      /^READY (\S+) (\S+)/,
    );
    children.push(platform.child);
    const [, serverUrl, apiKey] = platform.match as unknown as [string, string, string];
    const proxy = await countingProxy(Number(new URL(serverUrl).port));
    const direct = new KeyholdClient({ baseUrl: serverUrl, apiKey });
    const expected = (await direct.accounts.changes('me', { limit: 1 })).total as number;

    const app = await startChild(
      ['test/harness/serve.ts'],
      { KEYHOLD_DATA_DIR: join(dir, 'app'), PORT: '0' },
      /on (http:\/\/\S+) /,
    );
    children.push(app.child);
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    // tsx names the functions this script hands to page.evaluate with a helper the page lacks.
    await page.addInitScript({ content: 'window.__name = (fn) => fn;' });
    await page.goto((app.match as RegExpMatchArray)[1] as string);
    await page.getByTestId('add-connection').waitFor();

    // The first sync, from "Save" in the add dialog.
    await page.getByTestId('add-connection').click();
    await page.getByTestId('conn-name').fill('Bench platform');
    await page.getByTestId('conn-url').fill(proxy.url);
    await page.getByTestId('conn-key').fill(apiKey);
    await page.getByTestId('conn-test').click();
    await page.getByTestId('conn-result').filter({ hasText: 'Connected' }).waitFor();
    await watchCount(page);
    const before = proxy.bytes();
    const saved = await page.evaluate(() => {
      (document.querySelector('[data-testid="conn-save"]') as HTMLElement).click();
      return performance.now();
    });
    await page.getByTestId('conn-save').waitFor({ state: 'detached', timeout: 60_000 });
    const dialogClosed = await page.evaluate(() => performance.now());
    await page.waitForFunction(
      (total) => {
        const text = document.querySelector('[data-testid="keys-count"]')?.textContent ?? '';
        return text.includes(`${total} of ${total} keys`);
      },
      expected.toLocaleString('en-US'),
      { timeout: 120_000 },
    );
    await page.getByTestId('sync-progress').waitFor({ state: 'detached', timeout: 60_000 });
    const firstCounts = await countsOf(page);
    const everyKey = (firstCounts.find((seen) => seen.total === expected)?.at ?? NaN) - saved;
    const firstBytes = proxy.bytes() - before;
    console.log(
      `first sync: every key shown ${everyKey.toFixed(0)} ms after Save (the dialog closed after ` +
        `${(dialogClosed - saved).toFixed(0)} ms), ${(firstBytes / 1e6).toFixed(1)} MB, ` +
        `the count went ${firstCounts.map((seen) => seen.total).join(' → ')}`,
    );

    // Incremental syncs, 100 changes each: the first timed, then ten more for memory.
    const incremental: { ms: number; bytes: number }[] = [];
    for (let round = 0; round <= MORE_SYNCS; round++) {
      await changeKeys(direct, round);
      const from = proxy.bytes();
      const ms = await timedSync(page);
      incremental.push({ ms, bytes: proxy.bytes() - from });
      if ((await shownCount(page)) !== expected)
        throw new Error(`after sync ${round + 1} the window counts ${await shownCount(page)} keys`);
    }
    const counts = (await countsOf(page)).map((seen) => seen.total);
    const drops = counts.filter((total, i) => i > 0 && total < (counts[i - 1] as number)).length;
    // Let the window's garbage go, as it would while the admin reads: a GC through the DevTools protocol.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const renderers = descendants(process.pid).filter((proc) => proc.args.includes('--type=renderer'));
    const windowRss = Math.max(...renderers.map((proc) => rssMb(proc.pid)));
    if (process.env.BENCH_VERBOSE)
      for (const proc of renderers) console.log(`renderer ${proc.pid}: ${rssMb(proc.pid).toFixed(0)} MB`);
    const services = descendants(app.child.pid as number).filter((proc) => /serve\.ts/.test(proc.args));
    const servicesRss = Math.max(...services.map((proc) => rssMb(proc.pid)));
    const [first] = incremental as [{ ms: number; bytes: number }];
    console.log(
      `incremental syncs of ${CHANGES} changes: ${incremental.map((each) => each.ms.toFixed(0)).join(', ')} ms, ` +
        `${incremental.map((each) => (each.bytes / 1000).toFixed(1)).join(', ')} KB; the count dropped ${drops} times`,
    );
    console.log(
      `after ${MORE_SYNCS + 1} incremental syncs: window renderer RSS ${windowRss.toFixed(0)} MB ` +
        `(JavaScript heap ${(heap.usedSize / 1e6).toFixed(0)} of ${(heap.totalSize / 1e6).toFixed(0)} MB), ` +
        `app services process RSS ${servicesRss.toFixed(0)} MB (the harness under tsx, where Electron's main is bundled)`,
    );
    result =
      `RESULT first_sync_100k_ms=${everyKey.toFixed(0)} incremental_sync_100_of_100k_ms=${first.ms.toFixed(0)} ` +
      `incremental_bytes=${first.bytes} window_rss_mb_after_10_syncs=${windowRss.toFixed(0)} count_drops=${drops}`;
  } finally {
    await browser.close();
    await Promise.all(
      children.map((child) => {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        process.kill(-(child.pid as number), 'SIGTERM');
        return exited;
      }),
    );
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(result); // last, after the children's own last words
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

// Runs the built renderer in a plain browser against the real main-process services.
// The renderer code is unchanged; only the transport differs: HTTP on 127.0.0.1 carries the same
// contract that Electron IPC carries in the app, through the same router (registerRouter).
//
// It serves secrets (secrets:reveal), so only its own page may talk to it: every request needs the
// per-run token (in the URL it prints, then an HttpOnly SameSite=Strict cookie), the Host header
// must be its own loopback address (no DNS rebinding), and IPC calls also need the page's Origin.
// Any other local process, another user's included, gets 401.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import { build } from 'vite';
import { openKeychain } from '../../src/keychain/keychain';
import type { Clipboard } from '../../src/main/app/clipboard-guard';
import { createApp, type KeyholdApp } from '../../src/main/app/create-app';
import type { Notice, Notifier } from '../../src/main/app/expiry-notices';
import type { WorkerFile } from '../../src/main/app/worker-file';
import { RENDERER_CONTENT_TYPES } from '../../src/main/electron/app-protocol';
import { type InvokeEventLike, registerRouter } from '../../src/main/ipc/router';
import type { AppInfo } from '../../src/shared/app-info';
import type { EventName, EventPayload } from '../../src/shared/ipc/contract';
import { encodeAnswer } from './ipc-answer';

const ROOT = resolve(__dirname, '../..');

export interface HarnessOptions {
  dataDir: string;
  rendererDir?: string;
  port?: number;
  clipboardClearMs?: number;
}

/**
 * Stands in for Electron's clipboard, which cannot exist without the Electron binary. The copy and
 * clear-after-30-s logic under test (ClipboardGuard) is the app's own; only the OS clipboard is replaced.
 */
export class HarnessClipboard implements Clipboard {
  private text = '';
  async readText(): Promise<string> {
    return this.text;
  }
  async writeText(text: string): Promise<void> {
    this.text = text;
  }
  clear(): void {
    this.text = '';
  }
}

/**
 * Stands in for Electron's Notification (no Electron binary here): records each expiry notice and
 * lets a test click it. The schedule and the click's effect are the app's own.
 */
export class HarnessNotifier implements Notifier {
  readonly shown: Array<{ notice: Notice; click: () => void }> = [];
  show(notice: Notice, onClick: () => void): void {
    this.shown.push({ notice, click: onClick });
  }
}

export interface Harness {
  /** The page's address, with the run's token: the only way in. */
  url: string;
  /** Where it listens, without the token. */
  origin: string;
  app: KeyholdApp;
  clipboard: HarnessClipboard;
  notifier: HarnessNotifier;
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  close(): Promise<void>;
}

/** A script of the harness's own (bridge.ts, ipc-worker.ts), built as one classic script. */
async function buildScript(name: string): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: {
        entry: join(ROOT, `test/harness/${name}.ts`),
        formats: ['iife'],
        name: 'keyholdHarness',
        fileName: name,
      },
    },
  });
  const bundles = Array.isArray(output) ? output : [output];
  for (const bundle of bundles) {
    if ('output' in bundle) return bundle.output[0].code;
  }
  throw new Error(`the harness's ${name}.ts did not build`);
}

/**
 * Main's saved-view worker built as the app builds it (one JavaScript file), once per process:
 * from the sources through tsx it compiled its modules at each start, a few hundred milliseconds
 * of CPU beside the window's own start that the app does not spend.
 */
let viewHeadWorker: Promise<WorkerFile> | undefined;
function builtViewHeadWorker(): Promise<WorkerFile> {
  viewHeadWorker ??= (async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'keyhold-harness-worker-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    await build({
      configFile: false,
      logLevel: 'silent',
      ssr: { noExternal: true },
      build: {
        ssr: join(ROOT, 'src/main/app/view-head-worker.ts'),
        outDir,
        minify: false,
        rolldownOptions: { output: { format: 'cjs', entryFileNames: 'view-head-worker.js' } },
      },
    });
    return { file: join(outDir, 'view-head-worker.js'), execArgv: [] };
  })();
  return viewHeadWorker;
}

function harnessInfo(dataDir: string, version: string): AppInfo {
  return {
    name: 'Keyhold',
    version,
    dataDir,
    platform: process.platform,
    arch: process.arch,
    host: 'harness',
    versions: { node: process.versions.node, electron: null, chrome: null },
  };
}

class BadRequest extends Error {}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest('request: the body is not JSON');
  }
}

const COOKIE = 'keyhold_harness';

function cookieOf(request: IncomingMessage): string | null {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && value) return value;
  }
  return null;
}

const sameToken = (given: string | null, token: string) =>
  given !== null && given.length === token.length && timingSafeEqual(Buffer.from(given), Buffer.from(token));

const json = (response: ServerResponse, status: number, body: unknown) =>
  void response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));

export async function startHarness(options: HarnessOptions): Promise<Harness> {
  const rendererDir = options.rendererDir ?? join(ROOT, 'out/renderer');
  const indexHtml = await readFile(join(rendererDir, 'index.html'), 'utf8').catch(() => {
    throw new Error(`No built renderer in ${rendererDir}: run 'npm run build' first.`);
  });
  // The bridge must define window.keyhold before the app's module script runs.
  const page = indexHtml.replace('<head>', '<head>\n    <script src="/__harness/bridge.js"></script>');
  const scripts = new Map([
    ['/__harness/bridge.js', await buildScript('bridge')],
    ['/__harness/ipc-worker.js', await buildScript('ipc-worker')],
  ]);
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  const streams = new Set<ServerResponse>();
  const emit: Harness['emit'] = (event, payload) => {
    for (const stream of streams) stream.write(`data: ${JSON.stringify({ event, payload })}\n\n`);
  };
  const clipboard = new HarnessClipboard();
  const notifier = new HarnessNotifier();
  const app = await createApp({
    info: harnessInfo(options.dataDir, pkg.version),
    log: (line) => console.error(line),
    keychain: await openKeychain(),
    clipboard,
    emit,
    userName: userInfo().username,
    notifier,
    viewHeadWorker: await builtViewHeadWorker(),
    ...(options.clipboardClearMs ? { clipboardClearMs: options.clipboardClearMs } : {}),
  });

  const handlers = new Map<string, (event: InvokeEventLike, request: unknown) => Promise<unknown>>();
  let origin = '';
  registerRouter(
    { handle: (channel, listener) => handlers.set(channel, listener) },
    {
      handlers: app.handlers,
      // The browser's Origin header plays the part of Electron's senderFrame.url.
      isTrustedSender: (event) => event.senderFrame?.url === origin,
      log: (line) => console.error(line),
    },
  );

  const token = randomBytes(24).toString('base64url');
  const server = createServer((request, response) => {
    void route(request, response).catch((error: unknown) => {
      if (error instanceof BadRequest)
        return json(response, 400, { ok: false, error: { code: 'invalid_request', message: error.message } });
      json(response, 500, {
        ok: false,
        error: { code: 'internal', message: 'The harness failed to handle this request.' },
      });
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.headers.host !== new URL(origin).host) {
      return json(response, 403, { ok: false, error: { code: 'forbidden', message: 'Host: not this harness' } });
    }
    const url = new URL(request.url ?? '/', origin);
    const fromUrl = url.searchParams.get('token');
    if (!sameToken(cookieOf(request), token) && !sameToken(fromUrl, token)) {
      return json(response, 401, {
        ok: false,
        error: { code: 'unauthorized', message: 'Open the address the harness printed.' },
      });
    }
    if (fromUrl !== null) {
      // The token moves from the address bar into a cookie other sites can neither read nor send.
      response.setHeader('set-cookie', `${COOKIE}=${token}; Path=/; HttpOnly; SameSite=Strict`);
    }
    if (url.pathname.startsWith('/__harness/ipc/') && request.method === 'POST') {
      const handler = handlers.get(decodeURIComponent(url.pathname.slice('/__harness/ipc/'.length)));
      if (!handler) return void response.writeHead(404).end();
      const result = await handler({ senderFrame: { url: request.headers.origin ?? '' } }, await readBody(request));
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      for (const part of encodeAnswer(result)) response.write(part);
      return void response.end();
    }
    if (url.pathname === '/__harness/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store' });
      response.write(': connected\n\n');
      streams.add(response);
      request.on('close', () => streams.delete(response));
      return;
    }
    const script = scripts.get(url.pathname);
    if (script !== undefined) {
      return void response.writeHead(200, { 'content-type': RENDERER_CONTENT_TYPES['.js'] }).end(script);
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      return void response.writeHead(200, { 'content-type': RENDERER_CONTENT_TYPES['.html'] }).end(page);
    }
    const file = normalize(join(rendererDir, url.pathname));
    if (!file.startsWith(rendererDir)) return void response.writeHead(403).end();
    const body = await readFile(file).catch(() => null);
    if (!body) return void response.writeHead(404).end();
    response
      .writeHead(200, { 'content-type': RENDERER_CONTENT_TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(body);
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    app,
    clipboard,
    notifier,
    emit,
    async close() {
      for (const stream of streams) stream.end();
      // Drop open connections first: a keep-alive socket or a request still in flight would hold close().
      const closed = new Promise<void>((done) => server.close(() => done()));
      server.closeAllConnections();
      await closed;
      await app.close();
    },
  };
}

// The renderer is served from app://keyhold/, a privileged, standard and secure scheme of the
// app's own, instead of file://: a file:// page may read any other local file the user can, and
// shares its origin with every file on disk. Pure, so it is tested without an Electron binary;
// window.ts registers it with Electron's protocol module.
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, join, relative } from 'node:path';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';

export const APP_SCHEME = 'app';
export const APP_HOST = 'keyhold';
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * What registerSchemesAsPrivileged takes, before the app is ready. codeCache: V8 keeps the compiled
 * code of the renderer's scripts between starts (off by default for a custom scheme), so a start
 * after the first ones does not compile the first screen's code again.
 */
export const APP_SCHEME_PRIVILEGES = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
} as const;

/** The file types the built renderer ships, and their Content-Type (the UI harness serves them too). */
export const RENDERER_CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

/**
 * The file under rendererDir an app:// URL names, or null: another host, a path that climbs out
 * of the folder (also percent-encoded), or a type the renderer does not ship.
 */
export function appFileFor(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST) return null;
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  if (path.includes('\0')) return null;
  const file = join(rendererDir, path === '/' ? 'index.html' : path);
  const inside = relative(rendererDir, file);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return RENDERER_CONTENT_TYPES[extname(file)] ? file : null;
}

/** Answers one app:// request from the built renderer, with the app's CSP on every page. */
export async function answerAppRequest(rendererDir: string, request: Request): Promise<Response> {
  const file = appFileFor(rendererDir, request.url);
  if (file === null || request.method !== 'GET') return new Response('Not found', { status: 404 });
  try {
    return new Response(await readFile(file), {
      headers: {
        'content-type': RENDERER_CONTENT_TYPES[extname(file)] as string,
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'x-content-type-options': 'nosniff',
      },
    });
  } catch {
    return new Response('Not found', { status: 404 });
  }
}

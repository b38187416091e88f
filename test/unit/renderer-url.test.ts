// Which page the window loads, how app:// answers, and which frames count as the app's own (the
// pure part of the Electron shell: no Electron binary here, so the shell's calls into Electron's
// protocol module are not exercised; these functions are what it hands each request to).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP_INDEX_URL, answerAppRequest, appFileFor } from '../../src/main/electron/app-protocol';
import { CONTENT_SECURITY_POLICY } from '../../src/main/electron/content-security-policy';
import { isAppUrl, rendererUrl } from '../../src/main/electron/renderer-url';

describe('the renderer URL', () => {
  it('honours ELECTRON_RENDERER_URL only in development, never in a packaged app', () => {
    expect(rendererUrl(false, 'http://localhost:5173')).toBe('http://localhost:5173');
    expect(rendererUrl(true, 'http://evil.example')).toBe('app://keyhold/index.html');
    expect(rendererUrl(false, undefined)).toBe('app://keyhold/index.html');
  });

  it('takes only the app’s own page as a sender', () => {
    expect(isAppUrl(APP_INDEX_URL, 'app://keyhold/index.html#/keys')).toBe(true);
    expect(isAppUrl(APP_INDEX_URL, 'app://other/index.html')).toBe(false);
    expect(isAppUrl(APP_INDEX_URL, 'file:///app/out/renderer/index.html')).toBe(false);
    expect(isAppUrl(APP_INDEX_URL, 'http://keyhold/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173', 'http://localhost:5173/index.html')).toBe(true);
    expect(isAppUrl('http://localhost:5173', 'http://localhost:5174/')).toBe(false);
    expect(isAppUrl(APP_INDEX_URL, 'not a url')).toBe(false);
  });
});

describe('app:// answers from the renderer folder (real files; Electron’s protocol module that routes to it needs the binary)', () => {
  const root = mkdtempSync(join(tmpdir(), 'keyhold-app-protocol-'));
  const renderer = join(root, 'renderer');
  mkdirSync(join(renderer, 'assets'), { recursive: true });
  writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Keyhold</title>');
  writeFileSync(join(renderer, 'assets', 'index.js'), 'console.log(1)');
  writeFileSync(join(root, 'secret.txt'), 'outside the renderer');
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('maps the app’s URLs into the renderer folder and nothing else', () => {
    expect(appFileFor(renderer, 'app://keyhold/')).toBe(join(renderer, 'index.html'));
    expect(appFileFor(renderer, 'app://keyhold/assets/index.js')).toBe(join(renderer, 'assets', 'index.js'));
    for (const url of [
      'app://keyhold/../secret.txt',
      'app://keyhold/%2e%2e/secret.txt',
      'app://keyhold/assets/%2E%2E%2F..%2Fsecret.txt',
      'app://keyhold/..%5csecret.txt',
      'app://keyhold/index.html%00.js',
      'app://keyhold/%E0%A4%A',
      'app://other/index.html',
      'file:///etc/passwd',
      'app://keyhold/secret.txt',
    ]) {
      expect({ url, file: appFileFor(renderer, url) }).toEqual({ url, file: null });
    }
  });

  it('answers the page with its type and the CSP, and 404 for anything outside', async () => {
    const page = await answerAppRequest(renderer, new Request('app://keyhold/index.html'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.text()).toContain('<title>Keyhold</title>');
    const script = await answerAppRequest(renderer, new Request('app://keyhold/assets/index.js'));
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const outside = await answerAppRequest(renderer, new Request('app://keyhold/%2e%2e/secret.txt'));
    expect(outside.status).toBe(404);
    expect(await outside.text()).not.toContain('outside the renderer');
    expect((await answerAppRequest(renderer, new Request('app://keyhold/missing.js'))).status).toBe(404);
    expect((await answerAppRequest(renderer, new Request('app://keyhold/index.html', { method: 'POST' }))).status).toBe(
      404,
    );
  });
});

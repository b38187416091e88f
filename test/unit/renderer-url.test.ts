// Which page the window loads and which frames count as the app's own (the pure part of the
// Electron shell; the shell passes app.isPackaged and the frame URL).
import { describe, expect, it } from 'vitest';
import { isAppUrl, rendererUrl } from '../../src/main/electron/renderer-url';

describe('the renderer URL', () => {
  it('honours ELECTRON_RENDERER_URL only in development, never in a packaged app', () => {
    expect(rendererUrl(false, 'http://localhost:5173', '/app/out/main')).toBe('http://localhost:5173');
    expect(rendererUrl(true, 'http://evil.example', '/app/out/main')).toBe('file:///app/out/renderer/index.html');
    expect(rendererUrl(false, undefined, '/app/out/main')).toBe('file:///app/out/renderer/index.html');
  });

  it('takes only the app’s own page as a sender', () => {
    const built = 'file:///app/out/renderer/index.html';
    expect(isAppUrl(built, 'file:///app/out/renderer/index.html#/keys')).toBe(true);
    expect(isAppUrl(built, 'file:///tmp/other.html')).toBe(false);
    expect(isAppUrl(built, 'http://127.0.0.1/app/out/renderer/index.html')).toBe(false);
    expect(isAppUrl('http://localhost:5173', 'http://localhost:5173/index.html')).toBe(true);
    expect(isAppUrl('http://localhost:5173', 'http://localhost:5174/')).toBe(false);
    expect(isAppUrl(built, 'not a url')).toBe(false);
  });
});

import { existsSync } from 'node:fs';

// Playwright cannot download its own browser here; use the system's Chromium.
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/snap/bin/chromium', '/usr/bin/google-chrome'];

export function chromiumPath(): string {
  const found = [process.env.KEYHOLD_CHROMIUM, ...CANDIDATES].find(
    (path): path is string => !!path && existsSync(path),
  );
  if (!found) throw new Error("No Chromium found: run 'npm run setup' or set KEYHOLD_CHROMIUM to a Chromium binary.");
  return found;
}

// Without the background-networking flags Chromium keeps calling home, which a closed network refuses.
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

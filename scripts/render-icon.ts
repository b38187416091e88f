// `npm run icon`: renders resources/icon.svg to resources/icon.png (1024×1024, transparent), the
// one picture electron-builder makes every platform's icon from (icns, ico, Linux sizes).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../test/e2e/support/chromium';

const SIZE = 1024;
const RESOURCES = join(__dirname, '..', 'resources');

async function main(): Promise<void> {
  const svg = readFileSync(join(RESOURCES, 'icon.svg'), 'utf8').replace(
    /width="64" height="64"/,
    `width="${SIZE}" height="${SIZE}"`,
  );
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE } });
  await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
  await page.locator('svg').screenshot({ path: join(RESOURCES, 'icon.png'), omitBackground: true });
  await browser.close();
  console.log(`wrote resources/icon.png (${SIZE}×${SIZE})`);
}

void main();

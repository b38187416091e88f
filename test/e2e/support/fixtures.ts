// Each test gets a fresh data folder and a harness serving the built renderer on the real services.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { type Harness, startHarness } from '../../harness/harness';

export const test = base.extend<{ harness: Harness; app: Page }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  harness: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'keyhold-e2e-'));
    const harness = await startHarness({ dataDir });
    await use(harness);
    await harness.close();
    rmSync(dataDir, { recursive: true, force: true });
  },
  app: async ({ page, harness }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
    });
    await page.goto(harness.url);
    await use(page);
    if (errors.length > 0) throw new Error(`The page logged errors:\n${errors.join('\n')}`);
  },
});

export { expect } from '@playwright/test';

/** Where screenshots go: docs/screenshots when refreshing the docs, test-results otherwise. */
export function screenshotPath(name: string): string {
  return join(process.env.KEYHOLD_SCREENSHOTS ?? 'test-results/screenshots', `${name}.png`);
}

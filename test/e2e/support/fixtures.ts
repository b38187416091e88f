// Each test gets a fresh data folder (optionally seeded through the real engine) and a harness
// serving the built renderer on the real services.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import type { KeyEngine } from '../../../src/platform/engine';
import { openSqliteEngine } from '../../../src/platform/store/sqlite/open-engine';
import type { Clock } from '../../../src/shared/clock';
import { type Harness, startHarness } from '../../harness/harness';

/**
 * Wrapped in an object: Playwright would take a bare function for a fixture. With `clock`, the
 * engine writes at the clock's time, so a seed can make keys that are months old.
 */
export type Seed = { run: (engine: KeyEngine, rootId: string) => unknown; clock?: Clock };

export const test = base.extend<{ seed: Seed | null; dataDir: string; harness: Harness; app: Page }>({
  seed: [null, { option: true }],
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads fixture dependencies from this pattern
  dataDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'keyhold-e2e-'));
    await use(dir);
    rmSync(dir, { recursive: true, force: true });
  },
  harness: async ({ dataDir, seed }, use) => {
    if (seed) {
      const engine = openSqliteEngine(join(dataDir, 'platform.db'), seed.clock ? { clock: seed.clock } : {});
      await seed.run(engine, (await engine.ensureRootAccount()).id);
      await engine.close();
    }
    const harness = await startHarness({ dataDir, clipboardClearMs: 1500 });
    await use(harness);
    await harness.close();
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

/** A light and a dark screenshot of what is on screen now. */
export async function shootBothThemes(page: Page, name: string): Promise<void> {
  for (const scheme of ['light', 'dark'] as const) {
    // The OS's scheme, which the app follows until the admin picks one (the toggle's icon too), and
    // the page's, in case a test picked one.
    await page.emulateMedia({ colorScheme: scheme });
    // Taken once the scheme's colours have settled: every transition it started has ended.
    await page.evaluate(async (value) => {
      document.documentElement.setAttribute('data-mantine-color-scheme', value);
      await new Promise((frame) => requestAnimationFrame(frame));
      await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
    }, scheme);
    // Written only when refreshing the docs' pictures (npm run screenshots): a test run needs none.
    if (process.env.KEYHOLD_SCREENSHOTS) await page.screenshot({ path: screenshotPath(`${name}-${scheme}`) });
  }
}

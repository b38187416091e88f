// axe-core over what is on screen, in the light and the dark theme: the critical and serious
// findings, each as "rule: target: why" so a failure says where to look and what to change.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export async function seriousViolations(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    // Scanned once the scheme's colours have settled: every transition it started has ended.
    await page.evaluate(async (value) => {
      document.documentElement.setAttribute('data-mantine-color-scheme', value);
      await new Promise((frame) => requestAnimationFrame(frame));
      await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
    }, scheme);
    const { violations } = await new AxeBuilder({ page }).analyze();
    for (const violation of violations) {
      if (violation.impact !== 'critical' && violation.impact !== 'serious') continue;
      for (const node of violation.nodes)
        found.push(
          `${where} (${scheme}) ${violation.id}: ${node.target.join(' ')} ${process.env.AXE_DEBUG ? node.failureSummary?.replace(/\n/g, ' ') : ''}`,
        );
    }
  }
  return found;
}

/**
 * Every finding from moderate up, in the theme on screen: landmarks, headings and names are the
 * same in both themes (colour contrast, serious, is checked in both by seriousViolations).
 */
export async function moderateViolations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact !== 'minor' && violation.impact !== null)
    .flatMap((violation) => violation.nodes.map((node) => `${where} ${violation.id}: ${node.target.join(' ')}`));
}

// axe-core over what is on screen, in the light and the dark theme, each finding as "rule: target:
// why" so a failure says where to look and what to change. Every rule runs in the light theme; in
// the dark one only the rules colours decide (landmarks, headings and names are the same in both).
// axe is put in the page once (1.5 MB of script) and run there directly, for both themes.
import type { Page } from '@playwright/test';
import axe from 'axe-core';

const IMPACTS = ['minor', 'moderate', 'serious', 'critical'];
const RULES_OF_COLOUR = ['color-contrast', 'link-in-text-block'];
const MODAL = '[role="dialog"][aria-modal="true"]';
const TOASTS = '.mantine-Notifications-root';

/** The findings of at least `least` impact, in both themes. */
export async function axeFindings(page: Page, where: string, least: 'moderate' | 'serious'): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axe.source);
  const found: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    // Scanned once the scheme's colours have settled: every transition it started has ended.
    await page.evaluate(async (value) => {
      document.documentElement.setAttribute('data-mantine-color-scheme', value);
      await new Promise((frame) => requestAnimationFrame(frame));
      await Promise.all(document.getAnimations().map((animation) => animation.finished.catch(() => undefined)));
    }, scheme);
    // No transition during the scan: a toast that starts to fade out while axe reads it (it takes a
    // second) would be read half transparent. Without transitions a toast is there or it is not.
    const still = await page.addStyleTag({ content: '*, *::before, *::after { transition: none !important; }' });
    const violations = await page.evaluate(
      async ({ rules, modal, toasts }) => {
        // With a modal dialog open, what can be used is the dialog and the toasts over it: the page
        // behind is scanned in its own states, and half of a scan's time went to it again.
        const include = document.querySelector(modal)
          ? [modal, ...(document.querySelector(toasts) ? [toasts] : [])]
          : [];
        const context = include.length > 0 ? { include: include.map((selector) => [selector]) } : document;
        const options = rules ? { runOnly: { type: 'rule' as const, values: rules } } : {};
        const { violations } = await (window as unknown as { axe: typeof axe }).axe.run(context, options);
        return violations.map(({ id, impact, nodes }) => ({
          id,
          impact,
          nodes: nodes.map((node) => ({ target: node.target.map(String), why: node.failureSummary ?? '' })),
        }));
      },
      { rules: scheme === 'dark' ? RULES_OF_COLOUR : null, modal: MODAL, toasts: TOASTS },
    );
    await still.evaluate((tag) => (tag as Element).remove());
    for (const violation of violations) {
      if (IMPACTS.indexOf(violation.impact ?? 'minor') < IMPACTS.indexOf(least)) continue;
      for (const node of violation.nodes)
        found.push(
          `${where} (${scheme}) ${violation.id}: ${node.target.join(' ')} ${process.env.AXE_DEBUG ? node.why.replace(/\n/g, ' ') : ''}`,
        );
    }
  }
  return found;
}

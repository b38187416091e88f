// The Leak scan page in Chromium on the real services: a prepared folder with a live key in a
// file and in a commit deleted since, a lookalike and a tracked .env; the scan (files in worker
// threads, git history through git) grades them by the inventory, and the key is revoked from its
// finding.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KeyEngine } from '../../src/platform/engine';
import { axeFindings } from './support/axe';
import { expect, shootBothThemes, test } from './support/fixtures';
import { seedInventory } from './support/inventory';

const planted: { secret: string; partial: string } = { secret: '', partial: '' };

test.use({
  seed: {
    run: async (engine: KeyEngine, rootId: string) => {
      await seedInventory(engine, rootId);
      const created = await engine.createKey(rootId, { label: 'Payments gateway (production)' }, { kind: 'system' });
      planted.secret = created.secret;
      planted.partial = created.key.partial_key;
    },
  },
});

function prepareProject(dir: string): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.email=dev@example.com', '-c', 'user.name=Dev', ...args], { cwd: dir });
  mkdirSync(join(dir, 'src'), { recursive: true });
  git('init', '-q');
  writeFileSync(join(dir, 'deploy.env'), `ITELLICO_API_KEY=${planted.secret}\n`);
  git('add', 'deploy.env');
  git('commit', '-q', '-m', 'deploy settings');
  rmSync(join(dir, 'deploy.env'));
  git('commit', '-q', '-a', '-m', 'remove the deploy settings');
  writeFileSync(join(dir, 'src', 'client.ts'), `export const client = connect("${planted.secret}");\n`);
  const lookalike = `${planted.secret.slice(0, -1)}${planted.secret.endsWith('A') ? 'B' : 'A'}`;
  writeFileSync(join(dir, 'src', 'fixture.json'), `{ "example": "${lookalike}" }\n`);
  writeFileSync(join(dir, '.env'), 'DEBUG=1\n');
  git('add', '.env');
  git('commit', '-q', '-m', 'env');
}

test('scans a folder and its git history, grades what it finds, and revokes the key from its finding', async ({
  app,
  dataDir,
}) => {
  const project = join(dataDir, 'payments-service');
  mkdirSync(project);
  prepareProject(project);

  await app.getByTestId('nav-scan').click();
  await app.getByTestId('scan-folders').fill(project);
  await expect(app.getByTestId('scan-history')).toBeChecked();
  await app.getByTestId('scan-start').click();

  const finding = app.getByTestId('scan-finding').filter({ hasText: planted.partial });
  await expect(finding).toBeVisible();
  await expect(finding).toContainText('critical');
  await expect(finding).toContainText('“Payments gateway (production)” in Root account');
  const locations = finding.getByTestId('scan-location');
  await expect(locations).toHaveCount(2);
  await expect(locations.filter({ hasText: `${project}/src/client.ts:1:32` })).toHaveCount(1);
  await expect(locations.filter({ hasText: /^history: .*deploy\.env:1:18 in commit [0-9a-f]{12}/ })).toHaveCount(1);
  await expect(locations.filter({ hasText: /removed from the file in commit [0-9a-f]{12}$/ })).toHaveCount(1);
  // The clean-up names the repository and matches the key by its public id, never its secret.
  await expect(finding.getByTestId('cleanup-command').first()).toContainText(`git filter-repo --replace-text`);
  await expect(finding.getByTestId('history-cleanup')).toContainText(project);
  // Each command has its copy button: what lands on the clipboard is the command shown.
  await app.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const copy = finding.getByTestId('copy-command').first();
  await expect(copy).toHaveAccessibleName(/^Copy the command for /);
  await copy.click();
  await expect(copy).toHaveText('Copied');
  const shown = await finding.getByTestId('cleanup-command').first().textContent();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toBe(shown);
  await expect(app.getByTestId('scan-exposed-file')).toContainText(`${project}/.env`);
  await expect(app.getByTestId('scan-lookalikes')).toContainText('1 string has a key’s shape');
  expect(await app.evaluate(() => document.body.textContent)).not.toContain(planted.secret.slice(12));
  expect(await axeFindings(app, 'leak scan results', 'moderate')).toEqual([]);
  await shootBothThemes(app, 'leak-scan');

  await finding.getByTestId('scan-revoke').click();
  await app.getByTestId('revoke-confirm').click();
  await expect(finding).toContainText('warning');
  await expect(finding.getByTestId('scan-revoke')).toHaveCount(0);
  await app.getByTestId('nav-keys').click();
  await expect(app.getByTestId('key-row').filter({ hasText: 'Payments gateway (production)' })).toContainText(
    'revoked',
  );
});

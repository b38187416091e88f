import { expect, screenshotPath, test } from './support/fixtures';

test('the shell navigates between Keys, Audit and Settings and shows app:info from main', async ({ app, harness }) => {
  await expect(app.getByRole('heading', { name: 'Keys' })).toBeVisible();
  await expect(app.getByTestId('keys-empty')).toBeVisible();
  await expect(app.getByTestId('app-version')).toHaveText(/^v\d+\.\d+\.\d+$/);

  await app.getByTestId('nav-audit').click();
  await expect(app.getByRole('heading', { name: 'Audit' })).toBeVisible();

  await app.getByTestId('nav-settings').click();
  const info = app.getByTestId('app-info');
  await expect(info).toContainText('Test harness (browser)');
  await expect(info).toContainText(process.platform);

  // Main -> renderer events reach the window through the typed subscription.
  harness.emit('app:navigate', { page: 'keys' });
  await expect(app.getByRole('heading', { name: 'Keys' })).toBeVisible();
});

test('the theme follows the OS and the toggle switches it', async ({ app }) => {
  await app.emulateMedia({ colorScheme: 'dark' });
  await expect(app.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.screenshot({ path: screenshotPath('shell-dark') });

  await app.emulateMedia({ colorScheme: 'light' });
  await expect(app.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'light');
  await app.screenshot({ path: screenshotPath('shell-light') });

  await app.getByTestId('theme-toggle').click();
  await expect(app.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
  await app.reload();
  await expect(app.locator('html')).toHaveAttribute('data-mantine-color-scheme', 'dark');
});

test('window.keyhold exposes the contract only, and a bad request comes back as a field-named error', async ({
  app,
}) => {
  const shape = await app.evaluate(() => ({
    keys: Object.keys(window.keyhold).sort(),
    app: Object.keys(window.keyhold.app).sort(),
  }));
  expect(shape.keys).toEqual([
    'accounts',
    'app',
    'audit',
    'connections',
    'inventory',
    'keys',
    'on',
    'scan',
    'secrets',
    'workflows',
  ]);
  expect(shape.app).toEqual(['info']);

  const result = await app.evaluate(() =>
    (window.keyhold.app.info as (request: unknown) => Promise<unknown>)({ extra: 1 }),
  );
  expect(result).toEqual({
    ok: false,
    error: { code: 'invalid_request', message: expect.stringMatching(/^request: .*extra/) },
  });
});

test('the sidebar is reachable and operable with the keyboard alone', async ({ app }) => {
  await expect(app.getByTestId('nav-keys')).toHaveAttribute('aria-current', 'page');
  // Tab from the top of the page until the sidebar's Leak scan entry has the focus.
  await app.locator('body').focus();
  for (let i = 0; i < 30; i++) {
    await app.keyboard.press('Tab');
    if (await app.getByTestId('nav-scan').evaluate((element) => element === document.activeElement)) break;
  }
  await expect(app.getByTestId('nav-scan')).toBeFocused();
  await app.keyboard.press('Enter');
  await expect(app.getByTestId('scan-folders')).toBeVisible();
  await expect(app.getByTestId('nav-scan')).toHaveAttribute('aria-current', 'page');
  await app.keyboard.press('Shift+Tab');
  await expect(app.getByTestId('nav-rotations')).toBeFocused();
  await app.keyboard.press('Space');
  await expect(app.getByTestId('nav-rotations')).toHaveAttribute('aria-current', 'page');
  await expect(app.getByTestId('scan-folders')).toHaveCount(0);
});

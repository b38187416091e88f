// The packaging configuration, checked as far as it can be without the Electron binary (whose
// download is impossible here, so `npm run dist` itself runs elsewhere: docs/release.md):
// electron-builder's own loader and schema validation, then the choices the release depends on.
import { existsSync, readFileSync } from 'node:fs';
import { join, matchesGlob } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config.js';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../..');
const config = await getConfig(ROOT, null, null);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  main: string;
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};

describe('electron-builder configuration', () => {
  it('is valid for electron-builder’s schema, and an invalid one would be caught', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    await expect(
      validateConfiguration({ ...config, electronFuses: { runAsNod: false } } as never, new DebugLogger(false)),
    ).rejects.toThrow(/configuration/);
  });

  it('builds AppImage and .deb, dmg and NSIS with the app id and the icon in resources/', () => {
    expect(config.appId).toBe('dev.keyhold.desktop');
    expect(config.productName).toBe('Keyhold');
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    expect(config.directories?.buildResources).toBe('resources');
    const png = readFileSync(join(ROOT, 'resources', 'icon.png'));
    // PNG header, then width and height: electron-builder needs at least 512×512 for macOS.
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
    for (const platform of [config.linux, config.mac, config.win]) expect(platform?.icon).toBe('icon.png');
  });

  it('sets every fuse the Electron checklist asks for', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
  });

  it('rebuilds the native modules for Electron and keeps them out of the archive', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asarUnpack).toContain('**/*.node');
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['better-sqlite3', 'keytar']));
    expect(pkg.scripts.dist).toBe('bash scripts/dist.sh');
  });

  it('packs the built entry points and not the sources or the CLI', () => {
    // The loader normalises `files` to one file set with a filter.
    const files = (config.files as Array<{ filter: string[] }>)[0]?.filter ?? [];
    const packed = (path: string) =>
      files.some((pattern) => !pattern.startsWith('!') && matchesGlob(path, pattern)) &&
      !files.some((pattern) => pattern.startsWith('!') && matchesGlob(path, pattern.slice(1)));
    expect(pkg.main).toBe('./out/main/index.js');
    for (const entry of [
      'out/main/index.js',
      'out/main/inventory-worker.js',
      'out/main/view-head-worker.js',
      'out/preload/index.js',
      'out/renderer/index.html',
    ]) {
      expect({ entry, packed: packed(entry) }).toEqual({ entry, packed: true });
    }
    for (const left of [
      'src/main/index.ts',
      'out/cli/keyhold.cjs',
      'out/main/index.js.map',
      '.electron-native/x.node',
    ]) {
      expect({ left, packed: packed(left) }).toEqual({ left, packed: false });
    }
    // After `npm run build` (npm test builds first), the entries exist.
    if (existsSync(join(ROOT, 'out'))) expect(existsSync(join(ROOT, pkg.main))).toBe(true);
  });
});

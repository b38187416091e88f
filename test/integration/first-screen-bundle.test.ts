// What the window parses and runs before its first screen, read from the built renderer (npm test
// builds before vitest; the harness tests need the same build): the entry and the chunks
// index.html preloads with it. The other pages and the dialogs load later (lib/lazy-part.tsx); zod,
// whose schemas cost every start ~0.1 s to build, is only in the chunks that validate forms, and
// not in the preload.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const OUT = join(__dirname, '../../out');
// A string zod's core always carries (its class names survive minification).
const ZOD = '$ZodType';
// One marker per lazy part: the Audit page's findings, the leak scan, the rotation dialog, the wizard.
const LAZY_MARKERS = ['finding-groups', 'scan-progress', 'workflow-dialog', 'wizard-create'];

let eager: Map<string, string>;
let later: Map<string, string>;

beforeAll(() => {
  const index = join(OUT, 'renderer/index.html');
  if (!existsSync(index)) throw new Error("No built renderer in out/renderer: run 'npm run build' first.");
  const html = readFileSync(index, 'utf8');
  const first = new Set([...html.matchAll(/(?:src|href)="\.\/assets\/([^"]+\.js)"/g)].map((match) => match[1]));
  const read = (file: string) => readFileSync(join(OUT, 'renderer/assets', file), 'utf8');
  const chunks = readdirSync(join(OUT, 'renderer/assets')).filter((file) => file.endsWith('.js'));
  eager = new Map(chunks.filter((file) => first.has(file)).map((file) => [file, read(file)]));
  later = new Map(chunks.filter((file) => !first.has(file)).map((file) => [file, read(file)]));
});

describe('the first screen’s code (built renderer)', () => {
  it('holds neither zod nor the lazy parts, which are in chunks of their own', () => {
    expect(eager.size).toBeGreaterThan(0);
    for (const [file, code] of eager) {
      expect(code.includes(ZOD), `${file} holds zod`).toBe(false);
      for (const marker of LAZY_MARKERS) expect(code.includes(marker), `${file} holds ${marker}`).toBe(false);
    }
    // The markers are real: each part, and zod, is in a chunk loaded later.
    for (const marker of [ZOD, ...LAZY_MARKERS])
      expect(
        [...later.values()].some((code) => code.includes(marker)),
        marker,
      ).toBe(true);
  });

  it('the preload is the IPC names and the transport, without the contract’s schemas', () => {
    const preload = readFileSync(join(OUT, 'preload/index.js'), 'utf8');
    expect(preload.includes(ZOD)).toBe(false);
    expect(preload.length).toBeLessThan(10_000);
  });
});

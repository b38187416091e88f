// npm run bench:import — reading an inventory CSV where every key has an account of its own (the
// worst case for ordering parents before children). Times 10,000, 20,000 and 40,000 rows, in
// alternating rounds, and prints the ratio of the largest to the smallest: about 4 when the
// import is linear, about 16 when it is quadratic.
// Last line: RESULT import_40k_ms=<x> import_40k_vs_10k=<y> (target: y at most 6).
import { audit, DEFAULT_AUDIT_POLICY } from '../src/shared/audit';
import { parseInventoryFile, toCsvExport } from '../src/shared/report/inventory-file';
import { syntheticInventory } from '../test/support/synthetic-inventory';

const SIZES = [10_000, 20_000, 40_000];
const ROUNDS = 5;
const at = '2026-01-01T00:00:00.000Z';

function csv(rows: number): string {
  // Half are roots, half hang under an earlier account: many roots is what made it quadratic.
  const snapshot = syntheticInventory({
    keys: rows,
    parentOf: (i, accounts) => (i % 2 === 1 ? (accounts[i - 1]?.id ?? null) : null),
    at,
  });
  return toCsvExport(snapshot, audit(snapshot, DEFAULT_AUDIT_POLICY, Date.parse(at)));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

const files = SIZES.map(csv);
const times = SIZES.map(() => [] as number[]);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, text] of files.entries()) {
    const started = performance.now();
    const parsed = parseInventoryFile('bench.csv', text);
    times[i]?.push(performance.now() - started);
    if (parsed.accounts.length !== SIZES[i]) throw new Error('accounts lost on import');
  }
}
const ms = times.map(median);
for (const [i, size] of SIZES.entries()) console.log(`${size.toLocaleString('en-US')} rows  ${ms[i]?.toFixed(1)} ms`);
const last = ms.at(-1) as number;
console.log(`RESULT import_40k_ms=${last.toFixed(1)} import_40k_vs_10k=${(last / (ms[0] as number)).toFixed(2)}`);

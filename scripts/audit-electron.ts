// `npm run audit:electron`: Electronegativity over src/ for the Electron version the app ships,
// offline (its online check of published security fixes is skipped). Fails on any high or
// medium finding that scripts/electron-audit-exceptions.json does not list with a reason, and on
// a listed exception that no longer matches a finding (so the list stays true).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

interface Finding {
  check: string;
  severity: string;
  file: string;
  location: string;
}
interface Exception {
  check: string;
  file: string;
  reason: string;
}

/** The CSV Electronegativity writes: quoted fields, commas inside quotes. */
function csvRows(text: string): string[][] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) =>
      [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(?:,|$)/g)].map(([, field = '']) =>
        field.replace(/^"|"$/g, '').replaceAll('""', '"'),
      ),
    );
}

function electronVersion(): string {
  return (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string })
    .version;
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'keyhold-electronegativity-'));
  const csv = join(dir, 'findings.csv');
  const bin = join(ROOT, 'node_modules/.bin/electronegativity');
  const run = spawnSync(
    bin,
    [
      '-i',
      join(ROOT, 'src'),
      '-e',
      electronVersion(),
      '-x',
      'AvailableSecurityFixesGlobalCheck',
      '-r',
      '-v',
      'false',
      '-o',
      csv,
    ],
    { encoding: 'utf8' },
  );
  let text: string;
  try {
    text = readFileSync(csv, 'utf8');
  } catch {
    console.error(`Electronegativity wrote no report (exit ${run.status}):\n${run.stdout}${run.stderr}`);
    process.exit(2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const findings: Finding[] = csvRows(text)
    .slice(1)
    .filter((row) => row.length >= 8)
    .map(([check = '', severity = '', , file = '', location = '']) => ({ check, severity, file, location }));
  const { exceptions } = JSON.parse(readFileSync(join(__dirname, 'electron-audit-exceptions.json'), 'utf8')) as {
    exceptions: Exception[];
  };
  const listed = (finding: Finding) => exceptions.some((e) => e.check === finding.check && e.file === finding.file);
  const serious = findings.filter(({ severity }) => severity === 'HIGH' || severity === 'MEDIUM');
  const unlisted = serious.filter((finding) => !listed(finding));
  const stale = exceptions.filter((e) => !serious.some((f) => f.check === e.check && f.file === e.file));

  for (const f of findings) {
    const mark = f.severity === 'HIGH' || f.severity === 'MEDIUM' ? (listed(f) ? 'reviewed' : 'NEW') : 'low';
    console.log(`${mark.padEnd(8)} ${f.severity.padEnd(13)} ${f.check} ${f.file}:${f.location}`);
  }
  for (const e of stale) console.log(`STALE    exception ${e.check} ${e.file} matches no finding: remove it`);
  console.log(
    `RESULT findings=${findings.length} high_or_medium=${serious.length} reviewed=${serious.length - unlisted.length} unlisted=${unlisted.length} stale_exceptions=${stale.length}`,
  );
  if (unlisted.length > 0 || stale.length > 0) process.exit(1);
}

main();

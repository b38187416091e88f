// The export and import formats: CSV quoting, inventory files read back as written, the calendar
// and the HTML report's structure. Browsers open the report in test/e2e/audit.spec.ts.
import { describe, expect, it } from 'vitest';
import { audit, DEFAULT_AUDIT_POLICY } from '../../src/shared/audit';
import type { Account, ApiKey } from '../../src/shared/domain';
import { parseCsv, toCsv } from '../../src/shared/report/csv';
import { toHtmlReport } from '../../src/shared/report/html-report';
import { toIcs } from '../../src/shared/report/ics';
import {
  type InventorySnapshot,
  parseInventoryFile,
  toCsvExport,
  toJsonExport,
} from '../../src/shared/report/inventory-file';

const NOW = Date.parse('2026-06-01T00:00:30Z');
const at = (days: number) => new Date(NOW + days * 86_400_000).toISOString();
const account = (id: string, parent: string | null): Account => ({
  id,
  name: `Account ${id}`,
  parent_id: parent,
  status: 'active',
  created_at: at(-400),
  updated_at: at(-400),
});
let n = 0;
const key = (patch: Partial<ApiKey>): ApiKey => ({
  id: `key_${++n}`,
  account_id: 'acc_leaf',
  label: `Worker ${n}`,
  partial_key: `sk-0000000${n % 10}`,
  status: 'active',
  created_at: at(-10),
  updated_at: at(-10),
  last_used_at: at(-1),
  expires_at: at(30),
  revoked_at: null,
  deletes_at: null,
  ...patch,
});

const snapshot: InventorySnapshot = {
  source: { name: 'This computer', kind: 'embedded', base_url: null, synced_at: null },
  exported_at: at(0),
  accounts: [account('acc_root', null), account('acc_leaf', 'acc_root')],
  keys: [
    key({ label: '=HYPERLINK("http://evil")', expires_at: at(3) }),
    key({ label: 'Checkout, "EU"\nline two', account_id: 'acc_root', expires_at: null }),
    key({ label: 'Billing', status: 'revoked', revoked_at: at(-40), last_used_at: null }),
    key({ label: 'Search (prod)', expires_at: at(0.5) }),
    key({ label: 'Ledger sync', expires_at: at(-2), status: 'expired' }),
  ],
  environments: { key_2: 'staging' },
};

describe('CSV', () => {
  it('quotes what needs quoting and defuses formulas, and reads it all back', () => {
    const text = toCsv(
      ['a', 'b'],
      [
        ['=1+1', 'plain'],
        ['with "quotes", commas', 'two\r\nlines'],
        ['-5', ''],
      ],
    );
    expect(text).toBe('a,b\r\n\'=1+1,plain\r\n"with ""quotes"", commas","two\r\nlines"\r\n\'-5,\r\n');
    expect(parseCsv(text)).toEqual([
      ['a', 'b'],
      ['=1+1', 'plain'],
      ['with "quotes", commas', 'two\r\nlines'],
      ['-5', ''],
    ]);
  });

  it('gives back exactly a value that already starts with apostrophes before a formula character', () => {
    const values = ["'=x", "''+1", "'-", "'@home", "'plain", "'", '=x', "it's = fine"];
    const text = toCsv(
      ['label'],
      values.map((value) => [value]),
    );
    expect(text.split('\r\n').slice(1, 5)).toEqual(["''=x", "'''+1", "''-", "''@home"]);
    expect(
      parseCsv(text)
        .slice(1)
        .map(([value]) => value),
    ).toEqual(values);
  });

  it('names the line of a quote left open', () => {
    expect(() => parseCsv('a,b\n1,"2\n3,4\n')).toThrow('line 2: a quoted value is never closed');
  });
});

describe('inventory files', () => {
  const result = audit(snapshot, DEFAULT_AUDIT_POLICY, NOW);

  it('JSON holds the inventory, the policy, the summary and every finding, and reads back whole', () => {
    const text = toJsonExport(snapshot, DEFAULT_AUDIT_POLICY, result);
    const data = JSON.parse(text);
    expect(data).toMatchObject({ format: 'keyhold-inventory', version: 1, policy: DEFAULT_AUDIT_POLICY });
    expect(data.findings).toHaveLength(result.length);
    expect(data.summary).toEqual(result.summary());
    const back = parseInventoryFile('export.json', text);
    expect(back).toEqual(snapshot);
  });

  it('JSON carries the keys’ use, so an imported file audits its activity rules the same', () => {
    const key = snapshot.keys[0] as (typeof snapshot.keys)[number];
    const withUse = {
      ...snapshot,
      key_use_since: '2026-05-25T00:00:30.000Z',
      key_use: [
        {
          key_id: key.id,
          first_source_at: '2026-05-01T00:00:00.000Z',
          newest_source_at: '2026-05-31T00:00:00.000Z',
          recent_sources: 12,
          refused_attempts: 0,
        },
      ],
    };
    const audited = audit(withUse, DEFAULT_AUDIT_POLICY, NOW);
    const back = parseInventoryFile('export.json', toJsonExport(withUse, DEFAULT_AUDIT_POLICY, audited));
    expect(back).toEqual(withUse);
    const rules = (of: typeof back) =>
      audit(of, DEFAULT_AUDIT_POLICY, NOW)
        .toArray()
        .filter((f) => f.key_id === key.id)
        .map((f) => f.rule);
    expect(rules(back)).toEqual(expect.arrayContaining(['new_source', 'many_sources']));
    expect(rules(back)).toEqual(rules(withUse));
  });

  it('CSV holds a row per key with its findings, and reads back as the same inventory', () => {
    const text = toCsvExport(snapshot, result);
    const rows = parseCsv(text);
    expect(rows[0]).toContain('findings');
    expect(rows).toHaveLength(snapshot.keys.length + 1);
    expect(rows[1]?.[2]).toBe('=HYPERLINK("http://evil")');
    expect(text).toContain(`'=HYPERLINK`);
    const back = parseInventoryFile('export.csv', text);
    expect(back.keys).toEqual(snapshot.keys);
    expect(back.environments).toEqual({ key_2: 'staging' });
    expect(back.accounts.map((a) => [a.id, a.parent_id])).toEqual([
      ['acc_root', null],
      ['acc_leaf', 'acc_root'],
    ]);
    const again = audit(back, DEFAULT_AUDIT_POLICY, NOW).toArray();
    expect(again.map((f) => `${f.rule}/${f.key_id}`).sort()).toEqual(
      result
        .toArray()
        .map((f) => `${f.rule}/${f.key_id}`)
        .sort(),
    );
  });

  it('refuses a damaged file, naming the file and the field or line', () => {
    expect(() => parseInventoryFile('x.json', '{"format":"other"}')).toThrow(
      /^x\.json: format: must be "keyhold-inventory"/,
    );
    expect(() => parseInventoryFile('x.json', '{oops')).toThrow(/^x\.json: not valid JSON/);
    const csv = toCsvExport(snapshot, result).replace(snapshot.keys[2]?.partial_key as string, 'sk-XYZ');
    expect(() => parseInventoryFile('x.csv', csv)).toThrow(
      /^x\.csv: line 4, partial_key: must read sk- and 8 lower-case hex digits/,
    );
    expect(() => parseInventoryFile('x.csv', 'name,value\n1,2\n')).toThrow(
      /not a Keyhold CSV export \(missing columns: key_id/,
    );
  });

  it('reads a file with a UTF-8 byte-order mark, and refuses one in another encoding, naming the line', () => {
    const json = toJsonExport(snapshot, DEFAULT_AUDIT_POLICY, result);
    expect(parseInventoryFile('bom.json', `\uFEFF${json}`)).toEqual(snapshot);
    expect(parseInventoryFile('bom.csv', `\uFEFF${toCsvExport(snapshot, result)}`).keys).toEqual(snapshot.keys);
    // A Latin-1 "é" read as UTF-8 becomes U+FFFD: the label would be silently wrong.
    const latin1 = Buffer.from(toCsvExport(snapshot, result).replace('Checkout', 'Caf\u00e9'), 'latin1').toString(
      'utf8',
    );
    expect(() => parseInventoryFile('latin1.csv', latin1)).toThrow(
      /^latin1\.csv: line \d+ is not UTF-8 text; save the file as UTF-8 and open it again$/,
    );
  });

  it('orders parents before children for 40,000 accounts, most of them roots (bench:import times it)', () => {
    const accounts: Account[] = Array.from({ length: 40_000 }, (_, i) => ({
      id: `acc_${i}`,
      name: `Account ${i}`,
      // Every third hangs under the next one, which comes later in the file.
      parent_id: i % 3 === 0 ? `acc_${i + 1}` : null,
      status: 'active' as const,
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    }));
    const text = JSON.stringify({
      ...JSON.parse(
        toJsonExport(
          { ...snapshot, keys: [], accounts: [] },
          DEFAULT_AUDIT_POLICY,
          audit({ accounts: [], keys: [] }, DEFAULT_AUDIT_POLICY, NOW),
        ),
      ),
      accounts,
    });
    const ordered = parseInventoryFile('many.json', text).accounts;
    expect(ordered).toHaveLength(40_000);
    const seen = new Set<string>();
    for (const account of ordered) {
      if (account.parent_id !== null) expect(seen.has(account.parent_id)).toBe(true);
      seen.add(account.id);
    }
  });

  it('adds the accounts a file names only through its keys', () => {
    const text = JSON.stringify({ ...JSON.parse(toJsonExport(snapshot, DEFAULT_AUDIT_POLICY, result)), accounts: [] });
    expect(
      parseInventoryFile('x.json', text)
        .accounts.map((a) => a.id)
        .sort(),
    ).toEqual(['acc_leaf', 'acc_root']);
  });
});

describe('calendar', () => {
  it('has an all-day event with a reminder for each key still to expire', () => {
    const ics = toIcs(snapshot.keys, 'This computer', NOW) as string;
    expect(ics.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\n')).toBe(true);
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2); // not the revoked, expired or never-expiring ones
    expect(ics).toContain(`DTSTART;VALUE=DATE:20260604\r\nDTEND;VALUE=DATE:20260605`);
    // Expiring in 3 days and in half a day: reminders as early as can still fire (see below).
    expect(ics.match(/TRIGGER:\S+/g)).toEqual(['TRIGGER:-P2D', 'TRIGGER:PT0S']);
    expect(ics).toContain('SUMMARY:API key “=HYPERLINK("http://evil")” (sk-00000001) expires');
    for (const line of ics.split('\r\n')) expect(new TextEncoder().encode(line).length).toBeLessThanOrEqual(75);
  });

  it('gives a key expiring within the notice a reminder that can still fire, and makes no empty calendar', () => {
    const base = snapshot.keys.find((each) => each.expires_at !== null && each.status === 'active');
    const expiring = (iso: string) => ({ ...(base as (typeof snapshot.keys)[number]), expires_at: iso });
    // NOW is 2026-06-01 00:00:30 UTC; the alarm fires that many days before the expiry day begins.
    const reminder = (iso: string) => {
      const ics = toIcs([expiring(iso)], 'This computer', NOW) as string;
      const alarm = ics.slice(ics.indexOf('BEGIN:VALARM'));
      return [/TRIGGER:(\S+)/.exec(alarm)?.[1], /DESCRIPTION:.* (expires [^\r]*)/.exec(alarm)?.[1]];
    };
    expect(reminder('2026-06-04T12:00:00Z')).toEqual(['-P2D', 'expires in 2 days']);
    expect(reminder('2026-06-03T12:00:00Z')).toEqual(['-P1D', 'expires in 1 day']);
    expect(reminder('2026-06-02T08:00:00Z')).toEqual(['PT0S', 'expires today']);
    expect(reminder('2026-06-01T18:00:00Z')).toEqual(['PT0S', 'expires today']);
    expect(reminder('2026-07-01T00:00:00Z')).toEqual(['-P7D', 'expires in 7 days']);
    // Only revoked, expired or never-expiring keys: no calendar at all (RFC 5545 wants a component).
    expect(
      toIcs(
        snapshot.keys.filter((key) => key.expires_at === null || key.status !== 'active'),
        'x',
        NOW,
      ),
    ).toBeNull();
    expect(toIcs([], 'x', NOW)).toBeNull();
  });

  it('escapes every line break in text, a bare CR included (RFC 5545 3.3.11)', () => {
    const key = snapshot.keys.find((each) => each.expires_at !== null && each.status === 'active');
    const labelled = { ...(key as (typeof snapshot.keys)[number]), label: 'one\rtwo\nthree\r\nfour; five, six\\' };
    const ics = toIcs([labelled], 'This computer', NOW) as string;
    expect(ics).toContain('one\\ntwo\\nthree\\nfour\\; five\\, six\\\\');
    // The only CRs left are the CRLF line ends, and no line break inside a property.
    expect(ics.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
  });
});

describe('HTML report', () => {
  it('is one self-contained page: three charts, findings by severity, escaped labels', () => {
    const html = toHtmlReport(snapshot, DEFAULT_AUDIT_POLICY, audit(snapshot, DEFAULT_AUDIT_POLICY, NOW), NOW);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|<link|src=|url\(/i);
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html).toContain('data-chart="status"');
    expect(html).toContain('data-chart="expiries"');
    expect(html.indexOf('class="severity critical"')).toBeLessThan(html.indexOf('class="severity warning"'));
    expect(html).toContain('Checkout, &quot;EU&quot;');
    expect(html).not.toContain('"EU"\nline');
  });
});

// The table's search and sort, as an admin types and reads them.
import { describe, expect, it } from 'vitest';
import type { Account, ApiKey } from '../../src/shared/domain';
import { filterRows, indexKey, naturalKey, sortOrder } from '../../src/shared/key-index';
import { haystackOf, parseSearch } from '../../src/shared/key-search';
import { keyOf } from '../support/api-key';

const at = '2026-01-01T00:00:00.000Z';
const key = (partial: string, label: string, account = 'acc_1'): ApiKey => keyOf(partial, label, account, at);
const keys = [
  key('0a1b2c3d', 'Billing worker 9'),
  key('e41164b4', 'Search indexer 10'),
  key('0fffffff', 'Billing export'),
  key('12345678', 'Worker 9 billing'),
];
const entries = keys.map((each) => indexKey(each, Date.parse(at)));
const order = Int32Array.from(entries.keys());
const search = (text: string) =>
  Array.from(
    filterRows(
      entries,
      new Uint16Array(entries.length),
      order,
      { account_id: null, include_subaccounts: true, status: null, flag: null, search: text },
      null,
    ),
    (i) => keys[i]?.partial_key,
  );

describe('search', () => {
  it('matches a partial key from its start only, and ignores a pasted secret', () => {
    expect(search('sk-0')).toEqual(['sk-0a1b2c3d', 'sk-0fffffff']); // not sk-e41164b4, which holds a 0
    expect(search('SK-0A1B')).toEqual(['sk-0a1b2c3d']);
    expect(search('sk-0a1b2c3d.thesecretpart')).toEqual(['sk-0a1b2c3d']);
    expect(parseSearch('sk-0a1b2c3d.thesecretpart')).toEqual({ partialKey: 'sk-0a1b2c3d', words: [] });
  });

  it('matches every word, in any order', () => {
    expect(search('billing 9')).toEqual(['sk-0a1b2c3d', 'sk-12345678']);
    expect(search('9   WORKER')).toEqual(['sk-0a1b2c3d', 'sk-12345678']);
    expect(search('billing indexer')).toEqual([]);
    expect(search('')).toHaveLength(4);
  });
});

describe('sort', () => {
  it('keys text naturally: lower case, each run of ASCII digits padded to 12', () => {
    const byRegex = (text: string) => text.toLowerCase().replace(/\d+/g, (digits) => digits.padStart(12, '0'));
    const texts = ['', 'a', '7', '0012', 'x1y22z333', 'Ünïcode 7 ß', '1234567890123 a', 'v2.10.3', 'İstanbul 3'];
    texts.push('٣ arabic-indic digit', 'Billing worker 99999', 'end9', '9start', 'a 1 b 22 c 333 d');
    for (const text of texts) expect(naturalKey(text), text).toBe(byRegex(text));
  });

  it('orders numbers inside labels and account names naturally', () => {
    expect(naturalKey('Account 2') < naturalKey('Account 10')).toBe(true);
    const accounts: Account[] = [0, 1, 2, 10, 11].map((n) => ({
      id: `acc_${n}`,
      name: `Team ${n}`,
      parent_id: null,
      status: 'active',
      created_at: at,
      updated_at: at,
    }));
    const byAccount = [11, 2, 10, 0, 1].map((n) =>
      indexKey(key(`0000000${n % 10}`, `Key ${n}`, `acc_${n}`), Date.parse(at)),
    );
    const sorted = Array.from(
      sortOrder(byAccount, { column: 'account', direction: 'asc' }, accounts),
      (i) => byAccount[i]?.key.account_id,
    );
    expect(sorted).toEqual(['acc_0', 'acc_1', 'acc_2', 'acc_10', 'acc_11']);
  });
});

describe('status', () => {
  it('reads a key as the platform would at the moment it is indexed, whatever form its expiry has', () => {
    const now = Date.parse('2026-06-01T12:00:00.000Z');
    const withExpiry = (status: ApiKey['status'], expires_at: string | null): ApiKey => ({
      ...key('00000000', 'Expiring'),
      status,
      expires_at,
    });
    const cases: Array<[ApiKey['status'], string | null, ApiKey['status']]> = [
      ['active', null, 'active'],
      ['active', '2026-06-01T11:59:59.999Z', 'expired'],
      ['active', '2026-06-01T12:00:00.000Z', 'expired'], // expiry at the very instant
      ['active', '2026-06-01T12:00:00.001Z', 'active'],
      ['active', '2026-06-01T11:59:59Z', 'expired'], // no milliseconds: read as an instant
      ['active', '2026-06-01T14:00:00+02:00', 'expired'], // an offset: the same instant as 12:00Z
      ['active', '2026-06-01T14:00:01+02:00', 'active'],
      ['expired', '2026-06-02T00:00:00.000Z', 'active'], // fetched as expired, the clock says not yet
      ['revoked', '2026-01-01T00:00:00.000Z', 'revoked'],
    ];
    for (const [stored, expires, expected] of cases) {
      expect(indexKey(withExpiry(stored, expires), now).key.status, `${stored} ${expires}`).toBe(expected);
    }
  });
});

describe('search over many keys', () => {
  it('finds exactly the keys whose label or partial key holds every word, as a check of each key would', () => {
    // Lowered as one text: a final sigma, and a capital whose lower case is two characters long.
    // And labels that hold what a partial key search looks for, which it must not find there.
    const UNICODE = ['', ' ΟΔΟΣ', ' İSTANBUL', ' Straße', ' sk-0 proxy', ' SK-1'];
    const words = ['billing', 'worker', 'export', 'stage', 'prod', 'EU', 'v2'];
    const many = Array.from({ length: 3_000 }, (_, i) =>
      key(
        (i * 2654435761).toString(16).padStart(8, '0').slice(-8),
        `${words[i % 7]} ${words[(i * 3) % 7]} ${i % 97}${i % 5 === 0 ? ' Ünï' : ''}${UNICODE[i % 6]}`,
      ),
    );
    const indexed = many.map((each) => indexKey(each, Date.parse(at)));
    const all = Int32Array.from(indexed.keys());
    const queries = [
      'billing',
      'worker 1',
      '1 worker',
      'eu v2',
      'ünï 5',
      'ab',
      'a',
      'billing billing',
      'rt 9',
      'zzz',
      '0',
      'οδος',
      'οδος 1',
      'i̇stanbul worker',
      'stanbul 5',
      'straße',
      'sk-0',
      'sk-1',
      'sk-',
      'proxy sk-0',
    ];
    for (const query of queries) {
      const filters = { account_id: null, include_subaccounts: true, status: null, flag: null, search: query };
      const found = Array.from(filterRows(indexed, new Uint16Array(indexed.length), all, filters, null));
      const byKey = indexed.flatMap((entry, i) =>
        (
          /^sk-[0-9a-f]{0,8}$/.test(query)
            ? entry.key.partial_key.startsWith(query)
            : query
                .toLowerCase()
                .split(/\s+/)
                .every((word) => haystackOf(entry.key).includes(word))
        )
          ? [i]
          : [],
      );
      expect(found, query).toEqual(byKey);
    }
  });
});

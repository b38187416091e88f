// The review's exports: CSV a spreadsheet opens without running a formula a client sent, JSON with
// no raw hidden character that parses back to the same data.
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/shared/report/csv';
import { keyUseCsv, keyUseJson } from '../../src/shared/report/key-use-export';
import type { RequestRecord } from '../../src/shared/request-log';

const request: RequestRecord = {
  id: '7',
  at: '2026-06-01T12:00:00.000Z',
  method: 'GET',
  route: '/v1/accounts/:accountId',
  status: 200,
  outcome: 'ok',
  account_id: null,
  address: '203.0.113.7',
  user_agent: '=HYPERLINK("http://evil"), "quoted"',
  source_id: '1',
  request_id: 'req_0123456789abcdef',
};

describe('review exports', () => {
  it('writes the requests as CSV, one row each, a formula left as text', () => {
    const rows = parseCsv(keyUseCsv([request]));
    expect(rows[0]).toEqual([
      'at',
      'method',
      'route',
      'status',
      'outcome',
      'account_id',
      'address',
      'user_agent',
      'request_id',
    ]);
    expect(rows[1]).toEqual([
      request.at,
      'GET',
      request.route,
      '200',
      'ok',
      '',
      '203.0.113.7',
      request.user_agent,
      request.request_id,
    ]);
    expect(keyUseCsv([request])).toContain(`"'=HYPERLINK`);
  });

  it('writes the whole review as JSON with hidden characters escaped', () => {
    const sneaky = { ...request, user_agent: 'agent\u202etxt.exe' };
    const json = keyUseJson({
      partial_key: 'sk-0a1b2c3d',
      exposed_at: null,
      sources: [],
      requests: [sneaky],
      actions: [],
    });
    expect(json).not.toContain('\u202e');
    expect(JSON.parse(json).requests[0].user_agent).toBe('agent\u202etxt.exe');
  });
});

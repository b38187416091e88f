// The harness's IPC answers: what goes in comes out, long strings (sent outside the JSON) included.
import { describe, expect, it } from 'vitest';
import { decodeAnswer, encodeAnswer } from '../harness/ipc-answer';

const roundTrip = (value: unknown) => {
  const bytes = Buffer.concat(encodeAnswer(value));
  return decodeAnswer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
};

describe('harness IPC answers', () => {
  it('carries any JSON value, and long strings as they are (quotes, newlines, non-ASCII)', () => {
    const long = `["é\\"quoted\\"", "${'x'.repeat(70_000)}"]\n€ 🔑`;
    const answer = { ok: true, data: { connection_id: 'conn_1', columns: long, list: [1, null, 'short'], also: long } };
    expect(roundTrip(answer)).toEqual(answer);
    expect(roundTrip({ ok: false, error: { code: 'x', message: 'y' } })).toEqual({
      ok: false,
      error: { code: 'x', message: 'y' },
    });
    expect(roundTrip(null)).toBeNull();
  });
});

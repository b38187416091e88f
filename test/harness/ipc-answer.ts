// How the harness carries an IPC answer over HTTP: JSON, except that long strings travel after it
// as they are. Electron's IPC passes a string without re-encoding it; inside JSON, the inventory's
// 12.6 MB of key columns would be escaped by the harness and unescaped by the window, work the app
// never does (115–150 ms against 25–65 ms for both ends, timed in Node). Used only by the harness.

/** Strings at least this long travel outside the JSON. */
const LONG = 1 << 16;

interface LongString {
  $harnessLong: number;
}

/** The answer's bytes: a line with each part's length, the JSON, then each long string (UTF-8). */
export function encodeAnswer(value: unknown): Buffer[] {
  const long: string[] = [];
  const json = JSON.stringify(value, (_key, each: unknown) =>
    typeof each === 'string' && each.length >= LONG
      ? ({ $harnessLong: long.push(each) - 1 } satisfies LongString)
      : each,
  );
  const parts = [json, ...long].map((text) => Buffer.from(text, 'utf8'));
  return [Buffer.from(`${JSON.stringify(parts.map((part) => part.length))}\n`), ...parts];
}

export function decodeAnswer(bytes: ArrayBuffer): unknown {
  const view = new Uint8Array(bytes);
  const decoder = new TextDecoder();
  const headerEnd = view.indexOf(10);
  const lengths = JSON.parse(decoder.decode(view.subarray(0, headerEnd))) as number[];
  let at = headerEnd + 1;
  const [json = 'null', ...long] = lengths.map((length) => {
    const text = decoder.decode(view.subarray(at, at + length));
    at += length;
    return text;
  });
  if (long.length === 0) return JSON.parse(json);
  return JSON.parse(json, (_key, each: unknown) =>
    each !== null && typeof each === 'object' && '$harnessLong' in each
      ? long[(each as LongString).$harnessLong]
      : each,
  );
}

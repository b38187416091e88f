// RFC 4180 CSV: quoted when needed, CRLF between records. Cells a spreadsheet would run as a
// formula (=, +, -, @ first) get a leading apostrophe on the way out, and lose it on the way in.
// A value that already starts with apostrophes before such a character gets one more, so it comes
// back exactly as it left (`'=x` is written `''=x`).

const GUARDED = /^'*[=+\-@\t\r]/;
const UNGUARD = /^'+[=+\-@\t\r]/;

function cell(value: string): string {
  const safe = GUARDED.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string>>): string {
  return `${[header, ...rows].map((row) => row.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** Records of a CSV text, each an array of cells; throws with the line number when a quote is left open. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let value = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const endCell = () => {
    record.push(UNGUARD.test(value) ? value.slice(1) : value);
    value = '';
  };
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const char = text[i] as string;
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        value += '"';
        i++;
      } else if (char === '"') {
        quoted = false;
      } else {
        if (char === '\n') line++;
        value += char;
      }
    } else if (char === '"' && value === '') {
      quoted = true;
      quoteLine = line;
    } else if (char === ',') {
      endCell();
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      endCell();
      records.push(record);
      record = [];
      line++;
    } else {
      value += char;
    }
  }
  if (quoted) throw new Error(`line ${quoteLine}: a quoted value is never closed`);
  if (value !== '' || record.length > 0) {
    endCell();
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

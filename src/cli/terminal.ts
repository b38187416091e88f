// What the command prints for a person: data escaped so a label cannot move the cursor, retitle or
// recolour the terminal, and tables in aligned columns.

// C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates.
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Data for a terminal: each unsafe character shown as its `\u{…}` escape. */
export const forTerminal = (text: string): string =>
  text.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) as number).toString(16)}}`);

/** Rows of cells in columns two spaces apart; the first row is the header. Cells are escaped. */
export function textTable(rows: string[][]): string {
  const safe = rows.map((row) => row.map(forTerminal));
  const widths = safe[0]?.map((_, column) => Math.max(...safe.map((row) => (row[column] as string).length))) ?? [];
  return safe
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] as number))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

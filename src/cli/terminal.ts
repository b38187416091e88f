// What the command prints for a person: data escaped so a label cannot move the cursor, retitle or
// recolour the terminal, and tables in aligned columns.

import { escapeHidden } from '../shared/text-rules';

/** Data for a terminal: each hidden character (shared/text-rules.ts) shown as its `\u{…}` escape. */
export const forTerminal = escapeHidden;

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

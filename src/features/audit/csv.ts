// Writing a table as CSV for a spreadsheet: every cell quoted, and a cell that a spreadsheet would take for a
// formula (starting = + - @, or a tab or carriage return) begins with a quote mark, so it is shown as text, not run.

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replaceAll('"', '""')}"`;
}

/** The rows as CSV with CRLF line ends (RFC 4180), after a byte order mark so spreadsheets read UTF-8. */
export function csvOf(rows: readonly (readonly (string | number | null | undefined)[])[]): string {
  return `\uFEFF${rows.map((row) => row.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

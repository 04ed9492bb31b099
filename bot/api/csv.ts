/**
 * CSV for spreadsheets, one way for every export: a byte-order mark (Excel reads UTF-8), a header,
 * and every text cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, CR first)
 * prefixed with an apostrophe (CSV injection).
 */
import { stringify } from 'csv-stringify/sync';

/** Rows as spreadsheet-safe CSV under the given column names. */
export function spreadsheetCsv(
  rows: readonly (readonly (string | number)[])[],
  columns: readonly string[],
): string {
  return stringify(
    rows.map((r) => [...r]),
    {
      bom: true,
      header: true,
      columns: [...columns],
      cast: { string: (value) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value) },
    },
  );
}

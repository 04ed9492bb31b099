/**
 * Property tests of the CSV reader (README "CSV formats"; DESIGN.md §8 "malformed HR rows are
 * reported by line"): whatever the cells hold (commas, quotes, line breaks, unicode, formulas),
 * however lines end (LF, CRLF, a mix) and wherever blank lines fall, the rows come back exactly,
 * and every reported line is the line the row's record really starts on.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCsv, parseEmployeesCsv } from '../../core/index';

const RUNS = { numRuns: 200 };

/** The columns the generated files use; their order in the header is random. */
const COLUMNS = [
  'employee_id',
  'name',
  'department',
  'position_number',
  'staff_group',
  'start_date',
] as const;
type Column = (typeof COLUMNS)[number];
const TEXT_COLUMNS = ['name', 'department', 'position_number', 'staff_group'] as const;

/** Cell text made of the pieces that break CSV readers. */
const cellText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        ',',
        '"',
        '""',
        '\r',
        '\n',
        '\r\n',
        ' ',
        '\t',
        '=cmd|',
        '+',
        '-',
        '@',
        'é',
        '€',
        '😀',
        '\u00a0',
      ),
      fc.string({ unit: 'grapheme-ascii', maxLength: 8 }),
      fc.string({ unit: 'grapheme', maxLength: 3 }),
    ),
    { maxLength: 6 },
  )
  .map((parts) => parts.join(''));

/** How a cell is written: quoted even when it need not be, and with spaces around the quotes. */
const cellStyle = fc.record({ quote: fc.boolean(), pad: fc.constantFrom('', ' ', '\t ') });

const row = fc.record({
  name: cellText,
  department: cellText,
  position_number: cellText,
  staff_group: cellText,
  styles: fc.array(cellStyle, { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
  blankLinesBefore: fc.array(fc.constantFrom('', '  ', '\t', ',,', ' , '), { maxLength: 2 }),
  eol: fc.constantFrom('\n', '\r\n'),
  bad: fc.constantFrom('none', 'none', 'none', 'date', 'short'),
});
type Row = typeof row extends fc.Arbitrary<infer T> ? T : never;

const file = fc.record({
  header: fc.shuffledSubarray([...COLUMNS], { minLength: COLUMNS.length }),
  rows: fc.array(row, { maxLength: 12 }),
  endings: fc.constantFrom('lf', 'crlf', 'mixed'),
  finalEol: fc.boolean(),
});

/** Writes one cell the way a spreadsheet or a hand edit may: RFC 4180 quoting when it is needed. */
function writeCell(text: string, style: { quote: boolean; pad: string }): string {
  const needsQuotes = /[,\r\n]/.test(text) || /^[ \t]*"/.test(text);
  if (!needsQuotes && !style.quote) return text;
  return `${style.pad}"${text.replace(/"/g, '""')}"${style.pad}`;
}

const lineBreaks = (s: string): number => s.match(/\r\n|\r|\n/g)?.length ?? 0;

type FileSpec = typeof file extends fc.Arbitrary<infer T> ? T : never;

interface Written {
  readonly text: string;
  /** Rows that should be read, with the line each starts on and where its id is in the text. */
  readonly good: { line: number; id: string; idAt: number; row: Row }[];
  /** Lines of the rows that should be rejected. */
  readonly bad: number[];
}

/** Writes a generated file, noting the line each record starts on. */
function writeFile(f: FileSpec): Written {
  const eolOf = (r: Row): string => (f.endings === 'lf' ? '\n' : f.endings === 'crlf' ? '\r\n' : r.eol);
  let text = f.header.join(',');
  const good: Written['good'] = [];
  const bad: number[] = [];
  f.rows.forEach((r, i) => {
    const eol = eolOf(r);
    text += eol;
    for (const blank of r.blankLinesBefore) text += blank + eol;
    const line = 1 + lineBreaks(text);
    const id = `E${i + 1}`;
    const values: Record<Column, string> = {
      employee_id: id,
      name: r.name,
      department: r.department,
      position_number: r.position_number,
      staff_group: r.staff_group,
      start_date: r.bad === 'date' ? '2026-02-30' : '2020-01-06',
    };
    const cells = f.header.map((c, k) => writeCell(values[c], r.styles[k] ?? { quote: false, pad: '' }));
    const idColumn = f.header.indexOf('employee_id');
    const before = cells.slice(0, idColumn).join(',');
    const idAt = text.length + before.length + (idColumn > 0 ? 1 : 0) + (cells[idColumn] ?? '').indexOf(id);
    text += (r.bad === 'short' ? cells.slice(0, -1) : cells).join(',');
    if (r.bad === 'none') good.push({ line, id, idAt, row: r });
    else bad.push(line);
  });
  if (f.finalEol && f.rows.length > 0) text += eolOf(f.rows[f.rows.length - 1] as Row);
  return { text, good, bad };
}

const expectedRows = (good: Written['good']): unknown[] =>
  good.map(({ line, id, row: r }) => ({
    line,
    id,
    ...Object.fromEntries(TEXT_COLUMNS.map((c) => [c, r[c].trim()])),
  }));

const actualRows = (rows: ReturnType<typeof parseEmployeesCsv>['rows']): unknown[] =>
  rows.map(({ line, value: e }) => ({
    line,
    id: e.id,
    name: e.name,
    department: e.department,
    position_number: e.positionNumber,
    staff_group: e.staffGroup,
  }));

describe('hr-csv: properties', () => {
  it('gives back exactly the rows written, each at the line its record starts, and reports bad rows there', () => {
    fc.assert(
      fc.property(file, (f) => {
        const { text, good, bad } = writeFile(f);
        const result = parseEmployeesCsv(text);
        assert.equal(result.fileError, undefined);
        assert.deepEqual(actualRows(result.rows), expectedRows(good));
        assert.deepEqual(
          result.errors.map((e) => e.line),
          bad,
        );
      }),
      RUNS,
    );
  });

  it('reads the same rows from the file’s UTF-8 bytes, and rejects just the rows holding bytes that are not UTF-8', () => {
    fc.assert(
      fc.property(file, fc.array(fc.boolean(), { maxLength: 12 }), (f, spoil) => {
        const clean = f.rows.map((r) => ({ ...r, bad: 'none' as const }));
        const { text, good } = writeFile({ ...f, rows: clean });
        // Spoil rows by putting a 0xFF byte (never UTF-8) before the id (which may be on a later line).
        const encoder = new TextEncoder();
        const spoiled = new Set(good.filter((_, i) => spoil[i] === true).map((g) => g.id));
        const parts: number[] = [];
        let from = 0;
        for (const g of good) {
          if (!spoiled.has(g.id)) continue;
          parts.push(...encoder.encode(text.slice(from, g.idAt)), 0xff);
          from = g.idAt;
        }
        parts.push(...encoder.encode(text.slice(from)));
        const result = parseEmployeesCsv(decodeCsv(Uint8Array.from(parts)));
        assert.equal(result.fileError, undefined);
        assert.deepEqual(actualRows(result.rows), expectedRows(good.filter((g) => !spoiled.has(g.id))));
        assert.deepEqual(
          result.errors.map((e) => e.line),
          good.filter((g) => spoiled.has(g.id)).map((g) => g.line),
        );
        for (const e of result.errors) assert.match(e.message, /^(line \d+: )?byte 0xFF is not UTF-8/);
      }),
      RUNS,
    );
  });

  it('after a quote that is never closed, reports that row at its first line and reads every later row', () => {
    const plain = fc.stringMatching(/^[A-Za-z0-9 .'é€-]{0,12}$/);
    fc.assert(
      fc.property(file, fc.array(plain, { minLength: 1, maxLength: 8 }), (f, later) => {
        const { text, good, bad } = writeFile(f);
        const eol = f.endings === 'crlf' ? '\r\n' : '\n';
        const brokenLine = 1 + lineBreaks(text + eol);
        const rowText = (values: Partial<Record<Column, string>>): string =>
          f.header.map((c) => values[c] ?? '').join(',');
        // An opening quote in the name cell, never closed; the later rows hold no quotes.
        const broken = rowText({ employee_id: 'B0', name: '"Smith, Jo', start_date: '2020-01-06' });
        const tailText = later
          .map((name, i) => rowText({ employee_id: `L${i + 1}`, name, start_date: '2020-01-06' }))
          .join(eol);
        const result = parseEmployeesCsv(`${text}${eol}${broken}${eol}${tailText}`);
        assert.deepEqual(
          result.rows.map((r) => [r.line, r.value.id]),
          [...good.map((g) => [g.line, g.id]), ...later.map((_, i) => [brokenLine + 1 + i, `L${i + 1}`])],
        );
        assert.deepEqual(
          result.errors.map((e) => e.line),
          [...bad, brokenLine],
        );
      }),
      RUNS,
    );
  });
});

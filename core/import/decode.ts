/**
 * Turns the bytes of an HR or conversations CSV into text, saying which lines hold bytes that are
 * not valid in the file's encoding instead of storing them as U+FFFD without a word (DESIGN.md §8
 * "malformed HR rows are reported by line and the rest imported"). Pure: the caller reads the file.
 *
 * Lines are counted as the CSV reader counts them (core/import/hr-csv.ts): LF, CRLF and a lone CR
 * each end a line, so a bad line's number is the number the reader reports for the record.
 */
import type { RowError } from './hr-csv';

/** The encodings an HR file may be read in: UTF-8 (the documented format) or Windows-1252 ("ANSI"). */
export type CsvEncoding = 'utf-8' | 'windows-1252';

/** The encodings a command may be asked for, in the order its usage text lists them. */
export const CSV_ENCODINGS: readonly CsvEncoding[] = ['utf-8', 'windows-1252'];

/**
 * Decoded CSV text, with one error per physical line that held bytes not valid in the encoding
 * (its text there has U+FFFD or a C1 control) and, when the file cannot be read as text at all,
 * `fileError` (then `text` is empty).
 */
export interface DecodedCsv {
  readonly text: string;
  readonly badLines: readonly RowError[];
  readonly fileError?: RowError | undefined;
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Windows-1252 bytes 0x80–0x9F (WHATWG index-windows-1252). Node 20's TextDecoder maps this
 * block as Latin-1 (nodejs/node#56542), so the decoder's C1 controls are corrected from here;
 * 0x81, 0x8D, 0x8F, 0x90 and 0x9D are not characters in Windows-1252 and stay as they are.
 */
const WINDOWS_1252_C1 =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

/** Bytes that Windows-1252 leaves undefined. */
function undefinedIn1252(byte: number): boolean {
  return byte === 0x81 || byte === 0x8d || byte === 0x8f || byte === 0x90 || byte === 0x9d;
}

const hex = (byte: number): string => `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;

/**
 * Length of the valid UTF-8 sequence starting at `i` (RFC 3629: no overlong forms, no surrogates,
 * nothing above U+10FFFF), or 0 when the bytes there are not UTF-8. `bytes[i]` is ≥ 0x80.
 */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] ?? 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes[i + k];
    return b !== undefined && b >= lo && b <= hi;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if (b0 === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b0 >= 0xe1 && b0 <= 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b0 === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b0 >= 0xf1 && b0 <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b0 === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/** The message for a line with bytes that are not UTF-8, naming them and the likely encoding. */
function utf8Message(badBytes: readonly number[], looks1252: boolean): string {
  const distinct = [...new Set(badBytes)];
  const shown = distinct.slice(0, 3);
  const names = shown.map(hex).join(', ') + (distinct.length > shown.length ? ', …' : '');
  const base = `${distinct.length === 1 ? 'byte' : 'bytes'} ${names} ${distinct.length === 1 ? 'is' : 'are'} not UTF-8`;
  if (!looks1252) return base;
  const as1252 = shown.map((b) =>
    b >= 0x80 && b <= 0x9f ? WINDOWS_1252_C1[b - 0x80] : String.fromCharCode(b),
  );
  return `${base} (in Windows-1252: ${as1252.map((c) => `"${c ?? ''}"`).join(', ')}); if the file was saved as Windows-1252 ("ANSI"), use --encoding windows-1252`;
}

/** Lines with bytes that are not UTF-8. */
function utf8BadLines(bytes: Uint8Array, start: number): RowError[] {
  const bad: RowError[] = [];
  let line = 1;
  let badBytes: number[] = [];
  let looks1252 = true;
  const endLine = (): void => {
    if (badBytes.length > 0) bad.push({ line, message: utf8Message(badBytes, looks1252) });
    badBytes = [];
    looks1252 = true;
    line += 1;
  };
  for (let i = start; i < bytes.length;) {
    const b = bytes[i] ?? 0;
    if (b < 0x80) {
      if (b === LF) endLine();
      else if (b === CR) {
        if (bytes[i + 1] === LF) i += 1;
        endLine();
      }
      i += 1;
      continue;
    }
    const n = utf8SequenceLength(bytes, i);
    if (n > 0) {
      i += n;
      continue;
    }
    badBytes.push(b);
    if (undefinedIn1252(b)) looks1252 = false;
    i += 1;
  }
  if (badBytes.length > 0) bad.push({ line, message: utf8Message(badBytes, looks1252) });
  return bad;
}

/** Lines with bytes that Windows-1252 leaves undefined. */
function windows1252BadLines(bytes: Uint8Array): RowError[] {
  const bad: RowError[] = [];
  let line = 1;
  let badBytes: number[] = [];
  const flush = (): void => {
    if (badBytes.length > 0) {
      const distinct = [...new Set(badBytes)];
      const one = distinct.length === 1;
      bad.push({
        line,
        message: `${one ? 'byte' : 'bytes'} ${distinct.map(hex).join(', ')} ${one ? 'is' : 'are'} not a Windows-1252 character (is the file in another encoding?)`,
      });
    }
    badBytes = [];
  };
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i] ?? 0;
    if (b === LF || b === CR) {
      if (b === CR && bytes[i + 1] === LF) i += 1;
      flush();
      line += 1;
    } else if (undefinedIn1252(b)) badBytes.push(b);
  }
  flush();
  return bad;
}

/** A whole-file refusal for a file that is UTF-16 (by its BOM, or by being mostly NUL bytes). */
function utf16Refusal(bytes: Uint8Array): RowError | undefined {
  const [b0, b1] = bytes;
  if ((b0 === 0xff && b1 === 0xfe) || (b0 === 0xfe && b1 === 0xff)) {
    return {
      line: 0,
      message: `the file is UTF-16 (it starts with a UTF-16 byte order mark); save it as "CSV UTF-8" and import it again`,
    };
  }
  const sample = bytes.subarray(0, 1024);
  let nuls = 0;
  for (const b of sample) if (b === 0) nuls += 1;
  if (sample.length >= 2 && nuls * 4 >= sample.length) {
    return {
      line: 0,
      message: `the file holds NUL bytes, as UTF-16 text does; save it as "CSV UTF-8" and import it again`,
    };
  }
  return undefined;
}

/**
 * Decodes a CSV file's bytes (README "CSV formats": UTF-8, a BOM allowed; or Windows-1252 when
 * asked). Every line with bytes that are not valid in `encoding` is in `badLines` — for UTF-8,
 * with a hint to use `--encoding windows-1252` when the bytes read as Windows-1252 — and the
 * rest decodes as usual. A UTF-16 file, or a UTF-8 BOM on a file said to be Windows-1252, is
 * refused as a whole in `fileError`.
 */
export function decodeCsv(bytes: Uint8Array, encoding: CsvEncoding = 'utf-8'): DecodedCsv {
  const refusal = utf16Refusal(bytes);
  if (refusal) return { text: '', badLines: [], fileError: refusal };
  const utf8Bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (encoding === 'windows-1252') {
    if (utf8Bom) {
      return {
        text: '',
        badLines: [],
        fileError: {
          line: 0,
          message:
            'the file starts with a UTF-8 byte order mark, so it is UTF-8: leave out --encoding windows-1252',
        },
      };
    }
    const text = new TextDecoder('windows-1252')
      .decode(bytes)
      .replace(/[\u0080-\u009F]/g, (c) => WINDOWS_1252_C1[c.charCodeAt(0) - 0x80] ?? c);
    return { text, badLines: windows1252BadLines(bytes) };
  }
  const start = utf8Bom ? 3 : 0;
  // Replacement decoding never consumes an ASCII byte into U+FFFD, so line breaks stay where they were.
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(start));
  return { text, badLines: utf8BadLines(bytes, start) };
}

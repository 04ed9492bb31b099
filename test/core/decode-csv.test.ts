/**
 * Decoding a CSV file's bytes (README "CSV formats": UTF-8 with an optional BOM, or Windows-1252 on
 * request): bytes not valid in the encoding are named per line, never turned into U+FFFD in silence
 * (DESIGN.md §8 "malformed HR rows are reported by line and the rest imported").
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCsv } from '../../core/import/decode';

const utf8 = (s: string): number[] => [...new TextEncoder().encode(s)];
const bytes = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? utf8(p) : p)));

/** Windows-1252 bytes 0x80–0x9F as Microsoft's code page defines them (undefined: null). */
const CP1252_HIGH: readonly (string | null)[] = [
  '€',
  null,
  '‚',
  'ƒ',
  '„',
  '…',
  '†',
  '‡',
  'ˆ',
  '‰',
  'Š',
  '‹',
  'Œ',
  null,
  'Ž',
  null,
  null,
  '‘',
  '’',
  '“',
  '”',
  '•',
  '–',
  '—',
  '˜',
  '™',
  'š',
  '›',
  'œ',
  null,
  'ž',
  'Ÿ',
];

describe('decodeCsv: UTF-8', () => {
  it('drops a BOM and reports nothing for valid text', () => {
    assert.deepEqual(decodeCsv(bytes([0xef, 0xbb, 0xbf], 'a,b\r\nZoë,€😀\n')), {
      text: 'a,b\r\nZoë,€😀\n',
      badLines: [],
    });
  });

  it('names each line with bytes that are not UTF-8, counting LF, CRLF and lone CR line ends', () => {
    const { text, badLines } = decodeCsv(
      bytes(
        'h\r\nRen',
        [0xe9],
        '\nok\rbad',
        [0x93, 0x94],
        '\r\n',
        [0xc0, 0xaf],
        [0xed, 0xa0, 0x80],
        '\nx',
        [0xe2, 0x82],
      ),
    );
    assert.equal(text.split(/\r\n|\r|\n/).length, 6);
    assert.deepEqual(
      badLines.map((b) => b.line),
      [2, 4, 5, 6],
    );
    assert.equal(
      badLines[0]?.message,
      'byte 0xE9 is not UTF-8 (in Windows-1252: "é"); if the file was saved as Windows-1252 ("ANSI"), use --encoding windows-1252',
    );
    assert.match(badLines[1]?.message ?? '', /^bytes 0x93, 0x94 are not UTF-8 \(in Windows-1252: "“", "”"\)/);
    // Overlong forms and UTF-16 surrogates are not UTF-8 either.
    assert.match(badLines[2]?.message ?? '', /^bytes 0xC0, 0xAF, 0xED, … are not UTF-8/);
    // A sequence cut short by the end of the file.
    assert.match(badLines[3]?.message ?? '', /^bytes 0xE2, 0x82 are not UTF-8/);
  });

  it('does not suggest Windows-1252 for bytes that are not Windows-1252 either', () => {
    assert.deepEqual(decodeCsv(bytes('a\n', [0x81], 'b')).badLines, [
      { line: 2, message: 'byte 0x81 is not UTF-8' },
    ]);
  });

  it('refuses UTF-16 as a whole, by its BOM or its NUL bytes', () => {
    for (const file of [
      bytes([0xff, 0xfe], 'a\0,\0'),
      bytes([0xfe, 0xff], '\0a\0,'),
      bytes('\0e\0m\0p\0,\0'),
    ]) {
      const decoded = decodeCsv(file);
      assert.equal(decoded.text, '');
      assert.deepEqual(decoded.badLines, []);
      assert.equal(decoded.fileError?.line, 0);
      assert.match(decoded.fileError?.message ?? '', /UTF-16.*save it as "CSV UTF-8"/);
    }
  });

  it('gives back any text it was given, with nothing reported', () => {
    fc.assert(
      // Without NUL, which a CSV never holds and which the UTF-16 check looks for.
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 200 }).map((t) => t.replace(/\0/g, '')),
        (s) => {
          const decoded = decodeCsv(new TextEncoder().encode(s));
          assert.deepEqual(decoded, { text: s.replace(/^\uFEFF/, ''), badLines: [] });
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('decodeCsv: Windows-1252', () => {
  it('decodes every byte as the code page defines it (€, smart quotes, dashes, é, £)', () => {
    const high = Array.from({ length: 32 }, (_, i) => 0x80 + i).filter((b) => CP1252_HIGH[b - 0x80] !== null);
    const { text, badLines } = decodeCsv(Uint8Array.from([...high, 0xe9, 0xa3, 0xff, 0x41]), 'windows-1252');
    assert.equal(text, `${CP1252_HIGH.filter((c) => c !== null).join('')}é£ÿA`);
    assert.deepEqual(badLines, []);
  });

  it('names the lines holding bytes the code page leaves undefined', () => {
    assert.deepEqual(decodeCsv(bytes('a\r\nb', [0x81, 0x9d], '\nc\r', [0x8d]), 'windows-1252').badLines, [
      {
        line: 2,
        message: 'bytes 0x81, 0x9D are not a Windows-1252 character (is the file in another encoding?)',
      },
      { line: 4, message: 'byte 0x8D is not a Windows-1252 character (is the file in another encoding?)' },
    ]);
  });

  it('refuses a file with a UTF-8 BOM, which says it is UTF-8', () => {
    assert.deepEqual(decodeCsv(bytes([0xef, 0xbb, 0xbf], 'a'), 'windows-1252').fileError, {
      line: 0,
      message:
        'the file starts with a UTF-8 byte order mark, so it is UTF-8: leave out --encoding windows-1252',
    });
  });

  it('gives back any text written in the code page', () => {
    const repertoire = [
      ...Array.from({ length: 0x80 }, (_, i) => String.fromCharCode(i)).filter((c) => c !== '\0'),
      ...CP1252_HIGH.filter((c): c is string => c !== null),
      ...Array.from({ length: 0x60 }, (_, i) => String.fromCharCode(0xa0 + i)),
    ];
    const encode = (s: string): Uint8Array =>
      Uint8Array.from(
        [...s].map((c) => {
          const at = CP1252_HIGH.indexOf(c);
          return at === -1 ? c.charCodeAt(0) : 0x80 + at;
        }),
      );
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...repertoire), { maxLength: 200 }), (chars) => {
        const s = chars.join('');
        assert.deepEqual(decodeCsv(encode(s), 'windows-1252'), { text: s, badLines: [] });
      }),
      { numRuns: 200 },
    );
  });
});

// Decoding of text artifacts. Windows tools write UTF-16LE with a BOM (regedit, secedit, wmic
// redirected by cmd), UTF-8 with or without BOM (PowerShell 5.1 `Out-File -Encoding utf8`, copies),
// or the console's OEM code page (netstat, systeminfo through `>`). Line numbers must survive every
// one of these, because provenance points at them.

export type TextEncodingName =
  | 'utf-16le-bom'
  | 'utf-16be-bom'
  | 'utf-16le'
  | 'utf-16be'
  | 'utf-8-bom'
  | 'utf-8'
  | 'ibm866'
  | 'windows-1252';

export interface DecodedText {
  /** The text without BOM, with original line breaks. */
  text: string;
  encoding: TextEncodingName;
  /** Lines without their terminators; `lines[0]` is line 1. A final newline does not add an
   *  empty last line. */
  lines: string[];
  newline: 'crlf' | 'lf' | 'cr' | 'mixed' | 'none';
  finalNewline: boolean;
}

function hasUtf16Pattern(bytes: Uint8Array, zeroAtOdd: boolean): boolean {
  // ASCII-heavy UTF-16 text has a zero in every other byte. Sample the first 512 bytes.
  const n = Math.min(bytes.length - (bytes.length % 2), 512);
  if (n < 4) return false;
  let zeros = 0;
  let other = 0;
  for (let i = 0; i < n; i += 2) {
    const a = bytes[i]!;
    const b = bytes[i + 1]!;
    if (zeroAtOdd ? b === 0 && a !== 0 : a === 0 && b !== 0) zeros++;
    if (zeroAtOdd ? a === 0 : b === 0) other++;
  }
  return zeros >= (n / 2) * 0.6 && other < (n / 2) * 0.1;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
// One decoder per encoding, reused: a decode() call without `stream` starts from a fresh state
// (BOM handling included), and constructing decoders per file showed in bulk-audit profiles.
const lenientUtf8 = new TextDecoder('utf-8');
const utf16le = new TextDecoder('utf-16le');
const utf16be = new TextDecoder('utf-16be');

function tryDecoder(label: string): InstanceType<typeof TextDecoder> | undefined {
  try {
    return new TextDecoder(label);
  } catch {
    return undefined;
  }
}

/** Decode bytes the way Windows wrote them. Never throws: undecodable bytes become U+FFFD. */
export function decodeText(input: Uint8Array | string): DecodedText {
  const { text, encoding } = decodeString(input);
  return withLines(text, encoding);
}

/** `decodeText` without the line split, for parsers that read the text whole (XML, JSON) and
 *  count lines themselves: a 100 KB configuration file is thousands of line strings otherwise. */
export function decodeString(input: Uint8Array | string): { text: string; encoding: TextEncodingName } {
  if (typeof input === 'string') return { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, encoding: 'utf-8' };
  const b = input;
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { text: utf16le.decode(b.subarray(2)), encoding: 'utf-16le-bom' };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { text: utf16be.decode(b.subarray(2)), encoding: 'utf-16be-bom' };
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) return { text: lenientUtf8.decode(b.subarray(3)), encoding: 'utf-8-bom' };
  if (hasUtf16Pattern(b, true)) return { text: utf16le.decode(b), encoding: 'utf-16le' };
  if (hasUtf16Pattern(b, false)) return { text: utf16be.decode(b), encoding: 'utf-16be' };
  try {
    return { text: strictUtf8.decode(b), encoding: 'utf-8' };
  } catch {
    // Not UTF-8: a console capture in an OEM code page, or an ANSI file. Cyrillic consoles use
    // CP866, where letters sit in 0x80–0xAF and 0xE0–0xEF; ANSI Western text rarely fills those.
    let cyr = 0;
    let high = 0;
    for (const x of b) {
      if (x >= 0x80) {
        high++;
        if (x <= 0xaf || (x >= 0xe0 && x <= 0xef)) cyr++;
      }
    }
    const oem = cyr / Math.max(high, 1) > 0.8 ? tryDecoder('ibm866') : undefined;
    if (oem) return { text: oem.decode(b), encoding: 'ibm866' };
    const ansi = tryDecoder('windows-1252') ?? new TextDecoder('latin1');
    return { text: ansi.decode(b), encoding: 'windows-1252' };
  }
}

function withLines(text: string, encoding: TextEncodingName): DecodedText {
  // Bundles are audited by the thousand: regex splitting plus three counting passes cost more
  // than the parsers. The common cases (only LF, or only CR LF) are cut with the native indexOf;
  // text with a lone CR anywhere takes the character loop.
  const n = text.length;
  let crs = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) crs++;
  const lines: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  if (crs === 0 || countCrlf(text) === crs) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', start)) {
      if (i > 0 && text.charCodeAt(i - 1) === 13) {
        lines.push(text.slice(start, i - 1));
        crlf++;
      } else {
        lines.push(text.slice(start, i));
        lf++;
      }
      start = i + 1;
    }
    return finish(text, encoding, lines, start, crlf, lf, 0);
  }
  let cr = 0;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lines.push(text.slice(start, i));
      lf++;
      start = i + 1;
    } else if (c === 13) {
      lines.push(text.slice(start, i));
      if (text.charCodeAt(i + 1) === 10) {
        crlf++;
        i++;
      } else cr++;
      start = i + 1;
    }
  }
  return finish(text, encoding, lines, start, crlf, lf, cr);
}

function countCrlf(text: string): number {
  let k = 0;
  for (let i = text.indexOf('\r\n'); i >= 0; i = text.indexOf('\r\n', i + 2)) k++;
  return k;
}

function finish(text: string, encoding: TextEncodingName, lines: string[], start: number, crlf: number, lf: number, cr: number): DecodedText {
  const n = text.length;
  const finalNewline = start === n && n > 0;
  if (start < n) lines.push(text.slice(start));
  const kinds = (crlf > 0 ? 1 : 0) + (lf > 0 ? 1 : 0) + (cr > 0 ? 1 : 0);
  const newline = kinds === 0 ? 'none' : kinds > 1 ? 'mixed' : crlf > 0 ? 'crlf' : lf > 0 ? 'lf' : 'cr';
  return { text, encoding, lines, newline, finalNewline };
}

/** The encoding a file's first bytes announce (BOM or zero-byte pattern), without decoding it. */
export function sniffEncoding(bytes: Uint8Array): TextEncodingName {
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le-bom';
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be-bom';
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8-bom';
  if (hasUtf16Pattern(bytes, true)) return 'utf-16le';
  if (hasUtf16Pattern(bytes, false)) return 'utf-16be';
  return decodeString(bytes.subarray(0, Math.min(bytes.length, 4096))).encoding;
}

/** Split already-decoded text into lines (same rules as decodeText). */
export function splitLines(text: string): string[] {
  return withLines(text, 'utf-8').lines;
}

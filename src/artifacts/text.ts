// Decoding of text artifacts. Windows tools write UTF-16LE with a BOM (regedit, secedit, wmic
// redirected by cmd), UTF-8 with or without BOM (PowerShell 5.1 `Out-File -Encoding utf8`, copies),
// or the console's OEM code page (netstat, systeminfo through `>`). Line numbers must survive every
// one of these, because provenance points at them.
import { isAscii, isUtf8 } from 'node:buffer';

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
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe) return { text: decodeUtf16le(b.subarray(2)), encoding: 'utf-16le-bom' };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff) return { text: utf16be.decode(b.subarray(2)), encoding: 'utf-16be-bom' };
  if (b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) {
    const body = b.subarray(3);
    return { text: isAscii(body) ? latin1(body) : lenientUtf8.decode(body), encoding: 'utf-8-bom' };
  }
  if (hasUtf16Pattern(b, true)) return { text: decodeUtf16le(b), encoding: 'utf-16le' };
  if (hasUtf16Pattern(b, false)) return { text: utf16be.decode(b), encoding: 'utf-16be' };
  if (isAscii(b)) return { text: latin1(b), encoding: 'utf-8' };
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

/** ASCII bytes are the same text in UTF-8 and Latin-1, and Buffer's Latin-1 copy is about half
 *  the cost of a (validating) UTF-8 TextDecoder: most console captures and every sample
 *  configuration file are pure ASCII (a 96 KB applicationHost.config: ~19 → ~13 µs). */
function latin1(b: Uint8Array): string {
  return (Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength)).toString('latin1');
}

/** UTF-16LE through Buffer's UCS-2 copy, about 3× faster than TextDecoder's (19 → 6 µs for a
 *  43 KB wmic capture; most Windows exports are UTF-16). That copy keeps unpaired surrogates and
 *  drops an odd last byte where TextDecoder writes U+FFFD, so such input still goes through
 *  TextDecoder; so does a second BOM, which TextDecoder strips. */
function decodeUtf16le(b: Uint8Array): string {
  if (b.length % 2 === 0) {
    const text = Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('utf16le');
    if (text.charCodeAt(0) !== 0xfeff && !LONE_SURROGATE_CANDIDATE.test(text)) return text;
  }
  return utf16le.decode(b);
}
const LONE_SURROGATE_CANDIDATE = /[\ud800-\udfff]/;

function withLines(text: string, encoding: TextEncodingName): DecodedText {
  // Bundles are audited by the thousand: regex splitting plus counting passes cost more than the
  // parsers. The common cases (only LF, or only CR LF) are cut with the native indexOf; if the
  // text has a CR that is not part of a CR LF, the cut is redone by the character loop.
  const n = text.length;
  let lines: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
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
  let crs = 0;
  for (let i = text.indexOf('\r'); i >= 0 && crs <= crlf; i = text.indexOf('\r', i + 1)) crs++;
  if (crs === crlf) return finish(text, encoding, lines, start, crlf, lf, 0);
  lines = [];
  crlf = 0;
  lf = 0;
  start = 0;
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
  // Validating is enough to tell UTF-8; only other text needs decoding to pick its code page.
  // The head is cut at a character boundary: a multi-byte character across the 4,096-byte mark
  // (continuation bytes are 10xxxxxx; a character has at most three) is left out whole.
  let end = Math.min(bytes.length, 4096);
  if (end < bytes.length) for (let k = 0; k < 3 && (bytes[end]! & 0xc0) === 0x80; k++) end--;
  const head = bytes.subarray(0, end);
  return isUtf8(head) ? 'utf-8' : decodeString(head).encoding;
}

/** Split already-decoded text into lines (same rules as decodeText). */
export function splitLines(text: string): string[] {
  return withLines(text, 'utf-8').lines;
}

/** Line numbers inside a decoded text without cutting it into line strings (same line rules as
 *  decodeText: LF, CR LF or a lone CR ends a line). Questions asked in document order cost one
 *  forward scan in all: the position of the last answer is kept. JSON artifacts use this to
 *  place each object; splitting a 20 KB services.json into lines and scanning them per object
 *  was two thirds of its parse. */
export class TextLines {
  /** Start offset of line `line` (1-based): where the last answer was found. */
  private at = 0;
  private line = 1;
  private readonly loneCr: boolean;

  constructor(readonly text: string) {
    let lone = false;
    for (let i = text.indexOf('\r'); i >= 0 && !lone; i = text.indexOf('\r', i + 1)) lone = text.charCodeAt(i + 1) !== 10;
    this.loneCr = lone;
  }

  /** Offset where the line after the one starting at `from` starts, or -1 without a line break. */
  private nextLine(from: number): number {
    const t = this.text;
    if (!this.loneCr) {
      const lf = t.indexOf('\n', from);
      return lf < 0 ? -1 : lf + 1;
    }
    for (let i = from; i < t.length; i++) {
      const c = t.charCodeAt(i);
      if (c === 10) return i + 1;
      if (c === 13) return t.charCodeAt(i + 1) === 10 ? i + 2 : i + 1;
    }
    return -1;
  }

  /** 1-based line of the character at `offset` (0 ≤ offset < text.length). */
  lineAt(offset: number): number {
    if (offset < this.at) {
      this.at = 0;
      this.line = 1;
    }
    for (let next = this.nextLine(this.at); next >= 0 && next <= offset; next = this.nextLine(this.at)) {
      this.at = next;
      this.line++;
    }
    return this.line;
  }

  /** The 1-based line where `needle` first occurs on line `from + 1` or later (a needle never
   *  spans lines): what scanning the lines from index `from` with `includes` would answer. */
  find(needle: string, from = 0): number | undefined {
    if (needle.includes('\n') || needle.includes('\r')) return undefined;
    const at = this.seek(from + 1);
    if (at < 0) return undefined;
    const i = this.text.indexOf(needle, at);
    return i < 0 ? undefined : this.lineAt(i);
  }

  /** `find('"' + name + '"', from)` without building the needle: JSON artifacts place each
   *  object by its quoted name, a hundred times per services.json. */
  findQuoted(name: string, from = 0): number | undefined {
    if (name.includes('\n') || name.includes('\r')) return undefined;
    const at = this.seek(from + 1);
    if (at < 0) return undefined;
    const t = this.text;
    for (let i = t.indexOf(name, at + 1); i >= 0; i = t.indexOf(name, i + 1)) {
      if (t.charCodeAt(i - 1) === 34 && t.charCodeAt(i + name.length) === 34) return this.lineAt(i - 1);
    }
    return undefined;
  }

  /** Move to the start of line `want` (1-based) and return its offset; -1 when the text has
   *  fewer lines (a final line break does not open another line). */
  private seek(want: number): number {
    if (want < this.line) {
      this.at = 0;
      this.line = 1;
    }
    let at = this.at;
    let line = this.line;
    while (line < want) {
      const next = this.nextLine(at);
      if (next < 0) return -1;
      at = next;
      line++;
    }
    this.at = at;
    this.line = line;
    return at >= this.text.length ? -1 : at;
  }
}

/** Does `s` start with `prefix` (given in lower case) in any letter case? What `/^prefix/i`
 *  tests (without the `u` flag only ASCII letters match across case), and what
 *  `s.toLowerCase().startsWith(prefix)` answers for an ASCII prefix, without a lower-case copy. */
export function startsWithCi(s: string, prefix: string): boolean {
  if (s.length < prefix.length) return false;
  for (let k = 0; k < prefix.length; k++) {
    const c = s.charCodeAt(k);
    const p = prefix.charCodeAt(k);
    if (c !== p && !(p >= 97 && p <= 122 && c === p - 32)) return false;
  }
  return true;
}

// A small, strict XML reader for Windows configuration files (applicationHost.config, web.config,
// MetaBase.xml). It builds a plain element tree with the line each element starts on, and nothing
// else: text content is checked for well-formedness but not kept, because no configuration value
// we judge lives in text.
//
// Why our own reader: a 100 KB applicationHost.config is parsed once per bundle and bundles are
// audited by the thousand; a general SAX parser spent most of that time building per-character
// state and attribute objects we then copied again. The reader scans a typed-array copy of the
// code units (see `codeUnits`); strings are only cut from the text for names and values.
//
// Safety (CONTROLS.md asks for a parser that never resolves external entities):
// - A DOCTYPE (with its internal subset) is skipped with a warning. Nothing it declares is ever
//   read: an `&name;` reference to a declared entity stays literal text and is reported as
//   undefined. External identifiers (SYSTEM/PUBLIC) are never fetched.
// - Only the five predefined entities and numeric character references are expanded.
// - The reader never throws. Malformed input becomes problems with the file and line; reading
//   stops after MAX_ERRORS of them. Nesting is tracked on an array, not the call stack, and
//   elements nested deeper than MAX_DEPTH are dropped (with one problem), so a hostile file
//   cannot exhaust the stack of anything that later walks the tree recursively.
//
// Well-formedness rules follow XML 1.0 (fifth edition): §2.2 characters, §2.3 names, §2.4
// character data (no `]]>`), §2.5 comments (no `--`), §2.6 processing instructions, §2.7 CDATA,
// §2.8 the XML declaration (only at the very start), §3.1 tags and attributes (quoted values,
// no `<` in a value, no duplicate attribute), §3.3.3 attribute-value normalisation (each TAB, LF,
// CR or CR LF in a literal value becomes one space; character references are not normalised),
// §2.11 end-of-line handling (CR LF and a lone CR both end a line).
import type { ParseProblem } from '../host/state.js';

export interface XmlElement {
  name: string;
  /** Line of the element's `<`, 1-based, plus the caller's line offset. */
  line: number;
  /** Attributes as flat pairs `[name0, value0, name1, value1, …]` in document order, values after
   *  entity expansion and normalisation. A repeated name (an error) keeps its first position and
   *  the last value. Pairs rather than an object: building one object per element and then
   *  copying it again cost more than the rest of the reader. See `xmlAttr`. Exactly sized, and
   *  one shared frozen empty array for elements without attributes. */
  attrs: readonly string[];
  /** One shared frozen empty array for self-closing elements (most of a configuration file). */
  children: readonly XmlElement[];
}

export const MAX_XML_ERRORS = 20;
const NAME_CACHE_SIZE = 256;
const NO_ATTRS: readonly string[] = Object.freeze([]);
const NO_CHILDREN: readonly XmlElement[] = Object.freeze([]);
export const MAX_XML_DEPTH = 64;

// Character classes for the ASCII range: 1 = may start a name, 2 = may continue a name.
const NAME_START = 1;
const NAME_CHAR = 2;
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x3a;
  const digitish = (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e;
  ASCII_CLASS[c] = letter ? NAME_START | NAME_CHAR : digitish ? NAME_CHAR : 0;
}

/** XML 1.0 §2.3 NameStartChar beyond ASCII (a supplementary character arrives as a surrogate
 *  pair and is checked by the caller). */
function isNameStartBmp(c: number): boolean {
  return (
    (c >= 0xc0 && c <= 0xd6) ||
    (c >= 0xd8 && c <= 0xf6) ||
    (c >= 0xf8 && c <= 0x2ff) ||
    (c >= 0x370 && c <= 0x37d) ||
    (c >= 0x37f && c <= 0x1fff) ||
    c === 0x200c ||
    c === 0x200d ||
    (c >= 0x2070 && c <= 0x218f) ||
    (c >= 0x2c00 && c <= 0x2fef) ||
    (c >= 0x3001 && c <= 0xd7ff) ||
    (c >= 0xf900 && c <= 0xfdcf) ||
    (c >= 0xfdf0 && c <= 0xfffd)
  );
}

function isNameCharBmp(c: number): boolean {
  return isNameStartBmp(c) || c === 0xb7 || (c >= 0x300 && c <= 0x36f) || c === 0x203f || c === 0x2040;
}

/** XML 1.0 §2.2 Char, for a code point (character references). */
function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

const XML_DECL = /^\s+version\s*=\s*(["'])1\.[0-9]+\1(?:\s+encoding\s*=\s*(["'])[A-Za-z][A-Za-z0-9._-]*\2)?(?:\s+standalone\s*=\s*(["'])(?:yes|no)\3)?\s*$/;

function describe(c: number): string {
  return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** The value of attribute `name` (exact, case-sensitive as XML is), or undefined. */
export function xmlAttr(el: XmlElement, name: string): string | undefined {
  const a = el.attrs;
  for (let i = 0; i < a.length; i += 2) if (a[i] === name) return a[i + 1];
  return undefined;
}

/** The document as UTF-16 code units, followed by two 0s (see `codeUnits`). */
let scratchUnits = new Uint16Array(0);
let scratchBytes = Buffer.alloc(0);
/** Documents up to this many code units reuse one buffer per thread; longer ones get their own. */
const MAX_SCRATCH_UNITS = 1 << 21;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** `s` as code units in a typed array, with two 0s after the last one. The reader's hot loops read
 *  from this instead of `charCodeAt`: a typed-array load is about 3× cheaper per character in
 *  V8 (160 → 54 µs for a pass over a 96 KB applicationHost.config) and the copy costs ~4 µs.
 *  The 0 ends every hot loop (it is neither a name character, white space nor an ordinary
 *  character), and the slow paths then tell the end of the input from a real U+0000. */
function codeUnits(s: string): Uint16Array {
  const need = s.length + 2;
  let units = scratchUnits;
  let bytes = scratchBytes;
  if (units.length < need) {
    units = new Uint16Array(Math.max(need, 2 * units.length, 1 << 14));
    bytes = Buffer.from(units.buffer, units.byteOffset, units.byteLength);
    if (need <= MAX_SCRATCH_UNITS) {
      scratchUnits = units;
      scratchBytes = bytes;
    }
  }
  if (LITTLE_ENDIAN) bytes.write(s, 0, 'utf16le');
  else for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
  units[s.length] = 0;
  units[s.length + 1] = 0; // a look-ahead of one past the first 0 never sees the last document
  return units;
}

class StopReading extends Error {}

class XmlReader {
  private i = 0;
  private line = 1;
  private errors = 0;
  private sawRoot = false;
  private closedRoot = false;
  private sawDoctype = false;
  private warnedDepth = false;
  private reportedTextBefore = false;
  private reportedTextAfter = false;
  /** Open elements by name (every level, so close tags match even past the depth limit). */
  private readonly names: string[] = [];
  /** Open elements that are kept: `kept[d]` is the element at depth d, or undefined when dropped
   *  (too deep, or below a second root). */
  private readonly kept: (XmlElement | undefined)[] = [];
  /** The children array of each kept open element (the same array as its `children`). */
  private readonly keptChildren: (XmlElement[] | undefined)[] = [];
  root: XmlElement | undefined;
  /** Recently seen names by hash slot, and where each was read (see `name`). */
  private readonly nameCache: (string | undefined)[] = new Array<string | undefined>(NAME_CACHE_SIZE).fill(undefined);
  private readonly nameAt: number[] = new Array<number>(NAME_CACHE_SIZE).fill(-1);
  /** `s` as code units plus trailing 0s (`codeUnits`); hot loops read these. */
  private readonly u: Uint16Array;
  private readonly n: number;
  /** Attribute pairs of the tag being read (the first `pairs` entries); copied out at the exact
   *  size when the tag ends. A fresh array per tag grows to ~19 slots on its first push, 120 KB
   *  more per 100 KB config. A count rather than `length = 0`, which would drop the capacity. */
  private readonly scratch: string[] = [];
  private pairs = 0;

  constructor(
    private readonly s: string,
    private readonly artifact: string,
    private readonly problems: ParseProblem[],
    private readonly lineOffset: number,
  ) {
    this.u = codeUnits(s);
    this.n = s.length;
  }

  private fail(reason: string, line = this.line): void {
    this.errors++;
    if (this.errors <= MAX_XML_ERRORS) this.problems.push({ artifact: this.artifact, line: line + this.lineOffset, severity: 'error', reason: `XML: ${reason}` });
    if (this.errors >= MAX_XML_ERRORS) throw new StopReading();
  }

  read(): void {
    try {
      this.document();
    } catch (e) {
      if (e instanceof StopReading) {
        this.problems.push({ artifact: this.artifact, severity: 'error', reason: `too many XML errors; stopped after ${MAX_XML_ERRORS}` });
        return;
      }
      // A bug here must not cost the rest of the bundle; report it against the file.
      this.problems.push({ artifact: this.artifact, line: this.line + this.lineOffset, severity: 'error', reason: `XML: reader failed: ${(e as Error).message}` });
    }
  }

  private document(): void {
    const u = this.u;
    const n = this.n;
    if (u[0] === 0xfeff) this.i = 1;
    const declAt = this.i;
    while (this.i < n) {
      if (u[this.i] === 0x3c /* < */) this.markup(declAt);
      else this.text();
    }
    if (!this.sawRoot) this.fail('the document has no root element');
    for (let d = this.names.length - 1; d >= 0; d--) {
      const el = this.kept[d];
      this.fail(`<${this.names[d]}>${el ? ` (line ${el.line})` : ''} is never closed`);
    }
  }

  /** Character data between tags (§2.4): checked, not kept. */
  private text(): void {
    const u = this.u;
    const n = this.n;
    let i = this.i;
    const inRoot = this.names.length > 0;
    let nonSpace = false;
    for (; ; i++) {
      const c = u[i]!;
      if (c === 0x20 || c === 0x09) continue;
      if (c === 0x0a) {
        this.line++;
        continue;
      }
      if (c === 0x0d) {
        this.line++;
        if (u[i + 1] === 0x0a) i++;
        continue;
      }
      if (c === 0x3c || i >= n) break;
      nonSpace = true;
      if (c === 0x26 /* & */) {
        this.i = i;
        this.reference(false);
        i = this.i - 1;
      } else if (c === 0x3e /* > */) {
        if (i >= 2 && u[i - 1] === 0x5d && u[i - 2] === 0x5d) {
          this.i = i;
          this.fail('"]]>" is not allowed in character data');
        }
      } else if (c < 0x20 || c >= 0xd800) {
        this.i = i;
        i = this.checkChar(c, i);
      }
    }
    this.i = i;
    if (!inRoot && nonSpace) {
      if (!this.sawRoot && !this.reportedTextBefore) {
        this.reportedTextBefore = true;
        this.fail('text before the root element');
      } else if (this.closedRoot && !this.reportedTextAfter) {
        this.reportedTextAfter = true;
        this.fail('text after the root element');
      }
    }
  }

  /** A character outside the common printable range at `i` (§2.2). Returns the index of the
   *  last code unit consumed (a surrogate pair takes two). */
  private checkChar(c: number, i: number): number {
    if (c < 0x20) {
      if (c !== 0x09 && c !== 0x0a && c !== 0x0d) this.fail(`character ${describe(c)} is not allowed in XML`);
      return i;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = this.s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) return i + 1;
      this.fail(`unpaired surrogate ${describe(c)}`);
      return i;
    }
    if (c >= 0xdc00 && c <= 0xdfff) this.fail(`unpaired surrogate ${describe(c)}`);
    else if (c === 0xfffe || c === 0xffff) this.fail(`character ${describe(c)} is not allowed in XML`);
    return i;
  }

  /** `&…;` at this.i. Returns the replacement text (the reference itself when it is not
   *  expanded) and leaves this.i after it. */
  private reference(inAttribute: boolean): string {
    const s = this.s;
    const start = this.i;
    let j = start + 1;
    if (s.charCodeAt(j) === 0x23 /* # */) {
      j++;
      const hex = s.charCodeAt(j) === 0x78; /* x */
      if (hex) j++;
      const digitsFrom = j;
      for (;;) {
        const c = s.charCodeAt(j);
        if ((c >= 0x30 && c <= 0x39) || (hex && ((c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)))) j++;
        else break;
      }
      if (j === digitsFrom || s.charCodeAt(j) !== 0x3b /* ; */ || j - digitsFrom > 8) {
        this.fail(`malformed character reference "${s.slice(start, Math.min(j + 1, start + 16))}"`);
        this.i = start + 1;
        return '&';
      }
      const cp = parseInt(s.slice(digitsFrom, j), hex ? 16 : 10);
      this.i = j + 1;
      if (!isXmlChar(cp)) {
        this.fail(`character reference ${s.slice(start, j + 1)} names a character XML does not allow`);
        return s.slice(start, j + 1);
      }
      return String.fromCodePoint(cp);
    }
    const c0 = s.charCodeAt(j);
    if (c0 < 128 ? (ASCII_CLASS[c0]! & NAME_START) !== 0 : isNameStartBmp(c0)) {
      j++;
      for (;;) {
        const c = s.charCodeAt(j);
        if (c < 128 ? (ASCII_CLASS[c]! & NAME_CHAR) !== 0 : c === c && isNameCharBmp(c)) j++;
        else break;
      }
    }
    if (j === start + 1 || s.charCodeAt(j) !== 0x3b) {
      this.fail(`"&" must start an entity or character reference (write &amp; for a literal ampersand)${inAttribute ? ' in an attribute value' : ''}`);
      this.i = start + 1;
      return '&';
    }
    const name = s.slice(start + 1, j);
    this.i = j + 1;
    const v = PREDEFINED[name];
    if (v !== undefined && Object.hasOwn(PREDEFINED, name)) return v;
    // Never expanded, whatever a DOCTYPE declared: this is what keeps external entities out.
    this.fail(`undefined entity &${name}; (only the five predefined entities are expanded; entity declarations are ignored)`);
    return `&${name};`;
  }

  /** Something starting with `<` at this.i. */
  private markup(declAt: number): void {
    const s = this.s;
    const c = this.u[this.i + 1];
    if (c === 0x2f /* / */) return this.closeTag();
    if (c === 0x3f /* ? */) return this.processingInstruction(declAt);
    if (c === 0x21 /* ! */) {
      if (s.startsWith('<!--', this.i)) return this.comment();
      if (s.startsWith('<![CDATA[', this.i)) return this.cdata();
      if (s.startsWith('<!DOCTYPE', this.i)) return this.doctype();
      this.fail(`unknown markup "${s.slice(this.i, this.i + 12).replace(/\s.*$/s, '')}"`);
      this.skipPast('>');
      return;
    }
    if (this.nameStartAt(this.i + 1)) return this.openTag();
    this.fail(`"<" must start a tag (write &lt; for a literal "<")`);
    this.i++;
  }

  /** Can a name start at `i`? (ASCII through the table, the rest by §2.3's ranges.) */
  private nameStartAt(i: number): boolean {
    const c = this.u[i]!;
    if (c < 128) return (ASCII_CLASS[c]! & NAME_START) !== 0;
    if (c >= 0xd800 && c <= 0xdb7f) {
      const d = this.u[i + 1]!;
      return d >= 0xdc00 && d <= 0xdfff;
    }
    return isNameStartBmp(c);
  }

  /** A name starting at this.i (the first character was already checked); `attribute` picks the
   *  half of the name cache for attribute names. */
  private name(attribute = false): string {
    // The same few dozen element and attribute names repeat thousands of times. Handing out one
    // string object per name (instead of a fresh slice each time) lets V8 internalise it once;
    // a fresh key string costs a string-table lookup on every property store that uses it.
    // The cache slot comes from the first two code units (element and attribute names apart: they
    // share prefixes, as mimeMap and mimeType do), so the scan compares with the cached name, at
    // the place it was read, as it goes. Hashing every character and comparing afterwards made
    // this the reader's costliest function.
    const u = this.u;
    const start = this.i;
    const slot = ((u[start]! * 31 + u[start + 1]!) & (NAME_CACHE_SIZE / 2 - 1)) + (attribute ? NAME_CACHE_SIZE / 2 : 0);
    const at = this.nameAt[slot]!;
    let same = at >= 0;
    let i = start;
    for (;;) {
      const c = u[i]!;
      if (c < 128) {
        // The 0 after the input ends the name too.
        if ((ASCII_CLASS[c]! & NAME_CHAR) === 0) break;
      } else if (c >= 0xd800 && c <= 0xdb7f) {
        const d = u[i + 1]!;
        if (d < 0xdc00 || d > 0xdfff) break;
        if (same && u[at + i - start] !== c) same = false;
        i++;
      } else if (!isNameCharBmp(c)) break;
      if (same && u[at + i - start] !== c) same = false;
      i++;
    }
    this.i = i;
    const cached = this.nameCache[slot];
    if (same && cached !== undefined && cached.length === i - start) return cached;
    const fresh = this.s.slice(start, i);
    this.nameCache[slot] = fresh;
    this.nameAt[slot] = start;
    return fresh;
  }

  /** Skip white space (counting lines); returns the next code unit (NaN at the end). */
  private space(): number {
    const u = this.u;
    let i = this.i;
    for (;;) {
      const c = u[i]!;
      if (c === 0x20 || c === 0x09) i++;
      else if (c === 0x0a) {
        this.line++;
        i++;
      } else if (c === 0x0d) {
        this.line++;
        i += u[i + 1] === 0x0a ? 2 : 1;
      } else {
        this.i = i;
        return i < this.n ? c : NaN;
      }
    }
  }

  /** Advance past the next `end`, counting lines; false when the input ends first. */
  private skipPast(end: string): boolean {
    const s = this.s;
    const at = s.indexOf(end, this.i);
    const stop = at < 0 ? s.length : at + end.length;
    this.countLines(this.i, stop);
    this.i = stop;
    return at >= 0;
  }

  /** Count line ends in s[from, to) and check the characters on the way (§2.2). */
  private countLines(from: number, to: number): void {
    const u = this.u;
    for (let i = from; i < to; i++) {
      const c = u[i]!;
      if (c >= 0x20 && c < 0xd800) continue;
      if (c === 0x0a) this.line++;
      else if (c === 0x0d) {
        this.line++;
        if (u[i + 1] === 0x0a) i++;
      } else i = this.checkChar(c, i);
    }
  }

  private comment(): void {
    const line = this.line;
    const start = this.i + 4;
    const s = this.s;
    const end = s.indexOf('--', start);
    if (end < 0) {
      this.countLines(start, s.length);
      this.i = s.length;
      this.fail(`comment opened on line ${line + this.lineOffset} is never closed`, line);
      return;
    }
    this.countLines(start, end);
    this.i = end + 2;
    if (s.charCodeAt(end + 2) !== 0x3e) {
      // `--` inside a comment (§2.5); read on to the real end so the rest still parses.
      this.fail('"--" is not allowed inside a comment');
      this.skipPast('-->');
      return;
    }
    this.i = end + 3;
  }

  private cdata(): void {
    const line = this.line;
    if (this.names.length === 0) this.fail('CDATA section outside the root element');
    this.i += 9;
    if (!this.skipPast(']]>')) this.fail(`CDATA section opened on line ${line + this.lineOffset} is never closed`, line);
  }

  /** `<!DOCTYPE …>` (§2.8), including an internal subset. Skipped, never interpreted. */
  private doctype(): void {
    const line = this.line;
    if (this.sawRoot || this.sawDoctype) this.fail('a DOCTYPE is only allowed once, before the root element');
    this.sawDoctype = true;
    this.problems.push({ artifact: this.artifact, line: line + this.lineOffset, severity: 'warning', reason: 'DOCTYPE present; entities it declares are not expanded' });
    const s = this.s;
    const n = s.length;
    let i = this.i + 9;
    let depth = 0;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === 0x22 || c === 0x27) {
        const close = s.indexOf(c === 0x22 ? '"' : "'", i + 1);
        const stop = close < 0 ? n : close + 1;
        this.countLines(i, stop);
        i = stop;
        continue;
      }
      if (c === 0x3c && s.startsWith('<!--', i)) {
        const close = s.indexOf('-->', i + 4);
        const stop = close < 0 ? n : close + 3;
        this.countLines(i, stop);
        i = stop;
        continue;
      }
      if (c === 0x5b /* [ */) depth++;
      else if (c === 0x5d /* ] */) depth = Math.max(0, depth - 1);
      else if (c === 0x3e && depth === 0) {
        this.i = i + 1;
        return;
      } else if (c === 0x0a) this.line++;
      else if (c === 0x0d) {
        this.line++;
        if (s.charCodeAt(i + 1) === 0x0a) i++;
      }
      i++;
    }
    this.i = n;
    this.fail(`DOCTYPE opened on line ${line + this.lineOffset} is never closed`, line);
  }

  /** `<?target …?>` (§2.6), or the XML declaration (§2.8) when it starts the document. */
  private processingInstruction(declAt: number): void {
    const s = this.s;
    const line = this.line;
    const at = this.i;
    this.i += 2;
    const target = this.nameStartAt(this.i) ? this.name() : '';
    const bodyFrom = this.i;
    const closed = this.skipPast('?>');
    const body = s.slice(bodyFrom, closed ? this.i - 2 : this.i);
    if (!closed) {
      this.fail(`processing instruction opened on line ${line + this.lineOffset} is never closed`, line);
      return;
    }
    if (target === '') return this.fail('processing instruction without a target name', line);
    if (target === 'xml') {
      if (at !== declAt) return this.fail('the XML declaration must be the very first thing in the file', line);
      if (!XML_DECL.test(body)) this.fail('malformed XML declaration (expected version, then optionally encoding and standalone, each quoted)', line);
      return;
    }
    if (target.toLowerCase() === 'xml') return this.fail(`"${target}" is reserved and cannot name a processing instruction`, line);
    if (body.length > 0 && !/^\s/.test(body)) this.fail(`processing instruction target "${target}" must be followed by white space`, line);
  }

  private openTag(): void {
    const s = this.s;
    const line = this.line;
    this.i++;
    const name = this.name();
    this.pairs = 0;
    let selfClosing = false;
    let needSpace = false;
    for (;;) {
      const before = this.i;
      const c = this.space();
      const spaced = this.i !== before;
      if (c === 0x3e /* > */) {
        this.i++;
        break;
      }
      if (c === 0x2f /* / */) {
        if (this.u[this.i + 1] === 0x3e) {
          this.i += 2;
          selfClosing = true;
          break;
        }
        this.fail(`"/" in <${name}> must be followed by ">"`);
        this.i++;
        continue;
      }
      if (c !== c) {
        this.fail(`the file ends inside the tag <${name}> opened on line ${line + this.lineOffset}`, line);
        return;
      }
      if (this.nameStartAt(this.i)) {
        if (needSpace && !spaced) this.fail(`attributes of <${name}> must be separated by white space`);
        needSpace = this.attribute(name);
        continue;
      }
      if (c === 0x3c) {
        // Most likely a tag that lost its ">": end it here so the next tag is read normally.
        this.fail(`tag <${name}> is not closed with ">"`);
        break;
      }
      this.fail(`unexpected character "${String.fromCharCode(c)}" in tag <${name}>`);
      this.i++;
    }
    this.element(name, line, this.attrsCopy(), selfClosing);
  }

  /** The attribute pairs read for this tag, exactly sized. Up to three attributes (nearly every
   *  element) are copied with an array literal, which V8 allocates inline; `slice` is a builtin
   *  call and was 5% of the reader's time. */
  private attrsCopy(): readonly string[] {
    const a = this.scratch;
    switch (this.pairs) {
      case 0:
        return NO_ATTRS;
      case 2:
        return [a[0]!, a[1]!];
      case 4:
        return [a[0]!, a[1]!, a[2]!, a[3]!];
      case 6:
        return [a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!];
      default:
        return a.slice(0, this.pairs);
    }
  }

  /** `name = "value"` inside a tag at this.i (§3.1). False when there was no value. */
  private attribute(tag: string): boolean {
    const s = this.s;
    const u = this.u;
    const name = this.name(true);
    // White space around "=" is rare: look before calling `space`.
    let c: number = u[this.i]!;
    if (c !== 0x3d /* = */) c = this.space();
    if (c !== 0x3d) {
      this.fail(`attribute ${name} of <${tag}> has no value`);
      return false;
    }
    c = u[++this.i]!;
    if (c !== 0x22 && c !== 0x27) c = this.space();
    let value: string;
    if (c === 0x22 || c === 0x27) value = this.quotedValue(c, tag, name);
    else {
      // Recover the way a reader would: up to white space or the end of the tag.
      this.fail(`the value of ${name} in <${tag}> is not quoted`);
      const start = this.i;
      let i = start;
      for (;;) {
        const d = s.charCodeAt(i);
        if (d !== d || d === 0x20 || d === 0x09 || d === 0x0a || d === 0x0d || d === 0x3e || (d === 0x2f && s.charCodeAt(i + 1) === 0x3e)) break;
        i++;
      }
      this.i = i;
      value = s.slice(start, i);
    }
    const attrs = this.scratch;
    const n = this.pairs;
    for (let k = 0; k < n; k += 2) {
      if (attrs[k] === name) {
        this.fail(`attribute ${name} appears twice in <${tag}>; the last one is used`);
        attrs[k + 1] = value;
        return true;
      }
    }
    attrs[n] = name;
    attrs[n + 1] = value;
    this.pairs = n + 2;
    return true;
  }

  /** A quoted attribute value with this.i on the opening quote. */
  private quotedValue(quote: number, tag: string, attr: string): string {
    // Nearly every value is plain characters up to the closing quote: one slice.
    const u = this.u;
    const from = this.i + 1;
    let i = from;
    for (;;) {
      const c = u[i]!;
      if (c === quote) {
        this.i = i + 1;
        return this.s.slice(from, i);
      }
      if (c < 0x20 || c === 0x26 || c === 0x3c || c >= 0xd800) break;
      i++;
    }
    return this.quotedValueSlow(quote, tag, attr, from, i);
  }

  /** `quotedValue` from the first character that needs attention, at `at` (the value starts at `from`). */
  private quotedValueSlow(quote: number, tag: string, attr: string, from: number, at: number): string {
    const s = this.s;
    const n = s.length;
    const line = this.line;
    let i = at;
    let out = '';
    for (;;) {
      if (i >= n) {
        this.i = n;
        this.fail(`the value of ${attr} in <${tag}> (line ${line + this.lineOffset}) is never closed`, line);
        return out + s.slice(from, n);
      }
      const c = s.charCodeAt(i);
      if (c === quote) {
        this.i = i + 1;
        return out + s.slice(from, i);
      }
      if (c >= 0x20 && c !== 0x26 && c !== 0x3c && c < 0xd800) {
        i++;
        continue;
      }
      if (c === 0x26) {
        out += s.slice(from, i);
        this.i = i;
        out += this.reference(true);
        i = from = this.i;
        continue;
      }
      if (c === 0x3c) {
        this.i = i;
        this.fail(`"<" is not allowed in the value of ${attr} in <${tag}> (write &lt;)`);
        i++;
        continue;
      }
      if (c === 0x09 || c === 0x0a || c === 0x0d) {
        // §3.3.3: each white-space character, and CR LF as one, becomes a space.
        out += s.slice(from, i) + ' ';
        if (c === 0x0a) this.line++;
        else if (c === 0x0d) {
          this.line++;
          if (s.charCodeAt(i + 1) === 0x0a) i++;
        }
        i++;
        from = i;
        continue;
      }
      this.i = i;
      i = this.checkChar(c, i) + 1;
    }
  }

  private element(name: string, line: number, attrs: readonly string[], selfClosing: boolean): void {
    const depth = this.names.length;
    let el: XmlElement | undefined;
    const children: XmlElement[] | undefined = selfClosing ? undefined : [];
    if (depth === 0) {
      if (this.sawRoot) this.fail(`a second root element <${name}>; only the first is read`, line);
      else el = this.root = { name, line: line + this.lineOffset, attrs, children: children ?? NO_CHILDREN };
      this.sawRoot = true;
    } else {
      const parent = this.keptChildren[depth - 1];
      if (parent && depth < MAX_XML_DEPTH) {
        el = { name, line: line + this.lineOffset, attrs, children: children ?? NO_CHILDREN };
        parent.push(el);
      } else if (parent && !this.warnedDepth) {
        // Real configuration nests a dozen levels; deeper elements are dropped (once reported).
        this.warnedDepth = true;
        this.problems.push({ artifact: this.artifact, line: line + this.lineOffset, severity: 'error', reason: `elements nested deeper than ${MAX_XML_DEPTH} levels are ignored` });
      }
    }
    if (selfClosing) {
      if (depth === 0) this.closedRoot = true;
      return;
    }
    this.names.push(name);
    this.kept.push(el);
    this.keptChildren.push(el ? children : undefined);
  }

  private closeTag(): void {
    const s = this.s;
    const line = this.line;
    this.i += 2;
    const name = this.nameStartAt(this.i) ? this.name() : '';
    const c = this.space();
    if (c === 0x3e) this.i++;
    else {
      this.fail(`closing tag </${name}> is malformed`);
      // Resynchronise at the end of the tag (or the next tag).
      const gt = s.indexOf('>', this.i);
      const lt = s.indexOf('<', this.i);
      if (gt >= 0 && (lt < 0 || gt < lt)) {
        this.countLines(this.i, gt);
        this.i = gt + 1;
      }
    }
    if (name === '') return this.fail('closing tag without a name', line);
    const names = this.names;
    let d = names.length - 1;
    if (d >= 0 && names[d] === name) {
      this.pop();
      return;
    }
    while (d >= 0 && names[d] !== name) d--;
    if (d < 0) {
      this.fail(`closing tag </${name}> matches no open element`, line);
      return;
    }
    // Close the elements left open inside the one being closed, each reported.
    while (names.length - 1 > d) {
      const top = names.length - 1;
      const el = this.kept[top];
      this.fail(`<${names[top]}>${el ? ` (line ${el.line})` : ''} is not closed before </${name}>`, line);
      this.pop();
    }
    this.pop();
  }

  private pop(): void {
    this.names.pop();
    this.kept.pop();
    this.keptChildren.pop();
    if (this.names.length === 0) this.closedRoot = true;
  }
}

/** Parse XML into an element tree. Problems (with `artifact` and a line) are appended to
 *  `problems`; the result holds whatever could be read, undefined when no root element was found.
 *  `lineOffset` shifts every line number (XML embedded in another file). Never throws. */
export function parseXmlTree(artifact: string, xml: string, problems: ParseProblem[], lineOffset = 0): XmlElement | undefined {
  const r = new XmlReader(xml, artifact, problems, lineOffset);
  r.read();
  return r.root;
}

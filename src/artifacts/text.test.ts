import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeString, decodeText, sniffEncoding, splitLines } from './text.js';
import { encode } from './fixtures/fixtures.js';

test('UTF-16LE with BOM and CRLF keeps line numbers and drops the BOM', () => {
  const d = decodeText(encode('first\nsecond\nthird\n', 'utf-16le-bom'));
  assert.equal(d.encoding, 'utf-16le-bom');
  assert.deepEqual(d.lines, ['first', 'second', 'third']);
  assert.equal(d.newline, 'crlf');
  assert.equal(d.finalNewline, true);
});

test('UTF-16BE with BOM', () => {
  const be = Uint8Array.from([0xfe, 0xff, ...Buffer.from('ab\r\ncd', 'utf16le').swap16()]);
  const d = decodeText(be);
  assert.equal(d.encoding, 'utf-16be-bom');
  assert.deepEqual(d.lines, ['ab', 'cd']);
  assert.equal(d.finalNewline, false);
});

test('UTF-16LE without BOM is recognised from its zero bytes', () => {
  const d = decodeText(Uint8Array.from(Buffer.from('Host Name:   WEB01\r\nOS Name:   x\r\n', 'utf16le')));
  assert.equal(d.encoding, 'utf-16le');
  assert.equal(d.lines[0], 'Host Name:   WEB01');
});

test('UTF-8 with and without BOM, LF, missing final newline', () => {
  const withBom = decodeText(encode('Имя узла: DC\nline 2', 'utf-8-bom', '\n'));
  assert.equal(withBom.encoding, 'utf-8-bom');
  assert.equal(withBom.lines[0], 'Имя узла: DC');
  assert.equal(withBom.finalNewline, false);
  assert.equal(withBom.newline, 'lf');
  const plain = decodeText(encode('a\nb\n', 'utf-8', '\n'));
  assert.equal(plain.encoding, 'utf-8');
  assert.deepEqual(plain.lines, ['a', 'b']);
});

test('blank lines inside the text keep their numbers; mixed line ends are reported', () => {
  const d = decodeText(encode('\nA\r\n\nB', 'ascii', '\n'));
  assert.deepEqual(d.lines, ['', 'A', '', 'B']);
  assert.equal(d.newline, 'mixed');
});

test('wmic "\\r\\r\\n" line ends decode without losing text', () => {
  const d = decodeText(encode('Node,HotFixID\nA,KB1\n', 'utf-16le-bom', '\r\r\n'));
  assert.ok(d.lines.includes('Node,HotFixID'));
  assert.ok(d.lines.includes('A,KB1'));
});

test('a CP866 console capture is not mistaken for UTF-8', () => {
  // "Имя" in CP866: 0x88 0xAC 0xEF
  const d = decodeText(Uint8Array.from([0x88, 0xac, 0xef, 0x3a, 0x20, 0x44, 0x43, 0x0d, 0x0a]));
  assert.equal(d.encoding, 'ibm866');
  assert.equal(d.lines[0], 'Имя: DC');
});

test('splitLines on plain strings', () => {
  assert.deepEqual(splitLines('x\r\ny\n'), ['x', 'y']);
  assert.deepEqual(splitLines(''), []);
});

test('sniffEncoding: a UTF-8 character across the 4,096-byte mark does not make the file windows-1252', () => {
  for (const ch of ['é', '€', '😀']) {
    for (let pad = 4090; pad <= 4096; pad++) {
      const bytes = Buffer.from('a'.repeat(pad) + ch + ' tail', 'utf8');
      assert.equal(sniffEncoding(bytes), 'utf-8', `${ch} after ${pad} bytes`);
    }
  }
  // Invalid UTF-8 is still told from valid: a CP1252 "É" (0xC9, a lead byte without its continuation).
  assert.equal(sniffEncoding(Buffer.concat([Buffer.from('a'.repeat(4095)), Buffer.from([0xc9, 0x20, 0x41])])), 'windows-1252');
  assert.equal(sniffEncoding(Buffer.concat([Buffer.from('a'.repeat(100)), Buffer.from([0xc9, 0x20, 0x41])])), 'windows-1252');
});

test('ASCII text decodes the same through the fast path, with and without BOM, Buffer or not', () => {
  const text = 'Host Name:   WEB01\r\nOS Name:   x\r\n';
  const plain = Uint8Array.from(Buffer.from(text, 'latin1'));
  assert.deepEqual(decodeString(plain), { text, encoding: 'utf-8' });
  assert.deepEqual(decodeString(Buffer.from(text, 'latin1').subarray(5)), { text: text.slice(5), encoding: 'utf-8' });
  assert.deepEqual(decodeString(Uint8Array.from([0xef, 0xbb, 0xbf, ...plain])), { text, encoding: 'utf-8-bom' });
  // A second BOM after the first is still removed by the UTF-8 decoder (not ASCII).
  assert.deepEqual(decodeString(Uint8Array.from([0xef, 0xbb, 0xbf, 0xef, 0xbb, 0xbf, 0x41])), { text: 'A', encoding: 'utf-8-bom' });
  assert.deepEqual(decodeString(Buffer.from('Имя: DC', 'utf8')), { text: 'Имя: DC', encoding: 'utf-8' });
});

// The XML reader for configuration files: what it keeps, what it refuses, and that malformed or
// hostile input becomes problems with a line number instead of an exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ParseProblem } from '../host/state.js';
import { MAX_XML_ERRORS, parseXmlTree, xmlAttr, type XmlElement } from './xml.js';

function read(xml: string, lineOffset = 0): { root: XmlElement | undefined; problems: ParseProblem[] } {
  const problems: ParseProblem[] = [];
  const root = parseXmlTree('t.config', xml, problems, lineOffset);
  return { root, problems };
}

function errors(problems: ParseProblem[]): ParseProblem[] {
  return problems.filter((p) => p.severity === 'error');
}

test('elements, attributes in order, start lines (LF, CR LF and a lone CR all end a line)', () => {
  const { root, problems } = read('<?xml version="1.0" encoding="utf-8"?>\r\n<configuration a="1">\r\n  <x b=\'2\' c="3"/>\r  <y\n    d="4">\n  </y>\n</configuration>\n');
  assert.deepEqual(problems, []);
  assert.equal(root!.name, 'configuration');
  assert.equal(root!.line, 2);
  assert.deepEqual(root!.attrs, ['a', '1']);
  const [x, y] = root!.children;
  assert.deepEqual([x!.name, x!.line, x!.attrs], ['x', 3, ['b', '2', 'c', '3']]);
  assert.deepEqual([y!.name, y!.line, xmlAttr(y!, 'd')], ['y', 4, '4']);
  assert.equal(xmlAttr(y!, 'D'), undefined, 'names are case-sensitive');
});

test('entities: the five predefined and character references are expanded, nothing else', () => {
  const { root, problems } = read('<r v="&lt;&gt;&amp;&apos;&quot; &#65;&#x42;&#x1F600;" w="&nbsp;"/>');
  assert.equal(xmlAttr(root!, 'v'), `<>&'" AB\u{1F600}`);
  assert.equal(xmlAttr(root!, 'w'), '&nbsp;', 'an unknown entity stays literal');
  assert.equal(errors(problems).length, 1);
  assert.match(problems[0]!.reason, /undefined entity &nbsp;/);
  assert.equal(problems[0]!.line, 1);
});

test('attribute values: white space normalised (CR LF counts once), character references kept', () => {
  const { root } = read('<r v="a\tb\r\nc\nd&#10;e"/>');
  assert.equal(xmlAttr(root!, 'v'), 'a b c d\ne');
});

test('comments, CDATA and processing instructions are skipped; their lines still count', () => {
  const { root, problems } = read('<r>\n<!-- <x a="1"/>\n -->\n<![CDATA[ <y/> & ]]>\n<?app do this?>\n<z/>\n</r>');
  assert.deepEqual(problems, []);
  assert.deepEqual(root!.children.map((c) => [c.name, c.line]), [['z', 6]]);
});

test('a DOCTYPE is skipped with a warning and its entities are never expanded', () => {
  const xml = '<?xml version="1.0"?>\n<!DOCTYPE r [\n  <!ENTITY e "inner">\n  <!ENTITY x SYSTEM "file:///etc/passwd">\n  <!-- ] > -->\n]>\n<r a="&e;" b="&x;">&x;</r>';
  const { root, problems } = read(xml);
  assert.equal(xmlAttr(root!, 'a'), '&e;');
  assert.equal(xmlAttr(root!, 'b'), '&x;');
  assert.deepEqual(problems.filter((p) => p.severity === 'warning').map((p) => [p.line, /DOCTYPE/.test(p.reason)]), [[2, true]]);
  assert.equal(errors(problems).length, 3, 'each reference to a declared entity is reported');
  assert.ok(errors(problems).every((p) => p.line === 7 && /undefined entity/.test(p.reason)));
});

test('well-formedness errors are problems with lines; the tree keeps what could be read', () => {
  const cases: [string, RegExp, number][] = [
    ['<r>\n<a>\n</r>', /<a> \(line 2\) is not closed before <\/r>/, 3],
    ['<r>\n</q>\n</r>', /<\/q> matches no open element/, 2],
    ['<r a="1" a="2"/>', /appears twice/, 1],
    ['<r a=1/>', /not quoted/, 1],
    ['<r a/>', /has no value/, 1],
    ['<r a="1"b="2"/>', /separated by white space/, 1],
    ['<r a="x<y"/>', /"<" is not allowed/, 1],
    ['<r>\n a & b </r>', /"&" must start/, 2],
    ['<r>]]></r>', /"\]\]>" is not allowed/, 1],
    ['<r><!-- a -- b --></r>', /"--" is not allowed/, 1],
    ['\n<?xml version="1.0"?><r/>', /very first thing/, 2],
    ['<?xml version="2"?><r/>', /malformed XML declaration/, 1],
    ['<r/>\n<s/>', /second root element <s>/, 2],
    ['text<r/>', /text before the root/, 1],
    ['<r/>\ntext', /text after the root/, 2],
    ['<r>\u0001</r>', /U\+0001 is not allowed/, 1],
    ['<r v="\uD800"/>', /unpaired surrogate/, 1],
    ['<r v="&#0;"/>', /names a character XML does not allow/, 1],
    ['<r>\n<a', /ends inside the tag <a>/, 2],
    ['<r>\n<!-- never closed', /comment opened on line 2 is never closed/, 2],
    ['<r>\n<![CDATA[ x', /CDATA section opened on line 2/, 2],
    ['<r>\n<x/>', /<r> \(line 1\) is never closed/, 2],
    ['', /no root element/, 1],
  ];
  for (const [xml, reason, line] of cases) {
    const { problems } = read(xml);
    const hit = errors(problems).find((p) => reason.test(p.reason));
    assert.ok(hit, `${JSON.stringify(xml)}: expected ${reason}, got ${JSON.stringify(problems)}`);
    assert.equal(hit.line, line, `${JSON.stringify(xml)}: line`);
    assert.equal(hit.artifact, 't.config');
  }
  const { root } = read('<r>\n<a x="1">\n<b/>\n</r>');
  assert.deepEqual(root!.children.map((c) => [c.name, c.children.map((d) => d.name)]), [['a', ['b']]]);
});

test('line offsets shift every line (XML embedded in another file)', () => {
  const { root, problems } = read('<r>\n<a b="&q;"/>\n</r>', 135);
  assert.equal(root!.children[0]!.line, 137);
  assert.equal(problems[0]!.line, 137);
});

test('hostile input: deep nesting is cut, errors stop at the cap, __proto__ stays an attribute', () => {
  const deep = read('<r>' + '<a>'.repeat(10_000) + '</a>'.repeat(10_000) + '</r>');
  assert.ok(deep.problems.some((p) => /nested deeper than 64 levels/.test(p.reason)));
  assert.equal(errors(deep.problems).length, 1);
  let depth = 0;
  for (let e: XmlElement | undefined = deep.root; e; e = e.children[0]) depth++;
  assert.equal(depth, 64);

  const noisy = read('<r>' + '<a x=1>'.repeat(500) + '</r>');
  assert.equal(errors(noisy.problems).length, MAX_XML_ERRORS + 1);
  assert.match(noisy.problems.at(-1)!.reason, /too many XML errors; stopped after 20/);

  const proto = read('<r __proto__="x" constructor="y"/>');
  assert.deepEqual(proto.root!.attrs, ['__proto__', 'x', 'constructor', 'y']);
  assert.equal(Object.getPrototypeOf(proto.root!.attrs), Array.prototype);
});

test('never throws: random damage to a real configuration gives problems, not exceptions', () => {
  const base = '<?xml version="1.0"?>\n<configuration>\n  <system.webServer>\n    <security><requestFiltering allowDoubleEscaping="false"><verbs><add verb="TRACE" allowed="false" /></verbs></requestFiltering></security>\n    <!-- note -->\n    <staticContent><mimeMap fileExtension=".json" mimeType="application/json" /></staticContent>\n  </system.webServer>\n</configuration>\n';
  let seed = 12345;
  const rand = (): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const alphabet = '<>&"\'/=!?-[]; \n\r\tx#\uD800\u0000';
  for (let k = 0; k < 3000; k++) {
    const chars = [...base];
    for (let j = 0; j < 1 + Math.floor(rand() * 4); j++) {
      const at = Math.floor(rand() * chars.length);
      const c = alphabet[Math.floor(rand() * alphabet.length)]!;
      const op = Math.floor(rand() * 3);
      if (op === 0) chars[at] = c;
      else if (op === 1) chars.splice(at, 1);
      else chars.splice(at, 0, c);
    }
    const xml = k % 5 === 0 ? chars.join('').slice(0, Math.floor(rand() * base.length)) : chars.join('');
    const { problems } = read(xml);
    for (const p of problems) {
      assert.equal(p.artifact, 't.config');
      if (p.severity === 'error' && !/too many/.test(p.reason)) assert.ok(Number.isInteger(p.line) && p.line! >= 1, `a line for ${p.reason}`);
      assert.ok(!/reader failed/.test(p.reason), `internal failure on ${JSON.stringify(xml)}: ${p.reason}`);
    }
  }
});

test('documents read one after another do not see each other (shared code-unit buffer, name cache)', () => {
  const long = read(`<r a="${'x'.repeat(5000)}" mimeMap="1"><mimeMap mimeType="t"/><mimeType mimeMap="u"/></r>`);
  assert.deepEqual(long.problems, []);
  assert.deepEqual(long.root!.children.map((c) => [c.name, c.attrs]), [['mimeMap', ['mimeType', 't']], ['mimeType', ['mimeMap', 'u']]]);
  // A shorter document ends where it ends, whatever the longer one left behind it.
  for (const [xml, reason] of [
    ['<r a="x', /value of a in <r> \(line 1\) is never closed/],
    ['<r a', /ends inside the tag <r>/],
    ['<r', /ends inside the tag <r>/],
    ['<r>&am', /"&" must start/],
  ] as const) {
    const { problems } = read(xml);
    assert.ok(errors(problems).some((p) => reason.test(p.reason)), `${xml}: ${JSON.stringify(problems)}`);
  }
  const nul = read('<r a="x\u0000"/>\u0000');
  assert.equal(errors(nul.problems).filter((p) => /U\+0000 is not allowed/.test(p.reason)).length, 2, 'a real U+0000 is not the end');
  assert.deepEqual(read('<mi/>').root!.name, 'mi', 'a name that is a prefix of a cached one');
});

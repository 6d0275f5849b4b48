// The JSON and JSON Lines renderers, checked against the published schemas with ajv, including
// cases that must fail validation (so the schema is not a rubber stamp).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson } from './json.js';
import { JsonlWriter, renderJsonl } from './jsonl.js';
import { render, FORMATS, parseFormat } from './index.js';
import { sampleDocument } from './fixtures/sample-doc.js';
import { schemaValidators } from './fixtures/schemas.js';
import { parseNmapXml } from '../import/nmap.js';
import { renderNmapXml } from './nmap-xml.js';
import { PortcullisError } from '../core/errors.js';

test('json: the document as is, pretty-printed, valid against scan-result.schema.json', () => {
  const { doc, errors } = schemaValidators();
  const text = renderJson(sampleDocument());
  assert.ok(text.endsWith('}\n'));
  assert.match(text, /^\{\n  "tool": \{/);
  const parsed: unknown = JSON.parse(text);
  assert.deepEqual(parsed, sampleDocument());
  assert.equal(doc(parsed), true, errors(doc));
});

test('json schema rejects documents that break the contract', () => {
  const { doc } = schemaValidators();
  const bad = (mutate: (d: any) => void, expect: RegExp) => {
    const d = JSON.parse(renderJson(sampleDocument()));
    mutate(d);
    assert.equal(doc(d), false, `accepted a document where ${expect}`);
    assert.ok(doc.errors?.some((e) => expect.test(`${e.instancePath} ${e.message}`)), JSON.stringify(doc.errors));
  };
  bad((d) => (d.hosts[2].findings[0].severity = 'severe'), /severity must be equal to one of the allowed values/);
  bad((d) => (d.hosts[0].ports[0].state = 'half-open'), /state must be equal to one of the allowed values/);
  bad((d) => delete d.summary.interrupted, /must have required property 'interrupted'/);
  bad((d) => (d.hosts[0].ports[0].port = 70000), /port must be <= 65535/);
  bad((d) => (d.hosts[0].surprise = 1), /must NOT have unevaluated properties/);
  bad((d) => (d.startedAt = 'yesterday'), /startedAt must match pattern/);
  bad((d) => (d.hosts[2].findings[0].status = 'waived'), /must have required property 'waiver'/);
  bad((d) => (d.hosts[2].findings[0].id = 'Not Kebab'), /id must match pattern/);
  bad((d) => (d.portsScanned.tcp = '1-1000;3389'), /tcp must match pattern/);
});

test('jsonl: begin, one line per host, end — each line valid against scan-jsonl.schema.json', () => {
  const { line, errors } = schemaValidators();
  const text = renderJsonl(sampleDocument());
  const lines = text.split('\n');
  assert.equal(lines.pop(), '', 'ends with a newline');
  assert.equal(lines.length, 1 + sampleDocument().hosts.length + 1);
  const recs = lines.map((l) => JSON.parse(l) as { type: string });
  assert.deepEqual(recs.map((r) => r.type), ['begin', 'host', 'host', 'host', 'host', 'end']);
  for (const r of recs) assert.equal(line(r), true, `${r.type}: ${errors(line)}`);
  // The evidence with a newline in it stays on its line.
  assert.ok(lines.some((l) => l.includes('option negotiation seen:\\nIAC')));
});

test('jsonl schema rejects records that break the contract', () => {
  const { line } = schemaValidators();
  const [begin, host, , , , end] = renderJsonl(sampleDocument()).trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(line({ ...host, type: 'hosts' }), false, 'unknown record type');
  const { type: _t, ...untyped } = host;
  assert.equal(line(untyped), false, 'host record without type');
  assert.equal(line({ ...host, status: 'sleeping' }), false, 'bad host status');
  assert.equal(line({ ...begin, hosts: [] }), false, 'begin carries no hosts');
  assert.equal(line({ ...end, summary: { ...end.summary, hostsUp: -1 } }), false, 'negative count');
});

test('jsonl writer streams: each host is written the moment it is handed over', () => {
  const written: string[] = [];
  const w = new JsonlWriter({ write: (s) => void written.push(s) });
  const d = sampleDocument();
  w.begin(d);
  assert.equal(written.length, 1);
  w.host(d.hosts[0]!);
  assert.equal(written.length, 2, 'host line written before end()');
  assert.equal(JSON.parse(written[1]!).address, '2001:db8::1');
  w.end(d);
  assert.equal(JSON.parse(written[2]!).type, 'end');
  assert.throws(() => w.host(d.hosts[1]!), (e: unknown) => e instanceof PortcullisError && /after end/.test(e.message));
  assert.throws(() => new JsonlWriter({ write: () => true }).host(d.hosts[0]!), /before begin/);
});

test('jsonl writer passes back the sink\'s backpressure signal', () => {
  const w = new JsonlWriter({ write: () => false });
  assert.equal(w.begin(sampleDocument()), false);
});

test('an imported nmap report is also a valid document', () => {
  const { doc, errors } = schemaValidators();
  const imported = parseNmapXml(renderNmapXml(sampleDocument()), 'sample.xml');
  assert.equal(doc(JSON.parse(renderJson(imported))), true, errors(doc));
});

test('registry: every format renders; unknown formats are a usage error naming the choices', () => {
  assert.deepEqual(FORMATS, ['table', 'json', 'jsonl', 'nmap-xml']);
  for (const f of FORMATS) assert.ok(render(f, sampleDocument(), { color: false }).length > 100, f);
  assert.equal(render('json', sampleDocument()), renderJson(sampleDocument()));
  assert.throws(
    () => parseFormat('xml'),
    (e: unknown) => e instanceof PortcullisError && e.code === 'E_USAGE' && /table, json, jsonl, nmap-xml/.test(e.message),
  );
});

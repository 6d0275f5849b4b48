import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeRequest, headerValue, headerValues, parseResponse, readResponse, httpExchange } from './http.js';
import { MalformedReply } from './malformed.js';
import { IoError, netTransport } from '../io/transport.js';
import { scriptedServer, sleep } from '../../test/probes/services/helpers.js';

const GET = { requestMethod: 'GET' };
const b = (s: string): Buffer => Buffer.from(s, 'latin1');

function complete(buf: Buffer, eof = false, limits = GET) {
  const r = parseResponse(buf, limits, eof);
  assert.equal(r.kind, 'complete', `expected a complete response, got ${r.kind}`);
  return (r as Extract<typeof r, { kind: 'complete' }>).response;
}

test('http: Content-Length body, repeated and folded headers', () => {
  const res = complete(b('HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nSet-Cookie: a=1\r\nSet-Cookie: b=2\r\nX-Long: one\r\n  two\r\nContent-Length: 5\r\n\r\nhelloEXTRA'));
  assert.equal(res.status, 200);
  assert.equal(res.reason, 'OK');
  assert.equal(res.body.toString(), 'hello');
  assert.equal(res.framing, 'length');
  assert.deepEqual(headerValues(res, 'set-cookie'), ['a=1', 'b=2']);
  assert.equal(headerValue(res, 'SET-COOKIE'), 'a=1, b=2');
  assert.equal(headerValue(res, 'x-long'), 'one two');
});

test('http: chunked body with extensions and trailers; partial input asks for more', () => {
  const raw = b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: yes\r\n\r\n');
  const res = complete(raw);
  assert.equal(res.body.toString(), 'Wikipedia');
  assert.equal(res.framing, 'chunked');
  for (let cut = 1; cut < raw.length; cut += 7) {
    const r = parseResponse(raw.subarray(0, cut), GET, false);
    assert.equal(r.kind, 'need-more', `cut at ${cut}`);
  }
});

test('http: read-to-close body completes only at EOF; HEAD/204/304 have none', () => {
  const raw = b('HTTP/1.0 200 OK\r\nServer: x\r\n\r\nbody bytes');
  assert.equal(parseResponse(raw, GET, false).kind, 'need-more');
  assert.equal(complete(raw, true).body.toString(), 'body bytes');
  const head = complete(b('HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n'), false, { requestMethod: 'HEAD' });
  assert.equal(head.body.length, 0);
  assert.equal(complete(b('HTTP/1.1 204 No Content\r\n\r\n')).framing, 'none');
});

test('http: interim 100 Continue is reported so the reader skips it', () => {
  const r = parseResponse(b('HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n'), GET, false);
  assert.equal(r.kind, 'interim');
});

test('http: malformed inputs are MalformedReply, never another exception', () => {
  const cases: [string, RegExp][] = [
    ['SSH-2.0-OpenSSH_9.2p1\r\n', /does not start with "HTTP\/"/],
    ['HTTP/1.1 2000 OK\r\n\r\n', /malformed status line/],
    ['HTTP/1.1 200 OK\r\nno colon here\r\n\r\n', /field name/],
    ['HTTP/1.1 200 OK\r\n folded-first\r\n\r\n', /continuation/],
    ['HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!', /conflicting Content-Length/],
    ['HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n', /not a number/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', /malformed chunk size/],
    ['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY', /not followed by CRLF/],
    ['\x16\x03\x01\x00\x05hello', /does not start/],
  ];
  for (const [input, re] of cases) {
    assert.throws(() => parseResponse(b(input), GET, true), (e: unknown) => e instanceof MalformedReply && re.test(e.message), JSON.stringify(input));
  }
  // Truncated head at EOF, empty answer at EOF.
  assert.throws(() => parseResponse(b('HTTP/1.1 200 OK\r\nServ'), GET, true), MalformedReply);
  assert.throws(() => parseResponse(Buffer.alloc(0), GET, true), MalformedReply);
  // A head that never ends is refused at the cap instead of buffering forever.
  assert.throws(() => parseResponse(b(`HTTP/1.1 200 OK\r\nX: ${'a'.repeat(40_000)}`), GET, false), /no end of the response head/);
});

test('http: absurd lengths are capped, not allocated', () => {
  const before = process.memoryUsage().arrayBuffers;
  const huge = complete(b('HTTP/1.1 200 OK\r\nContent-Length: 999999999999999\r\n\r\nonly this'), true);
  assert.equal(huge.bodyTruncated, true);
  assert.equal(huge.body.toString(), 'only this');
  const chunk = complete(b('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffff\r\nabc'), true);
  assert.equal(chunk.bodyTruncated, true);
  assert.equal(chunk.body.toString(), 'abc');
  // Body over the cap stops at the cap even without EOF.
  const capped = complete(Buffer.concat([b('HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n'), Buffer.alloc(5000, 0x61)]), false, { requestMethod: 'GET', maxBody: 1000 } as never);
  assert.equal(capped.body.length, 1000);
  assert.equal(capped.bodyTruncated, true);
  assert.ok(process.memoryUsage().arrayBuffers - before < 50 * 1024 * 1024);
});

test('http: request encoding refuses header and target injection', () => {
  assert.throws(() => encodeRequest({ method: 'GET', path: '/a b', host: 'x' }), RangeError);
  assert.throws(() => encodeRequest({ method: 'GET', path: '/', host: 'x\r\nEvil: 1' }), RangeError);
  assert.throws(() => encodeRequest({ method: 'G ET', path: '/', host: 'x' }), RangeError);
  const noHost = encodeRequest({ method: 'GET', path: '/', host: null }).toString();
  assert.match(noHost, /^GET \/ HTTP\/1\.1\r\n/);
  assert.doesNotMatch(noHost, /Host:/);
  const put = encodeRequest({ method: 'PUT', path: '/x', host: 'h', body: 'abc' }).toString();
  assert.match(put, /Content-Length: 3\r\n\r\nabc$/);
});

test('http: reader over a socket — trickled answer assembles; silence times out with the partial bytes', async () => {
  const srv = await scriptedServer(async (c, i) => {
    await c.until('\r\n\r\n');
    if (i === 0) {
      for (const part of ['HTTP/1.1 200 OK\r\n', 'Content-Len', 'gth: 3\r\n\r\n', 'a', 'bc']) {
        c.write(part);
        await sleep(20);
      }
    } else {
      c.write('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'); // then nothing
    }
  });
  try {
    const s1 = await netTransport.connect(srv.address, srv.port, { timeoutMs: 2000 });
    const r1 = await httpExchange(s1, { method: 'GET', path: '/', host: 'h' }, 3000);
    s1.close();
    assert.equal(r1.body.toString(), 'abc');
    const s2 = await netTransport.connect(srv.address, srv.port, { timeoutMs: 2000 });
    await s2.write(encodeRequest({ method: 'GET', path: '/', host: 'h' }));
    const started = Date.now();
    await assert.rejects(readResponse(s2, GET, 600), (e: unknown) => e instanceof IoError && e.kind === 'timeout' && (e.partial?.length ?? 0) > 0);
    assert.ok(Date.now() - started < 2000);
    s2.close();
  } finally {
    await srv.close();
  }
});

// HTTP probes against real nginx (test/harness/nginx.ts) in both variants, plus an IIS-shaped peer
// for the verdicts nginx cannot show (nginx never answers OPTIONS/TRACE, sends no framework
// headers, no IIS detailed errors): the fake answers as IIS 10 does with the careless and the
// hardened settings of CONTROLS.md §3.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startNginx, type NginxPorts } from '../../harness/nginx.js';
import type { Peer } from '../../harness/peer.js';
import type { PortResult } from '../../../src/core/result.js';
import { httpServer } from '../../../src/probes/http-server.js';
import { httpWriteMethods } from '../../../src/probes/http-write-methods.js';
import { identifyService } from '../../../src/scan/identify.js';
import { IDENTIFIERS } from '../../../src/scan/identifiers/index.js';
import { netTransport } from '../../../src/io/transport.js';
import { httpExchange } from '../../../src/protocols/http.js';
import { byId, freshAddress, runOne, scriptedServer, svc, type Conn, type ScriptedServer } from './helpers.js';

let careless: Peer<NginxPorts>;
let hardened: Peer<NginxPorts>;

before(async () => {
  [careless, hardened] = await Promise.all([startNginx({ address: freshAddress(), variant: 'careless' }), startNginx({ address: freshAddress(), variant: 'hardened' })]);
});
after(async () => {
  await Promise.all([careless?.stop(), hardened?.stop()]);
});

const https = (port: number): PortResult => ({ port, protocol: 'tcp', state: 'open', reason: 'syn-ack', service: svc('https', { tls: true }) });

test('nginx: identification of HTTP and HTTPS with product and version', async () => {
  const plain = await identifyService(careless.address, careless.ports.http, { io: netTransport, catalog: IDENTIFIERS, timeoutMs: 3000 });
  assert.equal(plain.name, 'http');
  assert.equal(plain.product, 'nginx');
  assert.match(plain.version ?? '', /^\d+\.\d+\.\d+$/);
  const tls = await identifyService(hardened.address, hardened.ports.https, { io: netTransport, catalog: IDENTIFIERS, timeoutMs: 3000 });
  assert.equal(tls.name, 'https', JSON.stringify(tls));
  assert.equal(tls.tls, true);
  assert.equal(tls.product, 'nginx');
  assert.equal(tls.version, undefined, 'server_tokens off: no version');
});

test('nginx careless, plain HTTP: banner, framework headers, welcome page, listing, no HTTPS redirect → fail', async () => {
  const { findings } = await runOne(httpServer, { address: careless.address, port: careless.ports.http, service: svc('http'), hostPorts: [https(careless.ports.https)] });
  const status = Object.fromEntries(findings.map((f) => [f.id, f.status]));
  assert.deepEqual(status, {
    'http-options-enabled': 'pass', // nginx answers OPTIONS / with 405
    'http-trace-enabled': 'pass', // and TRACE with 405
    // PROPFIND needs libnginx-mod-http-dav-ext; without it only the intrusive PUT test can see DAV.
    'http-webdav-methods-enabled': careless.info['propfind'] === 'yes' ? 'fail' : 'pass',
    'http-server-version-disclosed': 'fail',
    'http-framework-disclosed': 'fail',
    'http-directory-listing': 'fail',
    'http-default-page': 'fail',
    'http-detailed-errors': 'pass',
    'http-no-https-redirect': 'fail',
    'http-no-hsts': 'not-applicable',
  });
  assert.match(byId(findings, 'http-server-version-disclosed').evidence.summary, /nginx\/\d/);
  assert.match(byId(findings, 'http-directory-listing').evidence.summary, /\/files\//);
  assert.match(byId(findings, 'http-default-page').evidence.summary, /nginx welcome page/);
  assert.match(byId(findings, 'http-framework-disclosed').evidence.summary, /X-Powered-By: ASP\.NET/);
});

test('nginx careless, HTTPS: no HSTS → fail', async () => {
  const { findings } = await runOne(httpServer, { address: careless.address, port: careless.ports.https, service: svc('https', { tls: true }) });
  assert.equal(byId(findings, 'http-no-hsts').status, 'fail');
  assert.equal(byId(findings, 'http-no-https-redirect').status, 'not-applicable');
  assert.equal(byId(findings, 'http-directory-listing').status, 'fail');
});

test('nginx hardened: HTTP redirects to HTTPS (pass), HTTPS has HSTS, no version, no listing', async () => {
  const plain = await runOne(httpServer, { address: hardened.address, port: hardened.ports.http, service: svc('http'), hostPorts: [https(hardened.ports.https)] });
  assert.equal(byId(plain.findings, 'http-no-https-redirect').status, 'pass', JSON.stringify(byId(plain.findings, 'http-no-https-redirect').evidence));
  assert.equal(byId(plain.findings, 'http-server-version-disclosed').status, 'pass');
  const tls = await runOne(httpServer, { address: hardened.address, port: hardened.ports.https, service: svc('https', { tls: true }) });
  const status = Object.fromEntries(tls.findings.map((f) => [f.id, f.status]));
  assert.deepEqual(status, {
    'http-options-enabled': 'pass',
    'http-trace-enabled': 'pass',
    'http-webdav-methods-enabled': 'pass',
    'http-server-version-disclosed': 'pass',
    'http-framework-disclosed': 'pass',
    'http-directory-listing': 'pass',
    'http-default-page': 'pass',
    'http-detailed-errors': 'pass',
    'http-no-https-redirect': 'not-applicable',
    'http-no-hsts': 'pass',
  });
});

test('nginx: PUT/MKCOL really write under /dav/ (careless, cleaned up); hardened 301/405 are not support', async () => {
  const c = await runOne(httpWriteMethods, { address: careless.address, port: careless.ports.http, service: svc('http') });
  const cf = byId(c.findings, 'http-webdav-methods-enabled');
  assert.equal(cf.status, 'fail', JSON.stringify(cf.evidence));
  assert.match(cf.evidence.summary, /\/dav\//);
  assert.match(cf.evidence.summary, /deleted again/);
  // Nothing of ours is left behind: the /dav/ auto-index lists no portcullis-* entry.
  const s = await netTransport.connect(careless.address, careless.ports.http, { timeoutMs: 2000 });
  const listing = await httpExchange(s, { method: 'GET', path: '/dav/', host: careless.address }, 3000);
  s.close();
  assert.equal(listing.status, 200);
  assert.doesNotMatch(listing.body.toString(), /portcullis-/);
  // Plain HTTP of the hardened server answers every PUT with 301: the trap of counting it as support.
  const h = await runOne(httpWriteMethods, { address: hardened.address, port: hardened.ports.http, service: svc('http') });
  const hf = byId(h.findings, 'http-webdav-methods-enabled');
  assert.equal(hf.status, 'pass', JSON.stringify(hf.evidence));
  assert.match(JSON.stringify(hf.evidence.items), /301/);
  const hs = await runOne(httpWriteMethods, { address: hardened.address, port: hardened.ports.https, service: svc('https', { tls: true }) });
  assert.equal(byId(hs.findings, 'http-webdav-methods-enabled').status, 'pass');
});

// ---- IIS-shaped peer -----------------------------------------------------------------------------

const IISSTART = '<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN"><html><head><title>IIS Windows Server</title></head><body><img src="iisstart.png" alt="IIS" /></body></html>';
const DETAILED_404 =
  '<html><head><title>IIS 10.0 Detailed Error - 404.0 - Not Found</title></head><body><div id="content"><h3>HTTP Error 404.0 - Not Found</h3>' +
  '<fieldset><h4>Detailed Error Information:</h4><table><tr><th>Module</th><td>IIS Web Core</td></tr><tr><th>Physical Path</th><td>C:\\inetpub\\wwwroot\\missing</td></tr></table></fieldset></div></body></html>';

function iis(carelessMode: boolean) {
  return async (c: Conn): Promise<void> => {
    const head = (await c.until('\r\n\r\n')).toString('latin1');
    const [line = ''] = head.split('\r\n');
    const [method = '', path = ''] = line.split(' ');
    const len = /content-length: (\d+)/i.exec(head);
    if (len) await c.until(Number(len[1]));
    const send = (status: string, headers: string[], body = ''): void => {
      const h = ['Server: Microsoft-IIS/10.0', ...(carelessMode ? ['X-Powered-By: ASP.NET', 'X-AspNet-Version: 4.0.30319'] : []), ...headers, `Content-Length: ${Buffer.byteLength(body)}`];
      c.write(`HTTP/1.1 ${status}\r\n${h.join('\r\n')}\r\n\r\n${body}`);
      c.end();
    };
    const notFound = (): void => (carelessMode ? send('404 Not Found', ['Content-Type: text/html'], DETAILED_404) : send('404 Not Found', ['Content-Type: text/html'], '<h1>Not found</h1>'));
    if (!carelessMode && (method === 'OPTIONS' || method === 'TRACE' || method === 'PROPFIND')) return notFound(); // requestFiltering: verb denied = 404.6
    switch (method) {
      case 'OPTIONS':
        return send('200 OK', ['Allow: OPTIONS, TRACE, GET, HEAD, POST', 'Public: OPTIONS, TRACE, GET, HEAD, POST, PROPFIND, PUT, DELETE', 'DAV: 1,2,3']);
      case 'TRACE':
        return send('200 OK', ['Content-Type: message/http'], head);
      case 'PROPFIND':
        return send('207 Multi-Status', ['Content-Type: text/xml'], '<?xml version="1.0"?><D:multistatus xmlns:D="DAV:"><D:response><D:href>/</D:href></D:response></D:multistatus>');
      case 'GET':
        if (path === '/') return send('200 OK', ['Content-Type: text/html'], IISSTART);
        if (path === '/aspnet_client/' && carelessMode) return send('200 OK', ['Content-Type: text/html'], '<html><body><pre><A HREF="/">[To Parent Directory]</A><br></pre></body></html>');
        return notFound();
      default:
        return send('405 Method Not Allowed', ['Allow: GET, HEAD, OPTIONS, TRACE']);
    }
  };
}

test('IIS-shaped peer: careless settings fail every HTTP check they touch; hardened ones pass', async () => {
  const servers: ScriptedServer[] = [await scriptedServer(iis(true)), await scriptedServer(iis(false))];
  try {
    const [c, h] = servers as [ScriptedServer, ScriptedServer];
    const cr = await runOne(httpServer, { address: c.address, port: c.port, service: svc('http') });
    const cs = Object.fromEntries(cr.findings.map((f) => [f.id, f.status]));
    assert.deepEqual(cs, {
      'http-options-enabled': 'fail',
      'http-trace-enabled': 'fail',
      'http-webdav-methods-enabled': 'fail',
      'http-server-version-disclosed': 'fail',
      'http-framework-disclosed': 'fail',
      'http-directory-listing': 'fail',
      'http-default-page': 'fail',
      'http-detailed-errors': 'fail',
      'http-no-https-redirect': 'not-applicable',
      'http-no-hsts': 'not-applicable',
    });
    const hr = await runOne(httpServer, { address: h.address, port: h.port, service: svc('http') });
    const hs = Object.fromEntries(hr.findings.map((f) => [f.id, f.status]));
    assert.equal(hs['http-options-enabled'], 'pass');
    assert.equal(hs['http-trace-enabled'], 'pass');
    assert.equal(hs['http-webdav-methods-enabled'], 'pass');
    assert.equal(hs['http-framework-disclosed'], 'pass');
    assert.equal(hs['http-directory-listing'], 'pass');
    assert.equal(hs['http-detailed-errors'], 'pass');
    // The Allow header lists TRACE on the 405, yet TRACE is not enabled: Allow is not trusted.
    assert.equal(hs['http-server-version-disclosed'], 'fail', 'the fake keeps its IIS Server header in both variants');
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

test('a catch-all server that answers 200 to every method is not "OPTIONS/TRACE/PUT enabled"', async () => {
  const srv = await scriptedServer(async (c) => {
    const head = await c.until('\r\n\r\n');
    const len = /content-length: (\d+)/i.exec(head.toString());
    if (len) await c.until(Number(len[1]));
    c.write('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 12\r\n\r\n<p>hello</p>');
    c.end();
  }, freshAddress());
  try {
    const r = await runOne(httpServer, { address: srv.address, port: srv.port, service: svc('http') });
    assert.equal(byId(r.findings, 'http-options-enabled').status, 'pass');
    assert.equal(byId(r.findings, 'http-trace-enabled').status, 'pass');
    const w = await runOne(httpWriteMethods, { address: srv.address, port: srv.port, service: svc('http') });
    assert.equal(byId(w.findings, 'http-webdav-methods-enabled').status, 'pass', JSON.stringify(byId(w.findings, 'http-webdav-methods-enabled').evidence));
  } finally {
    await srv.close();
  }
});

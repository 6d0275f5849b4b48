// nginx as the web peer (Debian nginx-light 1.22, which has the core WebDAV module:
// `nginx -V` lists --with-http_dav_module). PROPFIND and DAV OPTIONS need the separate
// libnginx-mod-http-dav-ext package; when it is installed the careless peer loads it.
//
// careless: version in the Server header, a directory listing at /files/, a writable WebDAV
//   location at /dav/ (PUT DELETE MKCOL COPY MOVE), plain HTTP serving content while HTTPS exists,
//   HTTPS without HSTS offering TLS 1.0/1.1/1.2 with every suite OpenSSL still has
//   (`ALL:eNULL:@SECLEVEL=0`: plain-RSA key exchange, anonymous and NULL-encryption suites), a self-signed cert;
//   plus a second HTTPS port with an RSA-1024 key and 1024-bit DHE, and a third with an expired
//   certificate; the distribution's stock "Welcome to nginx!" page at /, and X-Powered-By /
//   X-AspNet-Version headers.
// hardened: no version, no listing, no DAV, HTTP answers 301 to HTTPS, TLS 1.2/1.3 with AEAD
//   suites only, HSTS, self-signed RSA-2048 (trust is the probe's business, not this variant's).
// `certificate: 'private-ca'` (either variant) serves the main HTTPS port with a certificate issued
//   by a private CA made for this peer (`info.caCert`); a client that adds that file to its trust
//   store (NODE_EXTRA_CA_CERTS) sees a chain anchored in a trusted root — the only way a loopback
//   peer can pass tls-untrusted-certificate.
// nginx never allows TRACE (it answers 405), so neither variant has TRACE enabled.
import { existsSync, readFileSync } from 'node:fs';
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp } from './net.js';
import { makeCertificate, makeCertificateAuthority, writeWeakDhParams } from './tls.js';
import { HarnessError } from './process.js';

export interface NginxPorts {
  http: number;
  https: number;
  /** careless only: HTTPS with an RSA-1024 key (0 when absent). */
  httpsWeakKey: number;
  /** careless only: HTTPS with an expired certificate (0 when absent). */
  httpsExpired: number;
}

export interface NginxOptions extends CommonOptions {
  ports?: Partial<NginxPorts>;
  /** Main HTTPS certificate: 'self-signed' (default) or 'private-ca' (issued by a CA in `info.caCert`). */
  certificate?: 'self-signed' | 'private-ca';
}

const DEFAULTS: NginxPorts = { http: 80, https: 443, httpsWeakKey: 8443, httpsExpired: 9443 };

/** Debian's libnginx-mod-http-dav-ext (PROPFIND → 207, DAV OPTIONS); used when installed. */
export const DAV_EXT_MODULE = '/usr/lib/nginx/modules/ngx_http_dav_ext_module.so';

/**
 * Starts nginx on `address` (http 80, https 443; careless also 8443 weak key, 9443 expired cert).
 * careless: Server header with version, X-Powered-By/X-AspNet-Version, stock welcome page,
 * autoindex at /files/, WebDAV at /dav/, TLS 1.0–1.2 with weak suites, 1024-bit RSA and DH on
 * 8443, expired cert on 9443, no HSTS, no redirect. hardened: server_tokens off, HTTP → 301 HTTPS, TLS 1.2+, HSTS.
 */
export async function startNginx(opts: NginxOptions): Promise<Peer<NginxPorts>> {
  if (opts.certificate !== undefined && opts.certificate !== 'self-signed' && opts.certificate !== 'private-ca') {
    throw new HarnessError(`nginx: certificate must be 'self-signed' or 'private-ca', got ${JSON.stringify(opts.certificate)}`);
  }
  const b = new PeerBuilder('nginx', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('nginx', DEFAULTS, opts.ports);
    if (!careless) {
      ports.httpsWeakKey = 0;
      ports.httpsExpired = 0;
    }
    const a = opts.address;
    const www = b.mkdir('www');
    b.mkdir('www/files');
    b.mkdir('www/dav', 0o777);
    // careless serves the distribution's stock welcome page (http-default-page); hardened its own.
    const stock = '/usr/share/nginx/html/index.html';
    b.write(
      'www/index.html',
      careless && existsSync(stock)
        ? readFileSync(stock, 'utf8')
        : careless
          ? '<!DOCTYPE html><html><head><title>Welcome to nginx!</title></head><body><h1>Welcome to nginx!</h1></body></html>\n'
          : '<!doctype html><title>portcullis peer</title><p>test peer content</p>\n',
    );
    b.write('www/files/readme.txt', 'a file in a listed directory\n');
    b.write('www/files/report.csv', 'id,value\n1,2\n');
    for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) b.mkdir(`tmp/${t}`, 0o777);
    const cn = `${opts.variant}.portcullis.test`;
    const ca = opts.certificate === 'private-ca' ? await makeCertificateAuthority(b.dir, { commonName: `portcullis ${opts.variant} test CA` }) : null;
    const main = await makeCertificate(b.dir, { commonName: cn, address: a, ...(ca ? { issuer: ca } : {}) });
    const weak = careless ? await makeCertificate(b.dir, { commonName: cn, address: a, bits: 1024, name: 'weak' }) : null;
    // 1024-bit finite-field DH for the DHE suites of the weak-key port (tls-weak-key: DH < 2048).
    const dh1024 = b.path('dh1024.pem');
    if (careless) writeWeakDhParams(dh1024);
    const expired = careless ? await makeCertificate(b.dir, { commonName: cn, address: a, expired: true, name: 'expired' }) : null;

    const davExt = careless && existsSync(DAV_EXT_MODULE);
    const commonTop = [
      ...(davExt ? [`load_module ${DAV_EXT_MODULE};`] : []),
      'worker_processes 1;',
      `pid ${b.path('nginx.pid')};`,
      'error_log stderr warn;',
      'events { worker_connections 128; }',
      'http {',
      '  access_log off;',
      `  client_body_temp_path ${b.path('tmp/body')};`,
      `  proxy_temp_path ${b.path('tmp/proxy')};`,
      `  fastcgi_temp_path ${b.path('tmp/fastcgi')};`,
      `  uwsgi_temp_path ${b.path('tmp/uwsgi')};`,
      `  scgi_temp_path ${b.path('tmp/scgi')};`,
      '  types { text/html html; text/plain txt; text/csv csv; }',
      '  default_type application/octet-stream;',
    ];
    const content = [
      `    root ${www};`,
      '    location / { index index.html; }',
    ];
    const carelessContent = [
      ...content,
      // Framework banners a Windows web stack sends (http-framework-disclosed).
      '    add_header X-Powered-By "ASP.NET" always;',
      '    add_header X-AspNet-Version "4.0.30319" always;',
      '    location /files/ { autoindex on; }',
      // create_full_put_path lets PUT create intermediate dirs; dav_access makes the files readable.
      `    location /dav/ { dav_methods PUT DELETE MKCOL COPY MOVE;${davExt ? ' dav_ext_methods PROPFIND OPTIONS;' : ''} create_full_put_path on; dav_access user:rw group:rw all:r; autoindex on; client_max_body_size 1m; }`,
    ];
    // With SECLEVEL=0 OpenSSL 3 still negotiates TLS 1.0/1.1 (their MD5+SHA1 signatures need it)
    // and offers plain-RSA key exchange, anonymous (aNULL) and NULL-encryption (eNULL) suites.
    // Debian 12's OpenSSL has no 3DES, RC4 or DES suites at all, so those cannot be offered.
    const weakTls = ['    ssl_protocols TLSv1 TLSv1.1 TLSv1.2;', "    ssl_ciphers 'ALL:eNULL:@SECLEVEL=0';", '    ssl_prefer_server_ciphers off;'];
    const tlsServer = (port: number, c: { cert: string; key: string }, dhparam?: string) => [
      '  server {',
      `    listen ${a}:${port} ssl;`,
      `    ssl_certificate ${c.cert};`,
      `    ssl_certificate_key ${c.key};`,
      ...(dhparam ? [`    ssl_dhparam ${dhparam};`] : []),
      ...weakTls,
      ...carelessContent,
      '  }',
    ];
    const conf = careless
      ? [
          ...commonTop,
          '  server_tokens on;',
          '  server {',
          `    listen ${a}:${ports.http};`,
          ...carelessContent,
          '  }',
          ...tlsServer(ports.https, main),
          ...tlsServer(ports.httpsWeakKey, weak!, dh1024),
          ...tlsServer(ports.httpsExpired, expired!),
          '}',
        ]
      : [
          ...commonTop,
          '  server_tokens off;',
          '  server {',
          `    listen ${a}:${ports.http};`,
          `    return 301 https://$host${ports.https === 443 ? '' : `:${ports.https}`}$request_uri;`,
          '  }',
          '  server {',
          `    listen ${a}:${ports.https} ssl;`,
          `    ssl_certificate ${main.cert};`,
          `    ssl_certificate_key ${main.key};`,
          '    ssl_protocols TLSv1.2 TLSv1.3;',
          "    ssl_ciphers 'ECDHE+AESGCM:ECDHE+CHACHA20';",
          '    ssl_prefer_server_ciphers on;',
          '    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;',
          ...content,
          '  }',
          '}',
        ];
    const confPath = b.write('nginx.conf', conf.join('\n') + '\n');
    b.watchPidFile(b.path('nginx.pid'));
    const sp = await b.spawn('nginx', 'nginx', ['-e', 'stderr', '-p', b.dir, '-c', confPath, '-g', 'daemon off; master_process on; user root root;']);
    for (const port of [ports.http, ports.https, ports.httpsWeakKey, ports.httpsExpired]) {
      if (port) await waitForTcp(a, port, b.remaining(), [sp]);
    }
    return b.finish(ports, {
      commonName: cn,
      webdavPath: careless ? '/dav/' : '',
      listingPath: careless ? '/files/' : '',
      // 'yes' when PROPFIND answers 207 (dav-ext module installed), else only PUT/DELETE/MKCOL/COPY/MOVE.
      propfind: davExt ? 'yes' : 'no',
      // PEM of the CA that issued the main HTTPS certificate ('' when it is self-signed).
      caCert: ca ? ca.cert : '',
    });
  });
}

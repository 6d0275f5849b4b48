// Apache httpd 2.4 (Debian apache2) as a private instance: our own ServerRoot and config in the
// temp dir, modules loaded by absolute path from /usr/lib/apache2/modules, nothing from
// /etc/apache2 (Debian's config needs the APACHE_* variables of apache2ctl; ours needs none).
// The master stays in the foreground (-DFOREGROUND) under the reaper; its prefork children are our
// descendants, so stop() signals exactly them.
//
// Why Apache beside nginx: nginx can neither allow TRACE nor answer OPTIONS on static content, so
// only Apache gives http-trace-enabled and http-options-enabled a real positive peer.
//
// careless: `TraceEnable on` (TRACE / → 200 message/http echoing the request), OPTIONS answered by
//   the core (200 with `Allow: GET,POST,OPTIONS,HEAD,TRACE`), `ServerTokens Full` (Server:
//   Apache/2.4.x (Debian)), `ServerSignature On` (version and address under every error page).
// hardened: `TraceEnable off` (405), mod_allowmethods `AllowMethods GET POST HEAD` (OPTIONS and
//   every other method → 405), `ServerTokens Prod` (Server: Apache), `ServerSignature Off`,
//   `Options -Indexes`.
//   Trap: `<LimitExcept GET POST HEAD> Require all denied </LimitExcept>` beside a `Require all
//   granted` does NOT refuse OPTIONS — the two Require lines merge as "any of", and OPTIONS still
//   gets 200. mod_allowmethods is the directive that really refuses.
import { existsSync, readFileSync } from 'node:fs';
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp } from './net.js';
import { HarnessError } from './process.js';

export interface ApachePorts {
  http: number;
}

export interface ApacheOptions extends CommonOptions {
  ports?: Partial<ApachePorts>;
}

const DEFAULTS: ApachePorts = { http: 80 };

export const APACHE_BINARY = '/usr/sbin/apache2';
export const APACHE_MODULES = '/usr/lib/apache2/modules';

/** Workers drop to this user (Apache refuses to serve as root); it only reads the 0644 docroot. */
const RUN_USER = 'www-data';

function tail(path: string, max = 3000): string {
  try {
    const t = readFileSync(path, 'utf8');
    return t.slice(-max);
  } catch {
    return '(not written)';
  }
}

/**
 * Starts Apache on `address` (http 80). careless: TRACE enabled, OPTIONS answered with an Allow
 * list, full version banner and signature. hardened: TRACE off, only GET/POST/HEAD (405 else),
 * product-only banner, no signature, no indexes.
 */
export async function startApache(opts: ApacheOptions): Promise<Peer<ApachePorts>> {
  const b = new PeerBuilder('apache', opts);
  return b.guard(async () => {
    for (const f of [APACHE_BINARY, `${APACHE_MODULES}/mod_mpm_prefork.so`, `${APACHE_MODULES}/mod_allowmethods.so`]) {
      if (!existsSync(f)) throw new HarnessError(`apache: ${f} is missing (Debian package apache2, see .ci/install-servers)`);
    }
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('apache', DEFAULTS, opts.ports);
    const a = opts.address;
    const www = b.mkdir('www');
    b.mkdir('run');
    b.write('www/index.html', `<!doctype html><title>portcullis peer</title><p>apache ${opts.variant} test peer</p>\n`);
    b.write('www/notes.txt', 'static content\n');
    const mod = (name: string, file: string) => `LoadModule ${name} ${APACHE_MODULES}/${file}`;
    const conf = [
      `ServerRoot ${b.dir}`,
      // prefork: plain processes, no threads — small and predictable on a small machine.
      mod('mpm_prefork_module', 'mod_mpm_prefork.so'),
      mod('authz_core_module', 'mod_authz_core.so'),
      mod('mime_module', 'mod_mime.so'),
      mod('dir_module', 'mod_dir.so'),
      ...(careless ? [] : [mod('allowmethods_module', 'mod_allowmethods.so')]),
      'StartServers 2',
      'MinSpareServers 2',
      'MaxSpareServers 4',
      'ServerLimit 10',
      'MaxRequestWorkers 10',
      // Only this address: without an address, Listen would take 0.0.0.0 (and [::]).
      `Listen ${a}:${ports.http}`,
      `ServerName ${opts.variant}.portcullis.test`,
      `User ${RUN_USER}`,
      `Group ${RUN_USER}`,
      // Runtime files (mutexes) and the pid file stay in the temp dir, never /var/run/apache2.
      `DefaultRuntimeDir ${b.path('run')}`,
      `PidFile ${b.path('run', 'apache2.pid')}`,
      // Apache cannot open /dev/stderr when stderr is a socket (ENXIO), so errors go to a file in
      // the temp dir; a failed start quotes its tail. Errors before it is opened reach peer.logs().
      `ErrorLog ${b.path('error.log')}`,
      'LogLevel warn',
      'TypesConfig /etc/mime.types',
      `DocumentRoot ${www}`,
      'DirectoryIndex index.html',
      '<Directory />',
      '  AllowOverride None',
      '  Require all denied',
      '</Directory>',
      `<Directory ${www}>`,
      '  AllowOverride None',
      '  Require all granted',
      ...(careless ? ['  Options FollowSymLinks'] : ['  Options -Indexes', '  AllowMethods GET POST HEAD']),
      '</Directory>',
      ...(careless
        ? ['TraceEnable on', 'ServerTokens Full', 'ServerSignature On']
        : ['TraceEnable off', 'ServerTokens Prod', 'ServerSignature Off']),
    ];
    const confPath = b.write('apache2.conf', conf.join('\n') + '\n');
    b.watchPidFile(b.path('run', 'apache2.pid'));
    // A clean environment: no APACHE_* from the caller can leak into the config (we use none).
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' };
    const sp = await b.spawn('apache2', APACHE_BINARY, ['-d', b.dir, '-f', confPath, '-DFOREGROUND'], { env });
    try {
      await waitForTcp(a, ports.http, b.remaining(), [sp]);
    } catch (e) {
      throw new HarnessError(`${(e as Error).message}\n--- ${b.path('error.log')} ---\n${tail(b.path('error.log'))}`);
    }
    return b.finish(ports, {
      serverName: `${opts.variant}.portcullis.test`,
      // Methods the hardened peer lets through (the rest get 405).
      allowedMethods: careless ? '' : 'GET POST HEAD',
    });
  });
}

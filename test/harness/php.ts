// PHP's built-in web server (Debian php-cli: `php -S ADDR:PORT`) running a small front-controller
// application, the way a careless admin leaves a PHP site: the development settings on, so a
// request for a page that does not exist gets a 404 whose body carries PHP's own warning with the
// physical path of the script (`<b>Warning</b>: include(/tmp/…/pages/x.php): Failed to open
// stream … in <b>/tmp/…/router.php</b> on line <b>N</b>`). That is a real application error page,
// not a canned string: http-detailed-errors must find it on the path the probe itself invents.
//
// The application (router.php, same in both variants) lets PHP handle every request: `/` is the
// home page, `/NAME` includes pages/NAME.php; a missing page sets 404 first and then includes it
// anyway, which is where PHP raises the warning. Methods other than GET/HEAD/POST get 405 from the
// application (the built-in server itself answers unknown methods with 501 and passes OPTIONS and
// TRACE to the script), so the only difference between the variants is php.ini:
//   careless: display_errors=1, html_errors=1, error_reporting=E_ALL, expose_php=1
//             (X-Powered-By: PHP/8.x) — the php.ini-development values.
//   hardened: display_errors=0, log_errors=1 (to stderr, our log), expose_php=0 — php.ini-production.
// `-n` ignores /etc/php/*/cli/php.ini so the distribution's settings cannot change the variant.
import { existsSync } from 'node:fs';
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp } from './net.js';
import { HarnessError } from './process.js';

export interface PhpPorts {
  http: number;
}

export interface PhpOptions extends CommonOptions {
  ports?: Partial<PhpPorts>;
}

const DEFAULTS: PhpPorts = { http: 80 };

export const PHP_BINARY = '/usr/bin/php';

// basename() keeps the include inside pages/ whatever the path holds; the 404 is set before the
// include so the error page really is an error status (the probe judges only >= 400 pages).
const ROUTER = `<?php
// portcullis test peer: a minimal front controller (see test/harness/php.ts).
$method = $_SERVER['REQUEST_METHOD'] ?? 'GET';
if (!in_array($method, ['GET', 'HEAD', 'POST'], true)) {
    http_response_code(405);
    header('Allow: GET, HEAD, POST');
    echo "<!doctype html><title>405</title><p>Method not allowed</p>\\n";
    return true;
}
$path = parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if (!is_string($path) || $path === '' || $path === '/') {
    echo "<!doctype html><title>portcullis peer</title><p>php test application</p><p><a href=\\"/about\\">about</a></p>\\n";
    return true;
}
$page = __DIR__ . '/pages/' . basename($path) . '.php';
if (!is_file($page)) {
    http_response_code(404);
}
include $page;
if (!is_file($page)) {
    echo "<!doctype html><title>404</title><p>Page not found</p>\\n";
}
return true;
`;

const INI: Record<'careless' | 'hardened', readonly string[]> = {
  careless: ['display_errors=1', 'display_startup_errors=1', 'html_errors=1', 'error_reporting=E_ALL', 'expose_php=1', 'log_errors=0'],
  hardened: ['display_errors=0', 'display_startup_errors=0', 'html_errors=0', 'error_reporting=E_ALL', 'expose_php=0', 'log_errors=1'],
};

/**
 * Starts the PHP built-in server on `address` (http 80) with the front-controller application.
 * careless: development php.ini (warnings with file paths in the page, X-Powered-By);
 * hardened: production php.ini (errors only in the log, no X-Powered-By).
 */
export async function startPhp(opts: PhpOptions): Promise<Peer<PhpPorts>> {
  const b = new PeerBuilder('php', opts);
  return b.guard(async () => {
    if (!existsSync(PHP_BINARY)) throw new HarnessError(`php: ${PHP_BINARY} is missing (Debian package php-cli, see .ci/install-servers)`);
    const ports = resolvePorts('php', DEFAULTS, opts.ports);
    const a = opts.address;
    const www = b.mkdir('www');
    b.mkdir('www/pages');
    b.write('www/pages/about.php', '<?php echo "<!doctype html><title>about</title><p>about this test application</p>\\n";\n');
    const router = b.write('www/router.php', ROUTER);
    const ini = INI[opts.variant].flatMap((kv) => ['-d', kv]);
    // Two workers: the built-in server runs one script at a time per process, and the probe sends
    // four requests at once. Workers are forked children, so they stay under the reaper.
    const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', PHP_CLI_SERVER_WORKERS: '2' };
    const sp = await b.spawn('php', PHP_BINARY, ['-n', ...ini, '-S', `${a}:${ports.http}`, '-t', www, router], { env });
    await waitForTcp(a, ports.http, b.remaining(), [sp]);
    return b.finish(ports, {
      router,
      // A path whose error page shows the problem in the careless variant.
      missingPage: '/no-such-page',
    });
  });
}

// The safe HTTP/HTTPS checks (PROTOCOLS.md §HTTP): methods judged against a baseline, never by the
// Allow header; banners with and without Host; auto-indexes, stock pages and detailed errors by
// their content; the HTTPS redirect and HSTS. Nothing here writes: PUT/DELETE/MKCOL live in the
// intrusive http-write-methods probe.
import type { HttpRequest, HttpResponse } from '../protocols/http.js';
import { headerValue, headerValues } from '../protocols/http.js';
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { pool } from './runner.js';
import {
  HTTP_NAMES,
  bodyText,
  defaultPageSignature,
  describeExchange,
  detailedErrorSignature,
  directoryListingSignature,
  fetchHttp,
  headerOr,
  hostHeader,
  isHttpService,
  linkedDirectories,
  randomPath,
  usesTls,
  type Exchange,
} from './http-common.js';
import { Deadline, describeFailure, isExchangeFailure, randomToken, verdict } from './service-common.js';

const IIS_VERBS = 'IIS: Request Filtering → HTTP Verbs (system.webServer/security/requestFiltering/verbs)';

export const HTTP_OPTIONS: CheckMeta = {
  id: 'http-options-enabled',
  title: 'HTTP OPTIONS is answered (methods advertised)',
  severity: 'low',
  remediation: `Deny the OPTIONS verb: ${IIS_VERBS} <add verb="OPTIONS" allowed="false" />, or allowUnlisted="false" with only the verbs the site needs.`,
  references: ['https://www.rfc-editor.org/rfc/rfc9110#name-options', 'https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/verbs/'],
};

export const HTTP_TRACE: CheckMeta = {
  id: 'http-trace-enabled',
  title: 'HTTP TRACE echoes requests (cross-site tracing)',
  severity: 'medium',
  remediation: `Deny the TRACE verb: ${IIS_VERBS} <add verb="TRACE" allowed="false" /> (and TRACK).`,
  references: ['https://www.rfc-editor.org/rfc/rfc9110#name-trace', 'https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/verbs/'],
};

export const HTTP_WEBDAV: CheckMeta = {
  id: 'http-webdav-methods-enabled',
  title: 'WebDAV / writing methods work on the web server',
  severity: 'high',
  remediation:
    'Turn WebDAV authoring off (system.webServer/webdav/authoring enabled="false", remove the WebDAVModule / "WebDAV Publishing" role service) ' +
    `and deny PUT, DELETE, MKCOL, PROPFIND, PROPPATCH, COPY, MOVE, LOCK in ${IIS_VERBS}; never give handlers accessPolicy Write.`,
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/webdav/', 'https://www.rfc-editor.org/rfc/rfc4918'],
};

export const HTTP_SERVER_VERSION: CheckMeta = {
  id: 'http-server-version-disclosed',
  title: 'Server header discloses product and version',
  severity: 'low',
  remediation:
    'IIS 10: system.webServer/security/requestFiltering removeServerHeader="true"; older IIS: URL Rewrite outbound rule blanking RESPONSE_SERVER; ' +
    'for HTTP.sys answers: HKLM\\SYSTEM\\CurrentControlSet\\Services\\HTTP\\Parameters DisableServerHeader = 2.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/'],
};

export const HTTP_FRAMEWORK: CheckMeta = {
  id: 'http-framework-disclosed',
  title: 'Framework headers disclose the platform (X-Powered-By, X-AspNet-Version)',
  severity: 'low',
  remediation:
    'Remove X-Powered-By in system.webServer/httpProtocol/customHeaders (<remove name="X-Powered-By" />), set system.web/httpRuntime enableVersionHeader="false", ' +
    'and MvcHandler.DisableMvcResponseHeader = true for X-AspNetMvc-Version.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/httpprotocol/customheaders/'],
};

export const HTTP_DIRECTORY_LISTING: CheckMeta = {
  id: 'http-directory-listing',
  title: 'Directory listing is enabled',
  severity: 'medium',
  remediation: 'Turn directory browsing off: system.webServer/directoryBrowse enabled="false" (IIS Manager → Directory Browsing → Disable) for the site and every application.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/directorybrowse'],
};

export const HTTP_DEFAULT_PAGE: CheckMeta = {
  id: 'http-default-page',
  title: "The web server's stock welcome page is served",
  severity: 'low',
  remediation:
    'Remove the IIS stock content (iisstart.htm and iisstart.png in %SystemDrive%\\inetpub\\wwwroot) and drop iisstart.htm from system.webServer/defaultDocument/files; ' +
    'stop or delete the "Default Web Site" when the host serves no site there (IIS Manager → Sites).',
  references: ['https://learn.microsoft.com/en-us/iis/get-started/whats-new-in-iis-10/iis-10-default-document'],
};

export const HTTP_DETAILED_ERRORS: CheckMeta = {
  id: 'http-detailed-errors',
  title: 'Error pages expose internals (stack traces, physical paths, detailed IIS errors)',
  severity: 'medium',
  remediation:
    'Show custom errors to remote clients: system.webServer/httpErrors errorMode="DetailedLocalOnly" or "Custom" (never "Detailed"); ' +
    'system.web/customErrors mode="RemoteOnly" or "On"; system.web/compilation debug="false".',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/httperrors/'],
};

export const HTTP_NO_HTTPS_REDIRECT: CheckMeta = {
  id: 'http-no-https-redirect',
  title: 'Plain HTTP serves content although HTTPS exists',
  severity: 'medium',
  remediation:
    'Require TLS: system.webServer/security/access sslFlags="Ssl" on the HTTPS site, and make the HTTP binding answer only with a permanent redirect to https:// ' +
    '(URL Rewrite rule or HTTP Redirect with exactDestination).',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/access'],
};

export const HTTP_NO_HSTS: CheckMeta = {
  id: 'http-no-hsts',
  title: 'HTTPS responses lack Strict-Transport-Security',
  severity: 'low',
  remediation:
    'IIS 10 (1709+): site hsts enabled="true" max-age="31536000" (system.applicationHost/sites/site/hsts); older IIS: add a Strict-Transport-Security header in system.webServer/httpProtocol/customHeaders.',
  references: ['https://www.rfc-editor.org/rfc/rfc6797', 'https://learn.microsoft.com/en-us/iis/get-started/whats-new-in-iis-10-version-1709/iis-10-version-1709-hsts'],
};

type Outcome = { x: Exchange; error?: undefined; req: HttpRequest } | { x?: undefined; error: string; req: HttpRequest };

/** Paths that commonly hold browsable content; tried after the directories linked from `/`. */
const COMMON_DIRECTORIES = ['/files/', '/uploads/', '/upload/', '/images/', '/download/', '/downloads/', '/backup/', '/docs/', '/pub/', '/dav/', '/webdav/', '/aspnet_client/'];
const DAV_DIRECTORIES = ['/dav/', '/webdav/'];
const MAX_DIRECTORIES = 12;

export async function tryFetch(ctx: ProbeContext, d: Deadline, req: HttpRequest, o: Parameters<typeof fetchHttp>[3] = {}): Promise<Outcome> {
  try {
    return { x: await fetchHttp(ctx, d, req, o), req };
  } catch (e) {
    if (!isExchangeFailure(e)) throw e;
    return { error: describeFailure(e), req };
  }
}

/** `Microsoft-IIS/10.0`, `nginx/1.22.1`, `Apache/2.4.57 (Debian)`: a product token with a version. */
export function serverVersionIn(server: string | undefined): string | null {
  if (!server) return null;
  const m = /[A-Za-z][\w.-]*\/\d[\w.-]*/.exec(server);
  return m ? m[0] : null;
}

const PROPFIND_BODY = '<?xml version="1.0" encoding="utf-8"?><propfind xmlns="DAV:"><prop><resourcetype/></prop></propfind>';

export const httpServer = defineProbe({
  id: 'http-server',
  title: 'HTTP hardening: methods, banners, listings, default pages, errors, HTTPS redirect, HSTS',
  protocol: 'http',
  transport: 'tcp',
  ports: [80, 443, 8080, 8443],
  safety: 'safe',
  timeoutMs: 30_000,
  checks: [HTTP_OPTIONS, HTTP_TRACE, HTTP_WEBDAV, HTTP_SERVER_VERSION, HTTP_FRAMEWORK, HTTP_DIRECTORY_LISTING, HTTP_DEFAULT_PAGE, HTTP_DETAILED_ERRORS, HTTP_NO_HTTPS_REDIRECT, HTTP_NO_HSTS],
  appliesTo: (service) => isHttpService(service),
  async run(ctx): Promise<Verdict[]> {
    const d = new Deadline(ctx.timeoutMs);
    const tls = usesTls(ctx);
    const host = hostHeader(ctx, tls);
    const marker = `portcullis-${randomToken()}`;
    const first: HttpRequest[] = [
      { method: 'GET', path: '/', host },
      { method: 'GET', path: '/', host: null },
      { method: 'GET', path: randomPath(), host },
      { method: 'GET', path: randomPath('.aspx'), host },
      { method: 'PORTCULLISX', path: '/', host },
      { method: 'OPTIONS', path: '/', host },
      { method: 'TRACE', path: '/', host, headers: [['X-Portcullis-Trace', marker]] },
      { method: 'PROPFIND', path: '/', host, headers: [['Depth', '0'], ['Content-Type', 'application/xml']], body: PROPFIND_BODY },
    ];
    const [root, rootNoHost, miss, missAspx, invented, options, trace, propfindRoot] = (await pool(first, 4, (r) => tryFetch(ctx, d, r))) as Outcome[] & { length: 8 };
    if (!root || !rootNoHost || !miss || !missAspx || !invented || !options || !trace || !propfindRoot) throw new Error('http-server: request table out of step');

    // Second round: directories linked from / (one level) and common names, plus PROPFIND on DAV-ish paths.
    const linked = root.x ? linkedDirectories(root.x.res, host) : [];
    const dirs = [...new Set([...linked, ...COMMON_DIRECTORIES])].slice(0, MAX_DIRECTORIES);
    const dirResults = await pool(dirs, 4, (p) => tryFetch(ctx, d, { method: 'GET', path: p, host }, { maxBody: 64 * 1024 }));
    const davPaths = dirs.filter((p, i) => DAV_DIRECTORIES.includes(p) || (dirResults[i]?.x && dirResults[i]!.x!.res.status < 400 && linked.includes(p)));
    const propfinds = await pool(davPaths.slice(0, 4), 4, (p) =>
      tryFetch(ctx, d, { method: 'PROPFIND', path: p, host, headers: [['Depth', '0'], ['Content-Type', 'application/xml']], body: PROPFIND_BODY }),
    );

    const out: Verdict[] = [];
    const baselineNote = invented.x ? `invented method PORTCULLISX → ${invented.x.res.status}` : `invented method: ${invented.error}`;

    // OPTIONS: 2xx counts only if it is not how the server answers any method (baseline).
    out.push(
      judge(HTTP_OPTIONS.id, options, (x) => {
        const allow = headerValue(x.res, 'allow') ?? headerValue(x.res, 'public');
        const ok2xx = x.res.status >= 200 && x.res.status < 300;
        const items = [
          { label: 'OPTIONS status', value: x.res.status },
          { label: 'Allow / Public', value: allow ?? '(absent)' },
          { label: 'baseline', value: baselineNote },
        ];
        if (ok2xx && (allow || !invented.x || invented.x.res.status >= 300)) {
          return verdict(HTTP_OPTIONS.id, 'fail', `OPTIONS / answered ${x.res.status}${allow ? ` listing ${allow}` : ''}`, { ...describeExchange(x, ['Allow', 'Public', 'DAV']), items });
        }
        const why = ok2xx ? `OPTIONS answered ${x.res.status} like any invented method, with no Allow list` : `OPTIONS / answered ${x.res.status}`;
        return verdict(HTTP_OPTIONS.id, 'pass', why, { ...describeExchange(x, ['Allow']), items });
      }),
    );

    // TRACE: enabled only when it answers 200 and echoes our marker header back.
    out.push(
      judge(HTTP_TRACE.id, trace, (x) => {
        const echoed = x.res.status === 200 && bodyText(x.res).includes(marker);
        const items = [
          { label: 'TRACE status', value: x.res.status },
          { label: 'request echoed (marker header found in body)', value: echoed },
        ];
        if (echoed) return verdict(HTTP_TRACE.id, 'fail', 'TRACE / answered 200 and echoed the request back', { ...describeExchange(x, ['Content-Type']), items });
        return verdict(HTTP_TRACE.id, 'pass', `TRACE / answered ${x.res.status} without echoing the request`, { ...describeExchange(x), items });
      }),
    );

    // WebDAV (safe part): a 207 Multi-Status to PROPFIND is a WebDAV server answering.
    {
      const all = [propfindRoot, ...propfinds];
      const multi = all.find((o) => o.x && o.x.res.status === 207 && /multistatus/i.test(bodyText(o.x.res)));
      const items = all.map((o) => ({ label: `PROPFIND ${o.req.path}`, value: o.x ? `${o.x.res.status}` : `no answer (${o.error})`.slice(0, 160) }));
      const davHeader = options.x ? headerValue(options.x.res, 'dav') : undefined;
      if (davHeader) items.push({ label: 'DAV header on OPTIONS (advertised only, not proof)', value: davHeader });
      if (multi?.x) {
        out.push(verdict(HTTP_WEBDAV.id, 'fail', `PROPFIND ${multi.x.req.path} answered 207 Multi-Status: WebDAV is serving`, { ...describeExchange(multi.x, ['DAV', 'Content-Type']), items }));
      } else if (all.every((o) => o.error)) {
        out.push(verdict(HTTP_WEBDAV.id, 'error', `no PROPFIND got an answer (${propfindRoot.error})`, { items }));
      } else {
        out.push(
          verdict(HTTP_WEBDAV.id, 'pass', 'no PROPFIND answered as WebDAV (no 207); PUT/DELETE/MKCOL write and are tried only by http-write-methods (--probes all)', {
            sent: `PROPFIND on ${all.length} path(s)`,
            items,
          }),
        );
      }
    }

    // Server header, with and without Host (IIS and HTTP.sys can differ).
    {
      const seen = [root, rootNoHost, miss].filter((o) => o.x);
      if (seen.length === 0) out.push(verdict(HTTP_SERVER_VERSION.id, 'error', `no request was answered: ${root.error}`));
      else {
        const items = [root, rootNoHost, miss].map((o, i) => ({
          label: `Server header (${['GET / with Host', 'GET / without Host', 'GET random path'][i]})`,
          value: o.x ? headerOr(o.x.res, 'server') : `no answer (${o.error})`.slice(0, 120),
        }));
        const leak = seen.map((o) => ({ o, v: serverVersionIn(headerValue(o.x!.res, 'server')) })).find((t) => t.v);
        if (leak?.o.x) out.push(verdict(HTTP_SERVER_VERSION.id, 'fail', `Server header names product and version: ${leak.v}`, { ...describeExchange(leak.o.x, ['Server']), items }));
        else out.push(verdict(HTTP_SERVER_VERSION.id, 'pass', 'no Server header carries a version', { items }));
      }
    }

    // Framework headers.
    {
      const seen = [root, miss, missAspx].filter((o) => o.x);
      const names = ['X-Powered-By', 'X-AspNet-Version', 'X-AspNetMvc-Version'];
      if (seen.length === 0) out.push(verdict(HTTP_FRAMEWORK.id, 'error', `no request was answered: ${root.error}`));
      else {
        const found: { label: string; value: string }[] = [];
        for (const o of seen) for (const n of names) for (const v of headerValues(o.x!.res, n)) found.push({ label: `${n} (${o.x!.req.path})`, value: v });
        if (found.length) out.push(verdict(HTTP_FRAMEWORK.id, 'fail', `framework header present: ${found[0]!.label.split(' ')[0]}: ${found[0]!.value}`, { items: found }));
        else out.push(verdict(HTTP_FRAMEWORK.id, 'pass', `none of ${names.join(', ')} on ${seen.length} response(s)`));
      }
    }

    // Directory listing: / and the directories.
    {
      const candidates: Outcome[] = [root, ...dirResults];
      const hits = candidates.filter((o) => o.x && directoryListingSignature(o.x.res));
      const items = candidates.map((o) => ({
        label: `GET ${o.req.path}`,
        value: o.x ? `${o.x.res.status}${directoryListingSignature(o.x.res) ? ` — ${directoryListingSignature(o.x.res)}` : ''}` : `no answer (${o.error})`.slice(0, 120),
      }));
      if (hits.length && hits[0]?.x) {
        out.push(verdict(HTTP_DIRECTORY_LISTING.id, 'fail', `directory listing at ${hits.map((h) => h.x!.req.path).join(', ')}`, { ...describeExchange(hits[0].x), items }));
      } else if (candidates.every((o) => o.error)) out.push(verdict(HTTP_DIRECTORY_LISTING.id, 'error', `no directory request was answered: ${root.error}`));
      else out.push(verdict(HTTP_DIRECTORY_LISTING.id, 'pass', `no auto-generated index among ${candidates.filter((o) => o.x).length} directory URL(s)`, { items }));
    }

    // Stock welcome page at /.
    out.push(
      judge(HTTP_DEFAULT_PAGE.id, root, (x) => {
        const sig = defaultPageSignature(x.res);
        if (sig) return verdict(HTTP_DEFAULT_PAGE.id, 'fail', `/ serves the ${sig}`, describeExchange(x, ['Content-Type']));
        return verdict(HTTP_DEFAULT_PAGE.id, 'pass', `/ (status ${x.res.status}) is not a known stock page`, describeExchange(x));
      }),
    );

    // Detailed errors: the error pages we provoked.
    {
      const errs = [miss, missAspx, invented, rootNoHost].filter((o) => o.x);
      if (errs.length === 0) out.push(verdict(HTTP_DETAILED_ERRORS.id, 'error', `no error page was obtained: ${miss.error}`));
      else {
        const items = errs.map((o) => ({ label: `${o.x!.req.method} ${o.x!.req.path}${o.x!.req.host === null ? ' (no Host)' : ''}`, value: `${o.x!.res.status}` }));
        const hit = errs.map((o) => ({ o, s: detailedErrorSignature(o.x!.res) })).find((t) => t.s);
        if (hit?.s && hit.o.x) out.push(verdict(HTTP_DETAILED_ERRORS.id, 'fail', `${hit.s.what} in the ${hit.o.x.res.status} page: ${JSON.stringify(hit.s.excerpt)}`, { ...describeExchange(hit.o.x), items }));
        else out.push(verdict(HTTP_DETAILED_ERRORS.id, 'pass', `${errs.length} error page(s) show no stack trace, path or detailed-error template`, { items }));
      }
    }

    out.push(await judgeHttpsRedirect(ctx, d, tls, root));
    out.push(judgeHsts(tls, root));
    return out;
  },
});

function judge(check: string, o: Outcome, fn: (x: Exchange) => Verdict): Verdict {
  if (!o.x) return verdict(check, 'error', `the request got no usable answer: ${o.error}`, { sent: `${o.req.method} ${o.req.path}` });
  return fn(o.x);
}

/** HTTPS on this host: an open TCP port identified as HTTP inside TLS. */
export function httpsPortOf(ctx: Pick<ProbeContext, 'hostPorts'>): number | null {
  const p = ctx.hostPorts.find((hp) => hp.protocol === 'tcp' && hp.state === 'open' && hp.service && (hp.service.name === 'https' || (hp.service.tls && HTTP_NAMES.has(hp.service.name))));
  return p ? p.port : null;
}

function locationOf(res: HttpResponse, base: string): URL | null {
  const loc = headerValue(res, 'location');
  if (!loc) return null;
  try {
    return new URL(loc, base);
  } catch {
    return null;
  }
}

async function judgeHttpsRedirect(ctx: ProbeContext, d: Deadline, tls: boolean, root: Outcome): Promise<Verdict> {
  const id = HTTP_NO_HTTPS_REDIRECT.id;
  if (tls) return verdict(id, 'not-applicable', 'this port already speaks HTTPS');
  const httpsPort = httpsPortOf(ctx);
  if (httpsPort === null) return verdict(id, 'not-applicable', 'no HTTPS service was found on this host, so there is nothing to redirect to');
  if (!root.x) return verdict(id, 'error', `GET / got no usable answer: ${root.error}`);
  const names = new Set([ctx.address, ...ctx.hostNames].map((n) => n.toLowerCase().replace(/^\[|\]$/g, '')));
  const hops: string[] = [];
  let x: Exchange = root.x;
  for (let hop = 0; hop < 2; hop++) {
    const { sent, received } = describeExchange(x, ['Location']);
    hops.push(`${sent} → ${received}`);
    const st = x.res.status;
    if (st >= 200 && st < 300) {
      return verdict(id, 'fail', `plain HTTP serves content (${st}) while HTTPS exists on port ${httpsPort}`, { sent: hops.join(' ⇒ '), received, items: [{ label: 'HTTPS port', value: httpsPort }] });
    }
    if (st < 300 || st >= 400) return verdict(id, 'pass', `plain HTTP does not serve content (${st}) and does not redirect either`, { sent: hops.join(' ⇒ '), received });
    const base = `http://${hostHeader(ctx, false)}${x.req.path}`;
    const url = locationOf(x.res, base);
    if (!url) return verdict(id, 'error', `redirect ${st} without a usable Location header`, { sent: hops.join(' ⇒ '), received });
    const hostname = url.hostname.toLowerCase().replace(/^\[|\]$/g, '');
    if (url.protocol === 'https:') {
      if (names.has(hostname)) return verdict(id, 'pass', `plain HTTP redirects (${st}) to ${url.href}`, { sent: hops.join(' ⇒ '), received });
      return verdict(id, 'manual', `plain HTTP redirects (${st}) to HTTPS on another host (${url.host}); check that it is the same site`, { sent: hops.join(' ⇒ '), received });
    }
    // Follow one plain-HTTP redirect, but only back to this same address (we probe nothing else).
    if (url.protocol !== 'http:' || !names.has(hostname) || hop === 1) {
      return verdict(id, 'fail', `plain HTTP redirects (${st}) to ${url.href}, not to HTTPS`, { sent: hops.join(' ⇒ '), received });
    }
    const port = url.port ? Number(url.port) : 80;
    const next = await tryFetch(ctx, d, { method: 'GET', path: `${url.pathname}${url.search}`, host: url.host }, { port, tls: false });
    if (!next.x) return verdict(id, 'error', `the redirect target ${url.href} did not answer: ${next.error}`, { sent: hops.join(' ⇒ ') });
    x = next.x;
  }
  return verdict(id, 'error', 'redirect chain not judged');
}

function judgeHsts(tls: boolean, root: Outcome): Verdict {
  const id = HTTP_NO_HSTS.id;
  if (!tls) return verdict(id, 'not-applicable', 'HSTS is judged on HTTPS responses; this port is plain HTTP');
  if (!root.x) return verdict(id, 'error', `GET / got no usable answer: ${root.error}`);
  const sts = headerValue(root.x.res, 'strict-transport-security');
  const maxAge = sts ? /max-age\s*=\s*"?(\d+)/i.exec(sts) : null;
  const ex = describeExchange(root.x, ['Strict-Transport-Security']);
  if (sts && maxAge && Number(maxAge[1]) > 0) return verdict(id, 'pass', `Strict-Transport-Security: ${sts}`, ex);
  if (sts) return verdict(id, 'fail', `Strict-Transport-Security present but without a positive max-age: ${sts}`, ex);
  return verdict(id, 'fail', `the HTTPS response (${root.x.res.status}) carries no Strict-Transport-Security header`, ex);
}

// Shared by the HTTP probes: one request per fresh connection (TLS when the port speaks it), the
// baseline that method verdicts are judged against, and the page signatures (auto-index, stock
// welcome pages, detailed error pages) written from what those servers actually emit.
import type { ServiceInfo } from '../core/result.js';
import type { HttpRequest, HttpResponse } from '../protocols/http.js';
import { describeRequest, describeResponse, headerValue, httpExchange } from '../protocols/http.js';
import type { ProbeContext } from './define.js';
import { Deadline, randomToken, withConnection } from './service-common.js';

export const HTTP_NAMES = new Set(['http', 'https', 'http-proxy']);

export function isHttpService(service: ServiceInfo | undefined): boolean {
  return !!service && HTTP_NAMES.has(service.name);
}

export function usesTls(ctx: Pick<ProbeContext, 'service'>): boolean {
  return !!ctx.service && (ctx.service.tls || ctx.service.name === 'https');
}

/** Host header for this port: the user's name for the host if any, else the address; port unless default. */
export function hostHeader(ctx: Pick<ProbeContext, 'hostNames' | 'address' | 'port'>, tls: boolean, port = ctx.port): string {
  const h = ctx.hostNames[0] ?? ctx.address;
  const b = h.includes(':') ? `[${h}]` : h;
  return port === (tls ? 443 : 80) ? b : `${b}:${port}`;
}

export interface Exchange {
  req: HttpRequest;
  res: HttpResponse;
}

export interface FetchOptions {
  port?: number;
  tls?: boolean;
  maxBody?: number;
  /** Cap on this one exchange. */
  capMs?: number;
}

/** One request on a fresh connection (TLS when the port speaks it); IoError/MalformedReply on trouble. */
export async function fetchHttp(ctx: ProbeContext, d: Deadline, req: HttpRequest, o: FetchOptions = {}): Promise<Exchange> {
  const tls = o.tls ?? usesTls(ctx);
  const res = await withConnection(
    ctx,
    d,
    async (s) => {
      if (tls) await s.startTls({ timeoutMs: d.left(o.capMs ?? 8_000), ...(ctx.hostNames[0] ? { servername: ctx.hostNames[0] } : {}) });
      return httpExchange(s, req, d.left(o.capMs ?? 8_000), o.maxBody ?? 128 * 1024);
    },
    o.port ?? ctx.port,
  );
  return { req, res };
}

export function describeExchange(x: Exchange, headers: readonly string[] = []): { sent: string; received: string } {
  return { sent: describeRequest(x.req), received: describeResponse(x.res, headers) };
}

export function randomPath(suffix = ''): string {
  return `/portcullis-${randomToken()}${suffix}`;
}

export function bodyText(res: HttpResponse, max = 64 * 1024): string {
  return res.body.subarray(0, max).toString('latin1');
}

// ---- Page signatures ---------------------------------------------------------------------------

/** Auto-generated directory indexes: IIS directoryBrowse, nginx autoindex, Apache mod_autoindex, others. */
const LISTING_SIGNATURES: [RegExp, string][] = [
  [/\[To Parent Directory\]/i, 'IIS directory browsing ("[To Parent Directory]")'],
  [/<title>\s*Index of \//i, 'auto-index page ("Index of /…")'],
  [/<h1>\s*Index of \//i, 'auto-index page ("Index of /…")'],
  [/<title>\s*Directory listing for \//i, 'directory listing ("Directory listing for /…")'],
  [/<pre><A HREF="[^"]*">\[To Parent/i, 'IIS directory browsing'],
];

export function directoryListingSignature(res: HttpResponse): string | null {
  if (res.status !== 200) return null;
  const text = bodyText(res);
  for (const [re, what] of LISTING_SIGNATURES) if (re.test(text)) return what;
  return null;
}

const DEFAULT_PAGES: [RegExp, string][] = [
  [/<title>\s*IIS Windows( Server)?\s*<\/title>|iisstart\.png|<title>\s*Internet Information Services\s*<\/title>/i, 'IIS welcome page (iisstart.htm)'],
  [/<title>\s*Welcome to nginx!\s*<\/title>/i, 'nginx welcome page'],
  [/Apache2 (Debian|Ubuntu) Default Page|<h1>\s*It works!\s*<\/h1>|<title>\s*Test Page for the (Apache|HTTP Server)/i, 'Apache default page'],
  [/<title>\s*Apache Tomcat\/[\d.]+\s*<\/title>/i, 'Tomcat default page'],
];

export function defaultPageSignature(res: HttpResponse): string | null {
  if (res.status !== 200) return null;
  const text = bodyText(res);
  for (const [re, what] of DEFAULT_PAGES) if (re.test(text)) return what;
  return null;
}

/** Error pages that tell too much: IIS detailed errors, ASP.NET yellow screen, stack traces, paths. */
const DETAILED_ERRORS: [RegExp, string][] = [
  [/Detailed Error Information|<h3>\s*HTTP Error \d{3}\.\d+ - /i, 'IIS detailed error page (httpErrors errorMode="Detailed")'],
  [/Physical Path<\/th>|Physical Path:?\s*<\/?\w/i, 'IIS error page showing the physical path'],
  [/Server Error in '[^']*' Application/i, 'ASP.NET error page (customErrors mode="Off")'],
  [/Stack Trace:|\bat System\.[A-Za-z.]+\(|\[[A-Za-z]+Exception: /, '.NET stack trace'],
  [/Traceback \(most recent call last\)/, 'Python traceback'],
  [/\bat (java|javax|org\.apache|org\.springframework)\.[\w.$]+\([\w]+\.java:\d+\)/, 'Java stack trace'],
  [/<b>(Fatal error|Warning|Parse error)<\/b>:.* in <b>[^<]+<\/b> on line/i, 'PHP error with file path'],
  [/\b[A-Z]:\\(inetpub|Windows|Users|Program Files)\\[^\s<"]*/i, 'Windows file path'],
];

export function detailedErrorSignature(res: HttpResponse): { what: string; excerpt: string } | null {
  if (res.status < 400) return null;
  const text = bodyText(res);
  for (const [re, what] of DETAILED_ERRORS) {
    const m = re.exec(text);
    if (m) return { what, excerpt: m[0].slice(0, 100) };
  }
  return null;
}

/**
 * Directory links on the page, same origin, one level below `/`: `href="/x/"`, `href="x/"`,
 * absolute URLs to the same host. Bounded; query strings and parent links dropped.
 */
export function linkedDirectories(res: HttpResponse, hostHeaderValue: string, max = 8): string[] {
  const text = bodyText(res, 128 * 1024);
  const out = new Set<string>();
  const re = /href\s*=\s*["']([^"'#?]{1,200})["']/gi;
  for (let m = re.exec(text), n = 0; m && n < 500 && out.size < max; m = re.exec(text), n++) {
    let href = m[1] as string;
    const abs = /^https?:\/\/([^/]+)(\/.*)?$/i.exec(href);
    if (abs) {
      if ((abs[1] as string).toLowerCase() !== hostHeaderValue.toLowerCase()) continue;
      href = abs[2] ?? '/';
    } else if (/^[a-z][a-z0-9+.-]*:/i.test(href) || href.startsWith('//')) continue;
    if (!href.startsWith('/')) href = `/${href}`;
    const seg = /^\/([^/]+)\//.exec(href);
    if (!seg || seg[1] === '..' || seg[1] === '.') continue;
    out.add(`/${seg[1]}/`);
  }
  return [...out];
}

export function headerOr(res: HttpResponse, name: string): string {
  return headerValue(res, name) ?? '(absent)';
}

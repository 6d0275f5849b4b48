// SSDP (UPnP Device Architecture 2.0 §1.3): a unicast M-SEARCH to UDP 1900 and the HTTPU reply.
// Replies carry no transaction id; an answer is recognised by its form — an HTTP/1.1 200 status
// line with the ST and USN headers a search response must have.
import type { Parsed } from './reader.js';

export function encodeMSearch(host: string, searchTarget = 'ssdp:all', mx = 1): Buffer {
  const h = host.includes(':') ? `[${host}]` : host;
  return Buffer.from(['M-SEARCH * HTTP/1.1', `HOST: ${h}:1900`, 'MAN: "ssdp:discover"', `MX: ${mx}`, `ST: ${searchTarget}`, '', ''].join('\r\n'), 'latin1');
}

export interface SsdpResponse {
  status: number;
  headers: Record<string, string>;
  server: string | null;
  st: string | null;
  usn: string | null;
  location: string | null;
}

const MAX_SSDP = 8192;

export function parseSsdpResponse(buf: Buffer): Parsed<SsdpResponse> {
  try {
    if (buf.length > MAX_SSDP) return { ok: false, error: `SSDP reply of ${buf.length} bytes is larger than any search response` };
    const text = buf.toString('latin1');
    const end = text.indexOf('\r\n\r\n');
    const head = end >= 0 ? text.slice(0, end) : text;
    const lines = head.split(/\r?\n/);
    const m = /^HTTP\/1\.[01] (\d{3})(?: .*)?$/.exec(lines[0] ?? '');
    if (!m) return { ok: false, error: 'not an HTTPU status line' };
    const status = Number(m[1]);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) {
        if (line.trim() === '') continue;
        return { ok: false, error: `malformed header line '${line.slice(0, 40)}'` };
      }
      headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    if (status !== 200) return { ok: false, error: `SSDP status ${status}, not 200` };
    if (headers['st'] === undefined || headers['usn'] === undefined) return { ok: false, error: 'search response lacks the ST or USN header' };
    return {
      ok: true,
      value: {
        status,
        headers,
        server: headers['server'] ?? null,
        st: headers['st'] ?? null,
        usn: headers['usn'] ?? null,
        location: headers['location'] ?? null,
      },
    };
  } catch (e) {
    return { ok: false, error: `malformed SSDP input: ${e instanceof Error ? e.message : String(e)}` };
  }
}

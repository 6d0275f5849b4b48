// The writing half of the WebDAV check (intrusive: it creates and deletes a file). PUT and MKCOL go
// only to random names that do not exist; a PUT counts as working only when a GET afterwards returns
// the exact bytes we sent (a catch-all 200 or a 301 is not support — the trap PROTOCOLS.md names);
// whatever we created is deleted again, and a failed clean-up is reported so a human can finish it.
import type { ProbeContext, Verdict } from './define.js';
import { defineProbe } from './define.js';
import { hostHeader, isHttpService, linkedDirectories, usesTls } from './http-common.js';
import { HTTP_WEBDAV, tryFetch } from './http-server.js';
import { Deadline, randomToken, verdict } from './service-common.js';

const CANDIDATE_DIRECTORIES = ['/', '/dav/', '/webdav/', '/uploads/', '/upload/', '/files/'];
const MAX_DIRECTORIES = 6;

interface DirResult {
  dir: string;
  notes: string[];
  wrote: boolean;
  leftBehind: string[];
  answered: boolean;
}

function ok2xx(s: number): boolean {
  return s >= 200 && s < 300;
}

async function tryDirectory(ctx: ProbeContext, d: Deadline, host: string, dir: string, baseline: number | null): Promise<DirResult> {
  const r: DirResult = { dir, notes: [], wrote: false, leftBehind: [], answered: false };
  const name = `portcullis-${randomToken()}`;
  const file = `${dir}${name}.txt`;
  const content = `portcullis write test ${randomToken(8)}\n`;
  const put = await tryFetch(ctx, d, { method: 'PUT', path: file, host, headers: [['Content-Type', 'text/plain']], body: content });
  if (!put.x) {
    r.notes.push(`PUT ${file}: no answer (${put.error})`);
    return r;
  }
  r.answered = true;
  const ps = put.x.res.status;
  if (!ok2xx(ps)) {
    r.notes.push(`PUT ${file} → ${ps}${ps >= 300 && ps < 400 ? ' (a redirect is not support)' : ''}`);
  } else {
    // 2xx: prove it by reading the bytes back.
    const get = await tryFetch(ctx, d, { method: 'GET', path: file, host });
    const stored = !!get.x && get.x.res.status === 200 && get.x.res.body.toString('utf8') === content;
    r.notes.push(`PUT ${file} → ${ps}; GET back → ${get.x ? get.x.res.status : `no answer (${get.error})`}${stored ? ', same bytes: written' : ', not our bytes'}${baseline !== null && baseline === ps ? ` (same status as the invented method)` : ''}`);
    if (stored) r.wrote = true;
    // Clean up even when unproven: a 2xx PUT may have stored something we could not read back.
    const del = await tryFetch(ctx, d, { method: 'DELETE', path: file, host });
    const gone = await tryFetch(ctx, d, { method: 'GET', path: file, host });
    const deleted = !!del.x && ok2xx(del.x.res.status) && !!gone.x && (gone.x.res.status === 404 || gone.x.res.status === 410);
    r.notes.push(`DELETE ${file} → ${del.x ? del.x.res.status : `no answer (${del.error})`}${deleted ? ', removed (GET now 404)' : ''}`);
    if (stored && !deleted) r.leftBehind.push(file);
  }
  // MKCOL (RFC 4918 §9.3) on a random collection name; 201 = created.
  const col = `${dir}${name}-dir/`;
  const mk = await tryFetch(ctx, d, { method: 'MKCOL', path: col, host });
  if (mk.x) {
    const ms = mk.x.res.status;
    if (ms === 201) {
      r.wrote = true;
      const del = await tryFetch(ctx, d, { method: 'DELETE', path: col, host, headers: [['Depth', 'infinity']] });
      const removed = !!del.x && ok2xx(del.x.res.status);
      r.notes.push(`MKCOL ${col} → 201 (created); DELETE → ${del.x ? del.x.res.status : `no answer (${del.error})`}`);
      if (!removed) r.leftBehind.push(col);
    } else r.notes.push(`MKCOL ${col} → ${ms}`);
  } else r.notes.push(`MKCOL ${col}: no answer (${mk.error})`);
  return r;
}

export const httpWriteMethods = defineProbe({
  id: 'http-write-methods',
  title: 'HTTP PUT / DELETE / MKCOL actually write (creates and removes a test file)',
  protocol: 'http',
  transport: 'tcp',
  ports: [80, 443, 8080, 8443],
  safety: 'intrusive',
  timeoutMs: 30_000,
  checks: [HTTP_WEBDAV],
  appliesTo: (service) => isHttpService(service),
  async run(ctx): Promise<Verdict[]> {
    const id = HTTP_WEBDAV.id;
    const d = new Deadline(ctx.timeoutMs);
    const host = hostHeader(ctx, usesTls(ctx));
    const [rootOutcome, invented] = await Promise.all([
      tryFetch(ctx, d, { method: 'GET', path: '/', host }),
      tryFetch(ctx, d, { method: 'PORTCULLISX', path: '/', host }),
    ]);
    const baseline = invented.x ? invented.x.res.status : null;
    const linked = rootOutcome.x ? linkedDirectories(rootOutcome.x.res, host) : [];
    const dirs = [...new Set([...CANDIDATE_DIRECTORIES, ...linked])].slice(0, MAX_DIRECTORIES);
    const results: DirResult[] = [];
    for (const dir of dirs) {
      if (d.expired) break;
      results.push(await tryDirectory(ctx, d, host, dir, baseline));
    }
    const items = results.flatMap((r) => r.notes.map((n) => ({ label: r.dir, value: n.slice(0, 200) })));
    items.unshift({ label: 'baseline', value: invented.x ? `PORTCULLISX / → ${invented.x.res.status}` : `PORTCULLISX / : no answer (${invented.error})` });
    const left = results.flatMap((r) => r.leftBehind);
    const sent = `PUT and MKCOL of random names under ${dirs.join(', ')}, each followed by GET and DELETE`;
    const wrote = results.filter((r) => r.wrote);
    if (wrote.length) {
      const cleanup = left.length ? ` — could NOT remove ${left.join(', ')}: delete by hand` : '; everything created was deleted again';
      return [verdict(id, 'fail', `writing methods work under ${wrote.map((r) => r.dir).join(', ')}${cleanup}`, { sent, items })];
    }
    if (!results.some((r) => r.answered)) return [verdict(id, 'error', 'no PUT got an answer; cannot decide', { sent, items })];
    return [verdict(id, 'pass', 'no PUT or MKCOL wrote anything (refused, redirected or not stored)', { sent, items })];
  },
});

// Security templates: `secedit /export /cfg FILE` and GPO GptTmpl.inf. An INF with `[Unicode]`
// sections, written by secedit in UTF-16LE with a BOM and CRLF.
import type { ParseProblem, ParseResult, SecurityPolicy, SeceditRegistryValue } from '../host/state.js';
import { decodeText } from './text.js';
import { ownValue, setOwn } from '../core/records.js';

export function emptySecurityPolicy(): SecurityPolicy {
  return { systemAccess: {}, eventAudit: {}, privilegeRights: {}, registryValues: {}, services: {}, otherSections: {} };
}

function unquote(s: string): string {
  const t = s.trim();
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).replace(/""/g, '"') : t;
}

/** Split on commas outside double quotes (the `[Service General Setting]` lines quote the SDDL). */
function splitCsv(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (const c of s) {
    if (c === '"') q = !q;
    if (c === ',' && !q) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

/** What `/^-?\d+$/` tests. */
function isInteger(s: string): boolean {
  let i = s.charCodeAt(0) === 45 ? 1 : 0;
  if (i >= s.length) return false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** The non-empty, trimmed items of a comma-separated list, in one pass (a template has a line
 *  of principals per privilege). */
function commaList(s: string): string[] {
  const out: string[] = [];
  for (let from = 0; from <= s.length; ) {
    let to = s.indexOf(',', from);
    if (to < 0) to = s.length;
    const x = s.slice(from, to).trim();
    if (x.length > 0) out.push(x);
    from = to + 1;
  }
  return out;
}

function decodeRegistryValue(text: string): SeceditRegistryValue | undefined {
  const comma = text.indexOf(',');
  if (comma < 0) return undefined;
  const type = Number(text.slice(0, comma).trim());
  if (!Number.isInteger(type)) return undefined;
  const raw = text.slice(comma + 1);
  switch (type) {
    case 4: {
      const n = Number(unquote(raw));
      return { type, raw, value: Number.isFinite(n) ? n : NaN };
    }
    case 7: {
      const trimmed = raw.trim();
      return { type, raw, value: trimmed === '' ? [] : splitCsv(trimmed).map(unquote) };
    }
    case 3:
      return { type, raw, value: splitCsv(raw).filter((x) => x.trim() !== '').map((x) => Number(x.trim()) & 0xff) };
    default:
      return { type, raw, value: unquote(raw) };
  }
}

/** Append to the list kept under `key` (a section name from the file, so possibly "__proto__"). */
function pushEntry<T>(o: Record<string, T[]>, key: string, e: T): void {
  const list = ownValue(o, key);
  if (list) list.push(e);
  else setOwn(o, key, [e]);
}

export function parseSecedit(artifact: string, input: Uint8Array | string): ParseResult<SecurityPolicy> {
  const sp = emptySecurityPolicy();
  const problems: ParseProblem[] = [];
  const { lines } = decodeText(input);
  let section: string | undefined;
  let sawSection = false;
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const t = lines[i]!.trim();
    if (t === '' || t.startsWith(';')) continue;
    const sec = t.charCodeAt(0) === 91 ? /^\[(.+)\]$/.exec(t) : null;
    if (sec) {
      section = sec[1]!.trim().toLowerCase();
      sawSection = true;
      continue;
    }
    if (section === undefined) {
      problems.push({ artifact, line: lineNo, severity: 'error', reason: 'text before the first [section]: not a security template' });
      continue;
    }
    const source = { artifact, line: lineNo };
    if (section === 'service general setting') {
      // "Name",startMode,"SDDL"
      const parts = splitCsv(t);
      const name = unquote(parts[0] ?? '');
      const mode = Number(parts[1]?.trim());
      if (!name || !Number.isInteger(mode)) {
        problems.push({ artifact, line: lineNo, severity: 'error', reason: 'expected "Service",startMode,"SDDL"' });
        continue;
      }
      setOwn(sp.services, name.toLowerCase(), { name, value: { startMode: mode, sddl: unquote(parts.slice(2).join(',')) }, source });
      continue;
    }
    const eq = t.indexOf('=');
    if (eq < 0) {
      if (section === 'system access' || section === 'event audit' || section === 'privilege rights' || section === 'registry values') {
        problems.push({ artifact, line: lineNo, severity: 'error', reason: `expected "name = value" in [${section}]` });
      } else pushEntry(sp.otherSections, section, { name: t, value: t, source });
      continue;
    }
    const name = t.slice(0, eq).trim();
    const value = t.slice(eq + 1).trim();
    const id = name.toLowerCase();
    switch (section) {
      case 'system access': {
        const n = isInteger(value) ? Number(value) : undefined;
        setOwn(sp.systemAccess, id, { name, value: n ?? unquote(value), source });
        break;
      }
      case 'event audit': {
        const n = Number(value);
        if (!Number.isInteger(n)) problems.push({ artifact, line: lineNo, severity: 'error', reason: `audit value for ${name} is not a number` });
        else setOwn(sp.eventAudit, id, { name, value: n, source });
        break;
      }
      case 'privilege rights': {
        const principals = value === '' ? [] : commaList(value);
        setOwn(sp.privilegeRights, id, { name, value: principals, source });
        break;
      }
      case 'registry values': {
        const v = decodeRegistryValue(value);
        if (!v) problems.push({ artifact, line: lineNo, severity: 'error', reason: `registry value ${name} is not in "type,value" form` });
        else setOwn(sp.registryValues, id, { name, value: v, source });
        break;
      }
      default:
        pushEntry(sp.otherSections, section, { name, value, source });
    }
  }
  if (!sawSection) problems.push({ artifact, severity: 'error', reason: 'no [section] found: not a security template' });
  return { slice: sp, problems };
}

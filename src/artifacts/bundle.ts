// A bundle: a folder or .zip of native artifacts plus manifest.json, or loose files given one by
// one. This module reads the files (with zip safety limits), recognises each one (manifest entry,
// then file name, then content) and builds one HostState. A file that cannot be read becomes a
// problem for that file only; the rest of the bundle is still audited.
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, join, sep } from 'node:path';
import { Unzip, UnzipInflate, UnzipPassThrough } from 'fflate';
import { PortcullisError } from '../core/errors.js';
import { canonicalKeyPath } from '../host/effective.js';
import { ARTIFACT_KINDS, emptyHostState } from '../host/state.js';
import type { ArtifactKind, ArtifactRecord, HostState, ParseProblem, Provenance, RegistryData, RegistryState } from '../host/state.js';
import { emptyAccounts, mergeAccounts, parseHotfixJson, parseNetList, parseNetLocalgroup, parseNetstat, parseNetUser, parseSysteminfo, parseWmicQfe } from './console.js';
import { emptyDns, mergeDns, normaliseDns, parseDnsCmdlet, parseDnscmdEnumZones, parseDnscmdInfo, parseDnscmdZoneInfo } from './dns.js';
import { emptyIis, mergeIis, parseIisConfig } from './iisconfig.js';
import { parseAdaptersJson, parseAuditpol, parseDefenderJson, parseIcacls, parseMetabase, parseNetshFirewall, parseNicconfig, parseScQuery, parseServicesJson, parseW3cLog } from './misc.js';
import { emptyRegistry, mergeRegistry, parseRegFile, parseRegistryPol } from './registry.js';
import { parseSecedit } from './secedit.js';
import { decodeString, sniffEncoding } from './text.js';
import { ownValue, setOwn } from '../core/records.js';

/** Limits that keep a hostile archive (zip bomb, thousands of entries) from exhausting memory. */
export const BUNDLE_LIMITS = {
  totalBytes: 512 * 1024 * 1024,
  fileBytes: 128 * 1024 * 1024,
  files: 5000,
  depth: 8,
};

export const MANIFEST_NAME = 'manifest.json';

/** One entry of manifest.json, as the collector writes it. */
export interface ManifestEntry {
  /** Path inside the bundle, forward slashes. */
  file: string;
  kind?: ArtifactKind;
  command?: string;
  exitCode?: number;
  error?: string | null;
  /** For `reg export`: the key that was exported (its subtree is complete in the file). */
  key?: string;
  /** For web.config copies: the IIS site and virtual path. */
  site?: string;
  virtualPath?: string;
  /** For dnscmd /ZoneInfo: the zone. */
  zone?: string;
}

export interface BundleManifest {
  schema?: string;
  host?: string;
  collectedAt?: string;
  files: ManifestEntry[];
}

export interface BundleFile {
  /** Path inside the bundle (forward slashes) or the loose file's name. */
  name: string;
  bytes: Uint8Array;
}

export interface RawBundle {
  files: BundleFile[];
  manifest?: BundleManifest;
  problems: ParseProblem[];
}

// ---------------------------------------------------------------------------------------------
// Reading

const CLEAN_NAME = /^(?![a-zA-Z]:)[^/\\\0]+(?:\/[^/\\\0]+)*$/;
const DOT_SEGMENT = /(?:^|\/)\.\.?(?:\/|$)/;

/** A name inside an archive is accepted only if it stays inside the bundle: no absolute paths,
 *  no drive letters, no `..` segments (we never write files, but names become provenance). */
export function safeEntryName(name: string): string | undefined {
  // Most names are already clean relative paths ("registry/schannel.reg"): nothing to rewrite.
  if (CLEAN_NAME.test(name) && !DOT_SEGMENT.test(name)) return name;
  const n = name.replace(/\\/g, '/');
  if (n.startsWith('/') || /^[a-zA-Z]:/.test(n) || n.includes('\0')) return undefined;
  const parts = n.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return undefined;
  return parts.join('/');
}

/** Read a zip held in memory, entry by entry, counting decompressed bytes as they stream out so
 *  that a header that lies about sizes cannot get past the limits. */
export function readZip(zipName: string, data: Uint8Array, limits = BUNDLE_LIMITS): RawBundle {
  const files: BundleFile[] = [];
  const problems: ParseProblem[] = [];
  let total = 0;
  let count = 0;
  let aborted: string | undefined;
  const uz = new Unzip();
  uz.register(UnzipInflate);
  uz.register(UnzipPassThrough);
  uz.onfile = (file) => {
    if (aborted) return;
    if (file.name.endsWith('/')) return; // directory entry
    count++;
    if (count > limits.files) {
      aborted = `more than ${limits.files} entries`;
      return;
    }
    const name = safeEntryName(file.name);
    if (!name) {
      problems.push({ artifact: `${zipName}:${file.name}`, severity: 'error', reason: 'entry name leaves the archive (absolute path or ".."); skipped' });
      return;
    }
    if (file.originalSize !== undefined && file.originalSize > limits.fileBytes) {
      problems.push({ artifact: name, severity: 'error', reason: `declares ${file.originalSize} bytes, over the ${limits.fileBytes}-byte limit per file; skipped` });
      return;
    }
    if (file.compression !== 0 && file.compression !== 8) {
      problems.push({ artifact: name, severity: 'error', reason: `compression method ${file.compression} is not supported (only stored and deflate); skipped` });
      return;
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    let stopped = false;
    pending.add(name);
    file.ondata = (err, chunk, final) => {
      if (stopped) return;
      if (err) {
        stopped = true;
        pending.delete(name);
        problems.push({ artifact: name, severity: 'error', reason: `cannot decompress: ${err.message}` });
        return;
      }
      size += chunk.length;
      total += chunk.length;
      if (size > limits.fileBytes) {
        stopped = true;
        pending.delete(name);
        file.terminate();
        problems.push({ artifact: name, severity: 'error', reason: `decompresses to more than ${limits.fileBytes} bytes (zip bomb?); skipped` });
        return;
      }
      if (total > limits.totalBytes) {
        stopped = true;
        file.terminate();
        aborted = `the archive decompresses to more than ${limits.totalBytes} bytes (zip bomb?)`;
        return;
      }
      chunks.push(chunk);
      if (final) {
        pending.delete(name);
        const out = new Uint8Array(size);
        let o = 0;
        for (const c of chunks) {
          out.set(c, o);
          o += c.length;
        }
        files.push({ name, bytes: out });
      }
    };
    try {
      file.start();
    } catch (e) {
      problems.push({ artifact: name, severity: 'error', reason: `cannot decompress: ${(e as Error).message}` });
    }
  };
  // The streaming reader reads local headers only; a file that is not a zip (or lost its end)
  // would just yield nothing, so look for the end-of-central-directory record first.
  let eocd = -1;
  for (let i = data.length - 22; i >= Math.max(0, data.length - 22 - 65535); i--) {
    if (data[i] === 0x50 && data[i + 1] === 0x4b && data[i + 2] === 0x05 && data[i + 3] === 0x06) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    problems.push({ artifact: zipName, severity: 'error', reason: 'not a readable zip archive: no end-of-central-directory record (truncated or not a zip)' });
    return { files, problems };
  }
  const pending = new Set<string>();
  try {
    const STEP = 64 * 1024;
    if (data.length === 0) throw new Error('empty file');
    for (let i = 0; i < data.length && !aborted; i += STEP) uz.push(data.subarray(i, Math.min(i + STEP, data.length)), i + STEP >= data.length);
  } catch (e) {
    problems.push({ artifact: zipName, severity: 'error', reason: `not a readable zip archive: ${(e as Error).message}` });
  }
  if (aborted) problems.push({ artifact: zipName, severity: 'error', reason: `reading stopped: ${aborted}; files read so far are audited` });
  else for (const name of pending) problems.push({ artifact: name, severity: 'error', reason: 'entry is truncated (its data ends before the entry does); skipped' });
  return withManifest({ files, problems });
}

function readFolder(root: string, limits = BUNDLE_LIMITS): RawBundle {
  const files: BundleFile[] = [];
  const problems: ParseProblem[] = [];
  let total = 0;
  const slab = new Slab();
  // Paths are built by appending names (what join/relative would give for names from a listing):
  // path normalisation was a fifth of reading a bundle. `prefix` is what join puts before a name
  // in the root itself ("" for ".", the root with one separator otherwise).
  const prefix = join(root, 'x').slice(0, -1);
  const walk = (dir: string, dirRel: string, depth: number): void => {
    if (depth > limits.depth) {
      problems.push({ artifact: dirRel, severity: 'warning', reason: `folders nested deeper than ${limits.depth} levels are not read` });
      return;
    }
    // Entry types come with the listing (no lstat per entry); bundles are read by the thousand.
    const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const p = dirRel === '' ? prefix + entry.name : dir + sep + entry.name;
      const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
      // Symbolic links could point outside the bundle; a bundle has no reason to contain them.
      if (entry.isSymbolicLink()) {
        problems.push({ artifact: rel, severity: 'warning', reason: 'symbolic link not followed' });
        continue;
      }
      if (entry.isDirectory()) walk(p, rel, depth + 1);
      else if (entry.isFile()) {
        if (files.length >= limits.files) {
          problems.push({ artifact: rel, severity: 'error', reason: `more than ${limits.files} files; the rest are not read` });
          return;
        }
        try {
          const bytes = readLimited(p, limits.fileBytes, limits.totalBytes - total, slab);
          if (typeof bytes === 'number') {
            problems.push({ artifact: rel, severity: 'error', reason: `${bytes} bytes is over the size limit; skipped` });
            continue;
          }
          total += bytes.length;
          files.push({ name: rel, bytes });
        } catch (e) {
          problems.push({ artifact: rel, severity: 'error', reason: `unreadable: ${(e as Error).message}` });
        }
      }
    }
  };
  walk(root, '', 0);
  return withManifest({ files, problems });
}

/** Memory for the files of one bundle: files share 256 KB blocks instead of getting a buffer
 *  (and a backing store for the GC to track) each; a bundle is about twenty files. */
class Slab {
  block: Buffer | undefined;
  used = 0;
  private static readonly SIZE = 256 * 1024;
  /** A file is read into the free end of the current block when at least this much is free. */
  private static readonly MIN_ROOM = 64 * 1024;

  /** Make room for the next file; returns how many bytes are free at `block[used]`. */
  prepare(): number {
    if (!this.block || this.block.length - this.used < Slab.MIN_ROOM) {
      this.block = Buffer.allocUnsafeSlow(Slab.SIZE);
      this.used = 0;
    }
    return this.block.length - this.used;
  }

  /** The first `n` free bytes now hold a file. */
  commit(n: number): Buffer {
    const out = this.block!.subarray(this.used, this.used + n);
    this.used += n;
    return out;
  }
}

/** Read from `fd` at file offset `from` into `buf[at..at+want)` until that is full or the file
 *  ends; returns the number of bytes read. A read of a regular file comes back short only at
 *  its end, so a short read ends the loop without another call to see the end. */
function readFully(fd: number, buf: Buffer, at: number, want: number, from: number): number {
  let off = 0;
  for (let guard = 0; off < want && guard < 1_000_000; guard++) {
    const n = readSync(fd, buf, at + off, want - off, from + off);
    off += n;
    if (n === 0 || off < want) break;
  }
  return off;
}

/** The whole file, or its size when that is over `perFile` or `remaining`. The file is read
 *  straight into the slab, one byte past the limits: only a file that fills that room (over a
 *  limit, or bigger than the room) needs an fstat for its size. Reading a bundle is mostly
 *  system calls; open, read and close alone are ~115 µs of a bundle, an fstat (or a read to
 *  see the end) per file another ~20 µs. */
function readLimited(path: string, perFile: number, remaining: number, slab: Slab): Uint8Array | number {
  const fd = openSync(path, 'r');
  try {
    const limit = Math.min(perFile, remaining);
    const want = Math.min(limit + 1, slab.prepare());
    const got = readFully(fd, slab.block!, slab.used, want, 0);
    if (got < want) return slab.commit(got); // the file ended first: it is all there, within limits
    const size = fstatSync(fd).size;
    if (size > perFile || size > remaining) return size;
    // Bigger than the slab's room (rare): a buffer of its own, starting with what was read. A
    // file that changed since is read up to its fstat size.
    const buf = Buffer.allocUnsafeSlow(size);
    const head = Math.min(got, size);
    slab.block!.copy(buf, 0, slab.used, slab.used + head);
    const off = head + readFully(fd, buf, head, size - head, head);
    return off === size ? buf : buf.subarray(0, off);
  } finally {
    closeSync(fd);
  }
}

function withManifest(b: RawBundle): RawBundle {
  const idx = b.files.findIndex((f) => f.name.toLowerCase() === MANIFEST_NAME || f.name.toLowerCase().endsWith('/' + MANIFEST_NAME));
  if (idx < 0) return b;
  const mf = b.files[idx]!;
  b.files.splice(idx, 1);
  const prefix = mf.name.includes('/') ? mf.name.slice(0, mf.name.lastIndexOf('/') + 1) : '';
  const parsed = parseManifest(mf.name, mf.bytes, b.problems);
  if (parsed) {
    b.manifest = parsed;
    // A zip made of the folder itself (Compress-Archive of C:\x\bundle) nests every file under
    // "bundle/": strip that prefix so names match the manifest.
    if (prefix) for (const f of b.files) if (f.name.startsWith(prefix)) f.name = f.name.slice(prefix.length);
  }
  return b;
}

const KNOWN_KINDS: ReadonlySet<string> = new Set(ARTIFACT_KINDS);
const ENTRY_TEXT_FIELDS = ['key', 'site', 'virtualPath', 'zone'] as const;

export function parseManifest(name: string, bytes: Uint8Array, problems: ParseProblem[]): BundleManifest | undefined {
  let data: unknown;
  try {
    data = JSON.parse(decodeString(bytes).text);
  } catch (e) {
    problems.push({ artifact: name, severity: 'error', reason: `manifest is not valid JSON (${(e as Error).message}); files are recognised by name and content instead` });
    return undefined;
  }
  if (!data || typeof data !== 'object' || !Array.isArray((data as { files?: unknown }).files)) {
    problems.push({ artifact: name, severity: 'error', reason: 'manifest has no "files" array; files are recognised by name and content instead' });
    return undefined;
  }
  const d = data as Record<string, unknown>;
  const files: ManifestEntry[] = [];
  const list = d['files'] as unknown[];
  for (let i = 0; i < list.length; i++) {
    const raw = list[i];
    if (!raw || typeof raw !== 'object' || typeof (raw as { file?: unknown }).file !== 'string') {
      problems.push({ artifact: name, severity: 'warning', reason: `files[${i}] has no "file" name; ignored` });
      continue;
    }
    const r = raw as Record<string, unknown>;
    const file = safeEntryName(String(r['file']));
    if (!file) {
      problems.push({ artifact: name, severity: 'error', reason: `files[${i}] names a path outside the bundle; ignored` });
      continue;
    }
    const e: ManifestEntry = { file };
    if (typeof r['kind'] === 'string') {
      if (KNOWN_KINDS.has(r['kind'])) e.kind = r['kind'] as ArtifactKind;
      else problems.push({ artifact: name, severity: 'warning', reason: `files[${i}] has unknown kind "${r['kind']}"; recognised by content instead` });
    }
    if (typeof r['command'] === 'string') e.command = r['command'];
    if (typeof r['exitCode'] === 'number') e.exitCode = r['exitCode'];
    if (typeof r['error'] === 'string' && r['error'] !== '') e.error = r['error'];
    for (const k of ENTRY_TEXT_FIELDS) if (typeof r[k] === 'string') e[k] = r[k] as string;
    files.push(e);
  }
  const m: BundleManifest = { files };
  if (typeof d['schema'] === 'string') m.schema = d['schema'];
  if (typeof d['host'] === 'string') m.host = d['host'];
  if (typeof d['collectedAt'] === 'string') m.collectedAt = d['collectedAt'];
  return m;
}

/** Read the command line's inputs: one folder, one .zip, or any number of loose files (which may
 *  include a manifest.json). Throws E_INPUT only when an input path itself cannot be opened. */
export function readInputs(paths: string[]): RawBundle {
  if (paths.length === 0) throw new PortcullisError('E_USAGE', 'no bundle or artifact files given');
  const all: RawBundle = { files: [], problems: [] };
  const loose: BundleFile[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new PortcullisError('E_INPUT', `cannot open ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: p });
    }
    if (st.isDirectory()) {
      const b = readFolder(p);
      all.files.push(...b.files);
      all.problems.push(...b.problems);
      if (b.manifest) all.manifest = b.manifest;
      continue;
    }
    if (st.size > BUNDLE_LIMITS.totalBytes) throw new PortcullisError('E_INPUT', `${p} is ${st.size} bytes, over the ${BUNDLE_LIMITS.totalBytes}-byte limit`, { file: p });
    const bytes = readFileSync(p);
    if (/\.zip$/i.test(p) || (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)) {
      const b = readZip(basename(p), bytes);
      all.files.push(...b.files);
      all.problems.push(...b.problems);
      if (b.manifest) all.manifest = b.manifest;
      continue;
    }
    loose.push({ name: basename(p), bytes });
  }
  if (loose.length > 0) {
    const b = withManifest({ files: loose, problems: [] });
    all.files.push(...b.files);
    all.problems.push(...b.problems);
    if (b.manifest) all.manifest = b.manifest;
  }
  return all;
}

// ---------------------------------------------------------------------------------------------
// Recognising files

const NAME_RULES: [RegExp, ArtifactKind][] = [
  [/\.reg$/i, 'reg-export'],
  [/(^|\/)registry\.pol$|\.pol$/i, 'registry-pol'],
  [/\.inf$/i, 'secedit-inf'],
  [/(^|\/)applicationhost\.config$/i, 'iis-applicationhost'],
  [/(^|\/)web\.config$|_web\.config$/i, 'iis-webconfig'],
  [/(^|\/)metabase\.xml$/i, 'iis6-metabase'],
];

/** Decide what a file is from its bytes (used when neither manifest nor a telling name decides). */
export function sniffContent(bytes: Uint8Array): ArtifactKind | undefined {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x52 && bytes[2] === 0x65 && bytes[3] === 0x67) return 'registry-pol';
  const head = decodeString(bytes.subarray(0, 16 * 1024)).text;
  const t = head.replace(/^\s+/, '');
  if (/^(Windows Registry Editor Version 5\.00|REGEDIT4)/.test(t)) return 'reg-export';
  if (/^\[(Unicode|System Access|Privilege Rights|Version|Registry Values|Event Audit)\]/im.test(t)) return 'secedit-inf';
  if (/XML_Metabase|<MBProperty>/.test(head)) return 'iis6-metabase';
  if (/<configuration[\s>]/.test(head)) return /<system\.applicationHost[\s>]/.test(head) || /applicationHostConfig/i.test(head) ? 'iis-applicationhost' : /^</.test(t) ? 'iis-webconfig' : undefined;
  if (/^#(Software|Version|Fields):/m.test(t)) return 'iis-log';
  if (/^\s*[[{]/.test(t)) {
    if (/"HotFixID"/.test(head)) return 'hotfix-json';
    if (/"AntivirusSignatureAge"|"AMServiceEnabled"|"RealTimeProtectionEnabled"/.test(head)) return 'defender-json';
    if (/"ComponentID"|"TcpipNetbiosOptions"/.test(head)) return 'adapters-json';
    if (/"ZoneName"|"EnableVersionQuery"|"SecureResponse"|"ListeningIPAddress"|"RootHints"|"NameServer"/.test(head)) return 'dns-cmdlet';
    if (/"StartType"|"StartMode"|"ServiceName"|"DependentServices"/.test(head)) return 'services-json';
    return undefined;
  }
  if (/^\s*PS [^>\n]*>\s*Get-DnsServer/im.test(head)) return 'dns-cmdlet';
  if (/^SERVICE_NAME:/m.test(head)) return 'services-sc';
  if (/\{0CCE9[0-9A-F]{3}-69AE-11D9-BED3-505054503030\}/i.test(head)) return 'auditpol-csv';
  if (/^\s*(TCP|UDP)\s+(\[[0-9a-f:%.]+\]|[0-9.*]+):\d+\s/im.test(head)) return 'netstat';
  if (/HotFixID/i.test(head.split(/\r?\n/).find((l) => l.trim() !== '') ?? '')) return 'hotfix-wmic';
  if (/Description/i.test(head) && /TcpipNetbiosOptions/i.test(head)) return 'adapters-nicconfig';
  if (/Zone name\s+Type\s+Storage/i.test(head)) return 'dnscmd-enumzones';
  if (/^\s*zone name\s*=|^Zone info:/im.test(head)) return 'dnscmd-zoneinfo';
  if (/^(Query result:|Server info)|^\s*(fNoRecursion|dwRpcProtocol|fBootMethod)\s*=/im.test(head)) return 'dnscmd-info';
  if (/BlockInbound|AllowInbound|BlockInboundAlways/.test(head) && /^-{20,}/m.test(head)) return 'firewall-netsh';
  // systeminfo: a version line `label:   6.3.9600 …` and `[01]:` entries, in any language.
  if (/^\s+\[\d+\]:/m.test(head) && /^[^\r\n:]+:[ \t]+\d+\.\d+\.\d{3,5}\b/m.test(head)) return 'systeminfo';
  if (/:(?:\((?:I|OI|CI|IO|NP|DENY)\))*\((?:F|M|RX|R|W|D|N|[A-Z]{1,4}(?:,[A-Z]{1,4})+)\)[ \t]*$/m.test(head)) return 'icacls';
  if (/^DNS Server Settings|^\S[^\n]*\s:\s[^\n]*$/m.test(head) && /(EnableVersionQuery|ListeningIPAddress|SecureResponse|ZoneName)\s*:/.test(head)) return 'dns-cmdlet';
  const lines = head.split(/\r?\n/);
  const dash = lines.findIndex((l) => /^-{20,}\s*$/.test(l));
  if (dash >= 0) {
    const before = lines.slice(0, dash).join('\n');
    const after = lines.slice(dash + 1).filter((l) => l.trim() !== '');
    if (/\\\\\S+/.test(before)) return after.some((l) => l.startsWith('*')) ? 'net-localgroup-list' : 'net-user-list';
    return 'net-localgroup';
  }
  if (/^\S.*\s{2,}\*\S/m.test(head) && /^\S.*\s{2,}\S/.test(lines[0] ?? '')) return 'net-user';
  return undefined;
}

export function recogniseFile(file: BundleFile, entry: ManifestEntry | undefined): { kind: ArtifactKind | 'unknown'; by: ArtifactRecord['recognisedBy'] } {
  if (entry?.kind) return { kind: entry.kind, by: 'manifest' };
  for (const [re, kind] of NAME_RULES) {
    if (!re.test(file.name)) continue;
    // A .config named after web.config can still be an applicationHost (and vice versa): let the
    // content decide between the two.
    if (kind === 'iis-webconfig' || kind === 'iis-applicationhost') {
      const c = sniffContent(file.bytes);
      return { kind: c === 'iis-applicationhost' || c === 'iis-webconfig' ? c : kind, by: 'name' };
    }
    return { kind, by: 'name' };
  }
  const c = sniffContent(file.bytes);
  return c ? { kind: c, by: 'content' } : { kind: 'unknown', by: 'none' };
}

// ---------------------------------------------------------------------------------------------
// Building HostState

const SECEDIT_REG_TYPES: Record<number, RegistryData['type']> = { 1: 'REG_SZ', 2: 'REG_EXPAND_SZ', 3: 'REG_BINARY', 4: 'REG_DWORD', 7: 'REG_MULTI_SZ' };

function registryFromSecedit(state: HostState, reg: RegistryState): void {
  const sp = state.securityPolicy;
  if (!sp) return;
  for (const e of Object.values(sp.registryValues)) {
    const full = canonicalKeyPath(e.name);
    const cut = full.lastIndexOf('\\');
    if (cut < 0) continue;
    const keyPath = full.slice(0, cut);
    const name = full.slice(cut + 1);
    const type = SECEDIT_REG_TYPES[e.value.type] ?? 'REG_UNKNOWN';
    const v = e.value.value;
    let data: RegistryData;
    if (type === 'REG_DWORD') data = { type, value: typeof v === 'number' ? v : Number(v) };
    else if (type === 'REG_MULTI_SZ') data = { type, value: Array.isArray(v) ? v.map(String) : [String(v)] };
    else if (type === 'REG_SZ' || type === 'REG_EXPAND_SZ') data = { type, value: String(v) };
    else data = { type: type === 'REG_BINARY' ? 'REG_BINARY' : 'REG_UNKNOWN', value: Array.isArray(v) ? v.map(Number) : [] };
    const id = keyPath.toLowerCase();
    let key = ownValue(reg.keys, id);
    if (!key) setOwn(reg.keys, id, (key = { path: keyPath, values: {}, sources: [] }));
    if (!key.sources.some((src) => src.artifact === e.source.artifact)) key.sources.push(e.source);
    const entry = { name, data, layer: 'policy' as const, source: e.source };
    const list = ownValue(key.values, name.toLowerCase());
    if (list) list.push(entry);
    else setOwn(key.values, name.toLowerCase(), [entry]);
  }
}

const DNS_PARAMETERS_KEY = 'hklm\\system\\currentcontrolset\\services\\dns\\parameters';
const DNS_ZONES_KEY = 'hklm\\software\\microsoft\\windows nt\\currentversion\\dns server\\zones\\';

/** The DNS server keeps its settings and file-backed zones in the registry too; fold what the
 *  cmdlets and dnscmd did not already say into the DNS slice (their output wins). */
function dnsFromRegistry(reg: RegistryState, dns: ReturnType<typeof emptyDns>): boolean {
  let found = false;
  const scalar = (d: RegistryData | { type: 'deleted' }): string | undefined =>
    d.type === 'deleted' ? undefined : Array.isArray(d.value) ? d.value.join(' ') : String(d.value);
  const params = ownValue(reg.keys, DNS_PARAMETERS_KEY);
  for (const list of Object.values(params?.values ?? {})) {
    const e = list[list.length - 1]!;
    const v = scalar(e.data);
    if (v === undefined || ownValue(dns.settings, e.name.toLowerCase())) continue;
    setOwn(dns.settings, e.name.toLowerCase(), { name: e.name, value: v, source: e.source });
    found = true;
  }
  for (const [id, key] of Object.entries(reg.keys)) {
    if (!id.startsWith(DNS_ZONES_KEY) || id.slice(DNS_ZONES_KEY.length).includes('\\')) continue;
    const name = key.path.slice(key.path.lastIndexOf('\\') + 1);
    let zone = ownValue(dns.zones, name.toLowerCase());
    if (!zone) setOwn(dns.zones, name.toLowerCase(), (zone = { name, source: key.sources[0]! }));
    const num = (n: string): { value: number; source: Provenance } | undefined => {
      const list = ownValue(key.values, n.toLowerCase());
      const e = list?.[list.length - 1];
      return e && e.data.type === 'REG_DWORD' ? { value: e.data.value, source: e.source } : undefined;
    };
    const ss = num('SecureSecondaries');
    if (ss && !zone.secureSecondaries) zone.secureSecondaries = ss;
    const au = num('AllowUpdate');
    if (au && !zone.allowUpdate) zone.allowUpdate = au;
    const ds = num('DsIntegrated');
    if (ds && !zone.dsIntegrated) zone.dsIntegrated = { value: ds.value !== 0, source: ds.source };
    found = true;
  }
  if (found) normaliseDns(dns);
  return found;
}

/** `Object.assign` for records keyed by names from a file: a "__proto__" entry is copied as an
 *  entry, not through the prototype setter. */
function assignOwn<T>(into: Record<string, T>, from: Record<string, T>): void {
  for (const k of Object.keys(from)) setOwn(into, k, from[k]!);
}

/** Parse every file of a bundle into one HostState. Never throws for bad content. */
export function buildHostState(bundle: RawBundle): HostState {
  const state = emptyHostState();
  state.problems.push(...bundle.problems);
  const manifest = bundle.manifest;
  const byName = new Map<string, ManifestEntry>();
  for (const e of manifest?.files ?? []) byName.set(e.file.toLowerCase(), e);
  if (manifest?.host) state.host.name = { value: manifest.host, source: { artifact: MANIFEST_NAME } };
  if (manifest?.collectedAt) state.host.collectedAt = { value: manifest.collectedAt, source: { artifact: MANIFEST_NAME } };

  const registry = emptyRegistry();
  let sawRegistry = false;
  const accounts = emptyAccounts();
  let sawAccounts = false;
  const iis = emptyIis();
  let sawIis = false;
  const dns = emptyDns();
  let sawDns = false;

  const present = new Set<string>();
  for (const file of bundle.files) {
    const lower = file.name.toLowerCase();
    present.add(lower);
    const entry = byName.get(lower);
    const { kind, by } = recogniseFile(file, entry);
    const rec: ArtifactRecord = { file: file.name, kind, recognisedBy: by, bytes: file.bytes.length };
    if (entry?.command) rec.command = entry.command;
    if (entry?.exitCode !== undefined) rec.exitCode = entry.exitCode;
    if (entry?.error) rec.error = entry.error;
    if (entry?.site) rec.site = entry.site;
    if (entry?.virtualPath) rec.virtualPath = entry.virtualPath;
    if (kind !== 'registry-pol') rec.encoding = sniffEncoding(file.bytes);
    state.artifacts.push(rec);
    const name = file.name;
    const problems: ParseProblem[] = [];
    if (kind === 'unknown') {
      state.problems.push({ artifact: name, severity: 'warning', reason: 'not recognised as any supported artifact; ignored' });
      continue;
    }
    if (file.bytes.length === 0) {
      state.problems.push({ artifact: name, severity: entry?.error ? 'warning' : 'error', reason: `empty file${entry?.error ? ` (the command failed: ${entry.error})` : ''}` });
      continue;
    }
    try {
      switch (kind) {
        case 'reg-export': {
          const r = parseRegFile(name, file.bytes);
          problems.push(...r.problems);
          if (entry?.key) r.slice.exportedRoots.push({ value: canonicalKeyPath(entry.key), source: { artifact: name } });
          mergeRegistry(registry, r.slice);
          sawRegistry ||= Object.keys(r.slice.keys).length > 0;
          break;
        }
        case 'registry-pol': {
          const r = parseRegistryPol(name, file.bytes);
          problems.push(...r.problems);
          mergeRegistry(registry, r.slice);
          sawRegistry ||= Object.keys(r.slice.keys).length > 0;
          break;
        }
        case 'secedit-inf': {
          const r = parseSecedit(name, file.bytes);
          problems.push(...r.problems);
          const sp = (state.securityPolicy ??= r.slice);
          if (sp !== r.slice) {
            assignOwn(sp.systemAccess, r.slice.systemAccess);
            assignOwn(sp.eventAudit, r.slice.eventAudit);
            assignOwn(sp.privilegeRights, r.slice.privilegeRights);
            assignOwn(sp.registryValues, r.slice.registryValues);
            assignOwn(sp.services, r.slice.services);
            assignOwn(sp.otherSections, r.slice.otherSections);
          }
          break;
        }
        case 'iis-applicationhost':
        case 'iis-webconfig': {
          const opts = { kind: kind === 'iis-applicationhost' ? ('applicationHost' as const) : ('web.config' as const), ...(entry?.site ? { site: entry.site } : {}), ...(entry?.virtualPath ? { virtualPath: entry.virtualPath } : {}) };
          const r = parseIisConfig(name, file.bytes, opts);
          problems.push(...r.problems);
          mergeIis(iis, r.slice, problems);
          sawIis ||= !!r.slice.applicationHost || r.slice.webConfigs.length > 0;
          break;
        }
        case 'iis6-metabase': {
          const r = parseMetabase(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.keys).length > 0) state.iis6 = { keys: { ...(state.iis6?.keys ?? {}), ...r.slice.keys } };
          break;
        }
        case 'iis-log': {
          const r = parseW3cLog(name, file.bytes);
          problems.push(...r.problems);
          (state.iisLogs ??= { files: [] }).files.push(...r.slice.files);
          break;
        }
        case 'netstat': {
          const r = parseNetstat(name, file.bytes);
          problems.push(...r.problems);
          if (r.slice.listeners.length > 0 || r.slice.connections > 0) {
            // The collector saves both -anob (needs elevation) and -ano: the capture with owners
            // wins quietly; two captures of the same kind are a real ambiguity worth a warning.
            const prev = state.listeners;
            if (!prev || (r.slice.withOwners && !prev.withOwners)) state.listeners = r.slice;
            else if (prev.withOwners === r.slice.withOwners) problems.push({ artifact: name, severity: 'warning', reason: `a second netstat capture; ${prev.listeners[0]?.source.artifact ?? 'the first'} is used` });
          }
          break;
        }
        case 'systeminfo': {
          const r = parseSysteminfo(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.system).length > 0) {
            state.system = { ...(state.system ?? {}), ...r.slice.system };
            if (r.slice.hotfixes.hotfixes.length > 0 && !state.hotfixes) state.hotfixes = r.slice.hotfixes;
          }
          break;
        }
        case 'hotfix-wmic':
        case 'hotfix-json': {
          const r = kind === 'hotfix-wmic' ? parseWmicQfe(name, file.bytes) : parseHotfixJson(name, file.bytes);
          problems.push(...r.problems);
          // wmic/Get-HotFix carry install dates; they replace systeminfo's bare list.
          if (r.slice.hotfixes.length > 0) state.hotfixes = r.slice;
          break;
        }
        case 'net-user-list':
        case 'net-localgroup-list':
        case 'net-user':
        case 'net-localgroup': {
          const r =
            kind === 'net-user-list' ? parseNetList(name, file.bytes, 'users') : kind === 'net-localgroup-list' ? parseNetList(name, file.bytes, 'groups') : kind === 'net-user' ? parseNetUser(name, file.bytes) : parseNetLocalgroup(name, file.bytes);
          problems.push(...r.problems);
          mergeAccounts(accounts, r.slice);
          sawAccounts ||= Object.keys(r.slice.users).length + Object.keys(r.slice.groups).length > 0;
          break;
        }
        case 'auditpol-csv': {
          const r = parseAuditpol(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.subcategories).length > 0) state.auditPolicy = r.slice;
          break;
        }
        case 'dnscmd-info':
        case 'dnscmd-enumzones':
        case 'dnscmd-zoneinfo':
        case 'dns-cmdlet': {
          const r =
            kind === 'dnscmd-info' ? parseDnscmdInfo(name, file.bytes) : kind === 'dnscmd-enumzones' ? parseDnscmdEnumZones(name, file.bytes) : kind === 'dnscmd-zoneinfo' ? parseDnscmdZoneInfo(name, file.bytes, entry?.zone) : parseDnsCmdlet(name, file.bytes);
          problems.push(...r.problems);
          mergeDns(dns, r.slice);
          sawDns ||= Object.keys(r.slice.settings).length + Object.keys(r.slice.zones).length > 0 || r.slice.zoneListComplete;
          break;
        }
        case 'services-sc':
        case 'services-json': {
          const r = kind === 'services-sc' ? parseScQuery(name, file.bytes) : parseServicesJson(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.services).length > 0) {
            // The parser's map and entries are fresh and referenced nowhere else, so the first
            // file's are kept as they are; copying them showed in bulk-audit profiles.
            const prev = state.services?.services;
            if (!prev) state.services = { services: r.slice.services };
            else {
              const merged = { ...prev };
              for (const [k, s] of Object.entries(r.slice.services)) {
                const p = ownValue(prev, k);
                setOwn(merged, k, p ? { ...p, ...s } : s);
              }
              state.services = { services: merged };
            }
          }
          break;
        }
        case 'icacls': {
          const r = parseIcacls(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.paths).length > 0) state.acls = { paths: { ...(state.acls?.paths ?? {}), ...r.slice.paths } };
          break;
        }
        case 'firewall-netsh': {
          const r = parseNetshFirewall(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.profiles).length > 0) state.firewall = r.slice;
          break;
        }
        case 'adapters-nicconfig':
        case 'adapters-json': {
          const r = kind === 'adapters-nicconfig' ? parseNicconfig(name, file.bytes) : parseAdaptersJson(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.adapters).length > 0) {
            const prev = state.adapters?.adapters ?? {};
            const merged = { ...prev };
            for (const [k, a] of Object.entries(r.slice.adapters)) {
              const p = ownValue(prev, k);
              setOwn(merged, k, p ? { ...p, ...a, bindings: { ...(p.bindings ?? {}), ...(a.bindings ?? {}) } } : a);
            }
            state.adapters = { adapters: merged };
          }
          break;
        }
        case 'defender-json': {
          const r = parseDefenderJson(name, file.bytes);
          problems.push(...r.problems);
          if (Object.keys(r.slice.properties).length > 0) state.antivirus = r.slice;
          break;
        }
      }
    } catch (e) {
      // A parser bug must not take the whole audit down: report it against the file.
      problems.push({ artifact: name, severity: 'error', reason: `internal parser error: ${(e as Error).message}` });
    }
    if (entry?.exitCode !== undefined && entry.exitCode !== 0) {
      problems.push({ artifact: name, severity: 'warning', reason: `the command exited with ${entry.exitCode}${entry.error ? `: ${entry.error}` : ''}` });
    }
    state.problems.push(...problems);
  }

  // Manifest entries whose file is absent: the command failed on the host. A failed `reg export`
  // of a key means the key does not exist there, which is itself a fact.
  for (const e of manifest?.files ?? []) {
    if (present.has(e.file.toLowerCase())) continue;
    const rec: ArtifactRecord = { file: e.file, kind: e.kind ?? 'unknown', recognisedBy: 'manifest', bytes: 0 };
    if (e.command) rec.command = e.command;
    if (e.exitCode !== undefined) rec.exitCode = e.exitCode;
    if (e.error) rec.error = e.error;
    state.artifacts.push(rec);
    if (e.kind === 'reg-export' && e.key && /unable to find|cannot find|не удается найти|nicht finden|introuvable/i.test(e.error ?? '')) {
      registry.missingRoots.push({ value: canonicalKeyPath(e.key), source: { artifact: MANIFEST_NAME, xpath: `files[@file='${e.file}']` } });
      sawRegistry = true;
    } else {
      state.problems.push({ artifact: e.file, severity: 'warning', reason: `listed in the manifest but not in the bundle${e.error ? ` (the command failed: ${e.error})` : ''}` });
    }
  }

  if (state.securityPolicy) {
    registryFromSecedit(state, registry);
    sawRegistry ||= Object.keys(state.securityPolicy.registryValues).length > 0;
  }
  sawDns = dnsFromRegistry(registry, dns) || sawDns;
  if (sawRegistry) state.registry = registry;
  if (sawAccounts) state.accounts = accounts;
  if (sawIis) state.iis = iis;
  if (sawDns) state.dns = dns;
  if (!state.host.name) {
    const n = state.system?.hostName ?? state.accounts?.computer;
    if (n) state.host.name = n;
  }
  return state;
}

/** Read the inputs and build the HostState in one step (what `portcullis audit` calls). */
export function loadHostState(paths: string[]): HostState {
  return buildHostState(readInputs(paths));
}

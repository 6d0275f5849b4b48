// The inventory: which hosts are managed, which roles they play, which ports each role may expose
// (PRODUCT.md §Inventory and policy). Loaded from YAML and validated completely before any judgement,
// so a typo in a role name cannot turn every host into a stream of false findings. Every problem is
// reported with file, line and column, all of them at once (fixing one at a time is tedious).
//
// Shape:
//   domains: [corp.example]                 # optional: DNS zones the organisation owns
//   roles:
//     web: { tcp: [80, 443], udp: [], description: "IIS front end" }
//   hosts:
//     - name: web01
//       address: 192.0.2.10                 # or addresses: [192.0.2.10, 2001:db8::10]
//       names: [web01.corp.example]         # optional DNS names
//       roles: [web]
//       description: "..."                  # optional
//
// Hosts must carry their addresses: the verdict "rogue or managed" must not depend on what DNS
// happens to answer during the scan. Names serve to match targets the user gave by name.
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument, isAlias, isMap, isScalar, isSeq, type Document, type Node, type Pair } from 'yaml';
import { PortcullisError } from '../core/errors.js';
import type { InventoryMatch, Protocol } from '../core/result.js';
import { canonicalAddress, normalizeName, parseHostName, parseIp } from './address.js';
import { mergePortRanges, parsePortItem, portInRanges, type PortRange } from './ports.js';

export interface InventoryRole {
  name: string;
  tcp: PortRange[];
  udp: PortRange[];
  description?: string;
  /** Line of the role's key in the inventory file. */
  line: number;
}

export interface InventoryHost {
  name: string;
  /** Canonical address text (RFC 5952 for IPv6). */
  addresses: string[];
  names: string[];
  roles: string[];
  description?: string;
  /** Line of the host entry in the inventory file. */
  line: number;
}

const MAX_INVENTORY_BYTES = 16 * 1024 * 1024;
const MAX_PROBLEMS_SHOWN = 20;

export class Inventory {
  private readonly byAddress = new Map<string, InventoryHost>();
  private readonly byName = new Map<string, InventoryHost>();
  private readonly normalizedDomains: string[];

  constructor(
    /** The file it was read from (for messages and evidence provenance). */
    readonly file: string,
    readonly domains: readonly string[],
    readonly roles: ReadonlyMap<string, InventoryRole>,
    readonly hosts: readonly InventoryHost[],
  ) {
    for (const h of hosts) {
      for (const a of h.addresses) this.byAddress.set(a, h);
      for (const n of [h.name, ...h.names]) this.byName.set(normalizeName(n), h);
    }
    this.normalizedDomains = domains.map(normalizeName);
  }

  /**
   * The inventory host a scanned target belongs to: by address first, then by any of the names the
   * target was given as. With `domains`, a short name and its fully qualified form in one of those
   * zones are the same host (`web01` ↔ `web01.corp.example`). `null` when nothing matches.
   */
  findHost(address: string, names: readonly string[] = []): InventoryHost | null {
    const canonical = canonicalAddress(address);
    if (canonical !== null) {
      const hit = this.byAddress.get(canonical);
      if (hit) return hit;
    }
    for (const raw of names) {
      const n = normalizeName(raw);
      const direct = this.byName.get(n);
      if (direct) return direct;
      for (const d of this.normalizedDomains) {
        if (!n.includes('.')) {
          const full = this.byName.get(`${n}.${d}`);
          if (full) return full;
        } else if (n.endsWith(`.${d}`)) {
          const short = n.slice(0, -(d.length + 1));
          if (!short.includes('.')) {
            const hit = this.byName.get(short);
            if (hit) return hit;
          }
        }
      }
    }
    return null;
  }

  /** The roles of `host` that approve `port/protocol` (empty: nothing approves it). */
  approvingRoles(host: InventoryHost, port: number, protocol: Protocol): InventoryRole[] {
    const out: InventoryRole[] = [];
    for (const r of host.roles) {
      const role = this.roles.get(r);
      if (role && portInRanges(protocol === 'tcp' ? role.tcp : role.udp, port)) out.push(role);
    }
    return out;
  }

  /** Every port any role of `host` approves for `protocol`, merged. */
  approvedPorts(host: InventoryHost, protocol: Protocol): PortRange[] {
    const all: PortRange[] = [];
    for (const r of host.roles) {
      const role = this.roles.get(r);
      if (role) all.push(...(protocol === 'tcp' ? role.tcp : role.udp));
    }
    return mergePortRanges(all);
  }
}

/** The shape the result document records for a matched host. */
export function inventoryMatch(host: InventoryHost): InventoryMatch {
  return { name: host.name, roles: [...host.roles] };
}

export function formatPortRanges(ranges: readonly PortRange[]): string {
  return ranges.map((r) => (r.first === r.last ? String(r.first) : `${r.first}-${r.last}`)).join(',');
}

interface Problem {
  line: number;
  column: number;
  message: string;
}

/** Edit distance counting a swap of two neighbouring letters as one edit (the commonest typo). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number): number => (d[i] as number[])[j] as number;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}

function suggestion(word: string, choices: Iterable<string>): string {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of choices) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best !== undefined && bestD <= Math.max(1, Math.floor(word.length / 3)) ? ` (did you mean '${best}'?)` : '';
}

const YAML_ERROR_WORDS: Record<string, string> = {
  DUPLICATE_KEY: 'the same key appears twice in one mapping',
  MULTIPLE_DOCS: "the file holds more than one YAML document ('---'); an inventory is one document",
  TAB_AS_INDENT: 'a tab is used for indentation; YAML indents with spaces',
};

class Validator {
  readonly problems: Problem[] = [];
  constructor(
    private readonly lc: LineCounter,
    private readonly doc: Document,
  ) {}

  pos(node: Node | Pair | null | undefined, fallback?: Node | Pair | null): { line: number; column: number } {
    const n = (node && 'range' in node ? node : node && 'key' in node ? (node.key as Node | null) : null) ?? null;
    const range = (n as { range?: [number, number, number] | null } | null)?.range;
    if (range) {
      const p = this.lc.linePos(range[0]);
      return { line: p.line, column: p.col };
    }
    if (fallback) return this.pos(fallback);
    return { line: 1, column: 1 };
  }

  add(node: Node | Pair | null | undefined, message: string, fallback?: Node | Pair | null): void {
    this.problems.push({ ...this.pos(node, fallback), message });
  }

  /** Follows an alias (`*name`) to its anchored node, reporting aliases that point nowhere. */
  deref(node: unknown, context: Node | Pair | null): Node | null {
    if (node === null || node === undefined) return null;
    if (isAlias(node)) {
      const target = node.resolve(this.doc);
      if (!target) {
        this.add(node, `alias *${node.source} refers to no anchor`, context);
        return null;
      }
      return target as Node;
    }
    return node as Node;
  }

  /** Key/value pairs of a mapping, with unknown keys reported against the allowed set. */
  entries(map: Node, what: string, allowed: readonly string[]): Map<string, { pair: Pair; value: Node | null }> {
    const out = new Map<string, { pair: Pair; value: Node | null }>();
    if (!isMap(map)) return out;
    for (const pair of map.items) {
      const key = this.deref(pair.key, pair);
      if (!isScalar(key) || typeof key.value !== 'string') {
        this.add(key ?? pair, `${what} has a key that is not a plain word`, pair);
        continue;
      }
      const k = key.value;
      if (!allowed.includes(k)) {
        this.add(key, `unknown key '${k}' in ${what}${suggestion(k, allowed)}; allowed keys: ${allowed.join(', ')}`);
        continue;
      }
      const value = this.deref(pair.value, pair);
      // A dangling alias was already reported; judging its (missing) value would only add noise.
      if (value === null && isAlias(pair.value)) continue;
      out.set(k, { pair, value });
    }
    return out;
  }

  string(node: Node | null, at: Pair, what: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value.trim();
    if (isScalar(node) && typeof node.value === 'number') return String(node.value);
    this.add(node, `${what} must be a non-empty text value`, at);
    return undefined;
  }

  list(node: Node | null, at: Pair, what: string, example: string): Node[] | undefined {
    if (isSeq(node)) return node.items.map((n) => this.deref(n, at)).filter((n): n is Node => n !== null);
    this.add(node, `${what} must be a list, e.g. ${example}`, at);
    return undefined;
  }

  ports(node: Node | null, at: Pair, what: string): PortRange[] {
    const items = this.list(node, at, what, '[80, 443, "49152-65535"]');
    if (!items) return [];
    const out: PortRange[] = [];
    for (const item of items) {
      if (!isScalar(item) || (typeof item.value !== 'number' && typeof item.value !== 'string')) {
        this.add(item, `${what}: each entry must be a port number or a range like "1000-2000"`, at);
        continue;
      }
      // Judge the text as written: YAML would read 0x50 or 80.0 as the number 80.
      const source = typeof item.value === 'number' ? (item.source ?? String(item.value)) : item.value;
      if (typeof item.value === 'number' && !/^\d+$/.test(String(source).trim())) {
        this.add(item, `${what}: '${String(source)}' is not a whole port number`, at);
        continue;
      }
      const r = parsePortItem(String(source));
      if (!r.ok) this.add(item, `${what}: ${r.why}`, at);
      else out.push(r.value);
    }
    return mergePortRanges(out);
  }
}

/** Parses and validates inventory text. Throws PortcullisError E_INVENTORY listing every problem with its position. */
export function parseInventory(text: string, file: string): Inventory {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  const v = new Validator(lc, doc);

  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const p = lc.linePos(e.pos[0]);
      const words = YAML_ERROR_WORDS[e.code];
      v.problems.push({ line: p.line, column: p.col, message: `YAML syntax error: ${words ?? e.message}` });
    }
    throw problemsError(file, v.problems);
  }

  const root = v.deref(doc.contents, null);
  if (root === null || (isScalar(root) && root.value === null)) {
    throw new PortcullisError('E_INVENTORY', `inventory ${file} is empty; it needs at least a 'hosts:' list`, { file, line: 1 });
  }
  if (!isMap(root)) {
    v.add(root, "the inventory must be a mapping with the keys 'roles', 'hosts' and optionally 'domains'");
    throw problemsError(file, v.problems);
  }

  const top = v.entries(root, 'the inventory', ['domains', 'roles', 'hosts']);

  const domains: string[] = [];
  const domainsEntry = top.get('domains');
  if (domainsEntry) {
    for (const item of v.list(domainsEntry.value, domainsEntry.pair, 'domains', '[corp.example]') ?? []) {
      const s = v.string(item, domainsEntry.pair, 'a domain');
      if (s === undefined) continue;
      const r = parseHostName(s);
      if (!r.ok) v.add(item, `domain '${s}' is not a DNS name: ${r.why}`);
      else domains.push(normalizeName(s));
    }
  }

  const roles = new Map<string, InventoryRole>();
  const rolesEntry = top.get('roles');
  if (rolesEntry) {
    const rolesNode = rolesEntry.value;
    if (!isMap(rolesNode)) {
      if (!(isScalar(rolesNode) && rolesNode.value === null)) v.add(rolesNode, "'roles' must be a mapping of role names to { tcp: [...], udp: [...] }", rolesEntry.pair);
    } else {
      for (const pair of rolesNode.items) {
        const key = v.deref(pair.key, pair);
        if (!isScalar(key) || (typeof key.value !== 'string' && typeof key.value !== 'number') || String(key.value).trim() === '') {
          v.add(key ?? pair, 'a role name must be a non-empty word', pair);
          continue;
        }
        const name = String(key.value).trim();
        const body = v.deref(pair.value, pair);
        const line = v.pos(key).line;
        if (!isMap(body)) {
          v.add(body, `role '${name}' must be a mapping like { tcp: [80, 443], udp: [53] }`, pair);
          roles.set(name, { name, tcp: [], udp: [], line });
          continue;
        }
        const fields = v.entries(body, `role '${name}'`, ['tcp', 'udp', 'description']);
        const role: InventoryRole = { name, tcp: [], udp: [], line };
        const tcp = fields.get('tcp');
        if (tcp) role.tcp = v.ports(tcp.value, tcp.pair, `role '${name}' tcp`);
        const udp = fields.get('udp');
        if (udp) role.udp = v.ports(udp.value, udp.pair, `role '${name}' udp`);
        const desc = fields.get('description');
        if (desc) {
          const s = v.string(desc.value, desc.pair, `description of role '${name}'`);
          if (s !== undefined) role.description = s;
        }
        roles.set(name, role);
      }
    }
  }

  const hosts: InventoryHost[] = [];
  const hostsEntry = top.get('hosts');
  if (!hostsEntry) {
    v.add(root, "the inventory has no 'hosts:' list");
  } else {
    const items = v.list(hostsEntry.value, hostsEntry.pair, "'hosts'", '- { name: web01, address: 192.0.2.10, roles: [web] }') ?? [];
    const nameOwner = new Map<string, InventoryHost>();
    const addressOwner = new Map<string, InventoryHost>();
    for (const item of items) {
      if (!isMap(item)) {
        v.add(item, 'each host must be a mapping with name, address (or addresses) and roles', hostsEntry.pair);
        continue;
      }
      const line = v.pos(item).line;
      const fields = v.entries(item, 'a host', ['name', 'address', 'addresses', 'names', 'roles', 'description']);
      const nameField = fields.get('name');
      const name = nameField ? v.string(nameField.value, nameField.pair, 'host name') : undefined;
      if (!nameField) v.add(item, "a host has no 'name'");
      const label = name !== undefined ? `host '${name}'` : `the host on line ${line}`;
      const host: InventoryHost = { name: name ?? '', addresses: [], names: [], roles: [], line };

      if (name !== undefined && nameField) {
        const prior = nameOwner.get(normalizeName(name));
        if (prior) v.add(nameField.value, `host name '${name}' is already used by the host on line ${prior.line}`, nameField.pair);
        else nameOwner.set(normalizeName(name), host);
      }

      const addAddress = (node: Node | null, at: Pair): void => {
        const text = v.string(node, at, `address of ${label}`);
        if (text === undefined) return;
        const r = parseIp(text);
        if (!r.ok) {
          const hint = /\/|-/.test(text) ? ' (an inventory host lists single addresses, not blocks or ranges)' : '';
          v.add(node, `address '${text}' of ${label} is not an IP address: ${r.why}${hint}`, at);
          return;
        }
        const canonical = canonicalAddress(text) as string;
        const owner = addressOwner.get(canonical);
        if (owner && owner !== host) {
          v.add(node, `address ${canonical} of ${label} is already given to host '${owner.name}' (line ${owner.line})`, at);
          return;
        }
        addressOwner.set(canonical, host);
        if (!host.addresses.includes(canonical)) host.addresses.push(canonical);
      };
      const single = fields.get('address');
      const many = fields.get('addresses');
      if (single && many) v.add(many.pair, `${label} has both 'address' and 'addresses'; use one of them`);
      if (single) addAddress(single.value, single.pair);
      if (many) {
        const list = v.list(many.value, many.pair, `addresses of ${label}`, '[192.0.2.10, 2001:db8::10]');
        if (list && list.length === 0) v.add(many.value, `addresses of ${label} is an empty list`, many.pair);
        for (const a of list ?? []) addAddress(a, many.pair);
      }
      if (!single && !many) v.add(item, `${label} has no address; give 'address:' or 'addresses:'`);

      const namesField = fields.get('names');
      if (namesField) {
        for (const n of v.list(namesField.value, namesField.pair, `names of ${label}`, '[web01.corp.example]') ?? []) {
          const s = v.string(n, namesField.pair, `a name of ${label}`);
          if (s === undefined) continue;
          const r = parseHostName(s);
          if (!r.ok) {
            v.add(n, `name '${s}' of ${label} is not a DNS name: ${r.why}`, namesField.pair);
            continue;
          }
          const prior = nameOwner.get(normalizeName(s));
          if (prior && prior !== host) {
            v.add(n, `name '${s}' of ${label} already belongs to host '${prior.name}' (line ${prior.line})`, namesField.pair);
            continue;
          }
          nameOwner.set(normalizeName(s), host);
          if (!host.names.includes(s)) host.names.push(s);
        }
      }

      const rolesField = fields.get('roles');
      if (!rolesField) {
        v.add(item, `${label} has no 'roles:' list; write roles: [] if it should offer no service at all`);
      } else {
        for (const r of v.list(rolesField.value, rolesField.pair, `roles of ${label}`, '[web, dns]') ?? []) {
          const s = v.string(r, rolesField.pair, `a role of ${label}`);
          if (s === undefined) continue;
          if (!roles.has(s)) {
            const known = [...roles.keys()];
            const hint = suggestion(s, known) || (known.length > 0 ? ` (defined roles: ${known.join(', ')})` : " (no roles are defined under 'roles:')");
            v.add(r, `${label} refers to role '${s}', which is not defined${hint}`, rolesField.pair);
            continue;
          }
          if (!host.roles.includes(s)) host.roles.push(s);
        }
      }

      const desc = fields.get('description');
      if (desc) {
        const s = v.string(desc.value, desc.pair, `description of ${label}`);
        if (s !== undefined) host.description = s;
      }
      hosts.push(host);
    }
  }

  if (v.problems.length > 0) throw problemsError(file, v.problems);
  return new Inventory(file, domains, roles, hosts);
}

function problemsError(file: string, problems: Problem[]): PortcullisError {
  const sorted = [...problems].sort((a, b) => a.line - b.line || a.column - b.column);
  const first = sorted[0] as Problem;
  let message = first.message;
  if (sorted.length > 1) {
    const rest = sorted.slice(1, MAX_PROBLEMS_SHOWN).map((p) => `\n  ${file}:${p.line}:${p.column}: ${p.message}`);
    message += rest.join('');
    if (sorted.length > MAX_PROBLEMS_SHOWN) message += `\n  … and ${sorted.length - MAX_PROBLEMS_SHOWN} more problems`;
  }
  return new PortcullisError('E_INVENTORY', message, { file, line: first.line, column: first.column });
}

function fsReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    EISDIR: 'it is a directory, not a file',
    ENOTDIR: 'a part of the path is not a directory',
  };
  if (err && typeof err.code === 'string') return `${reasons[err.code] ?? err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(e);
}

/**
 * Reads and validates an inventory file. UTF-8 (with or without BOM) and UTF-16LE with BOM (what
 * Windows PowerShell 5 writes with Out-File) are accepted.
 */
export async function loadInventory(file: string): Promise<Inventory> {
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    throw new PortcullisError('E_INVENTORY', `cannot read inventory ${file}: ${fsReason(e)}`, { file });
  }
  if (buf.length > MAX_INVENTORY_BYTES) {
    throw new PortcullisError('E_INVENTORY', `inventory ${file} is ${buf.length} bytes; more than ${MAX_INVENTORY_BYTES} is refused`, { file });
  }
  let text: string;
  if (buf[0] === 0xff && buf[1] === 0xfe) text = buf.subarray(2).toString('utf16le');
  else if (buf[0] === 0xfe && buf[1] === 0xff) {
    throw new PortcullisError('E_INVENTORY', `inventory ${file} is UTF-16 big-endian; save it as UTF-8`, { file });
  } else {
    text = buf.toString('utf8');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  }
  if (text.includes('\u0000')) {
    throw new PortcullisError('E_INVENTORY', `inventory ${file} contains NUL bytes; it is not a text file`, { file });
  }
  return parseInventory(text, file);
}

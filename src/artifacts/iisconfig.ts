// IIS 7+ configuration files: applicationHost.config and web.config. Read with our own strict
// XML reader (xml.ts), which never expands entities beyond the predefined five (a DOCTYPE is
// skipped with a warning), so a hostile config cannot make us read other files. Every element and
// attribute keeps its line and an XPath.
import { configAttr, configAttrSource, configAttrValue, lowerCase, configChildPath, configSource, configXPath } from '../host/effective.js';
import type { ConfigElement, ConfigFile, IisAppPool, IisApplication, IisBinding, IisSite, IisState, ParseProblem, ParseResult, Provenance, Sourced } from '../host/state.js';
import { decodeString } from './text.js';
import { parseXmlTree, xmlAttr, type XmlElement } from './xml.js';
import { setOwn } from '../core/records.js';

type RawElement = XmlElement;
export { parseXmlTree };

// Called for every element of a 100 KB applicationHost.config (thousands of mimeMap, handler and
// module entries), once per bundle: plain loops, no per-call closures, few concatenations. The
// reader's attribute pairs are kept as they are (see ConfigElement.attrs), and the provenance in
// pieces (artifact, line, `path`, the parent's XPath plus this element's step, shared by siblings
// of the same name): the XPath with its key predicate and the Provenance object are built by
// whoever cites the element (configSource), which most never are. Allocation for the sample
// bundle's config: 915 KB, then ~220 KB (attribute pairs), then ~90 KB (provenance in pieces).
function toConfigElement(artifact: string, el: RawElement, path: string, configSources: Sourced<string>[]): ConfigElement {
  const attrs = el.attrs;
  const out: ConfigElement = { name: el.name, attrs, children: NO_CHILDREN, artifact, line: el.line, path };
  for (let j = 0; j < attrs.length; j += 2) {
    if (attrs[j] === 'configSource') configSources.push({ value: attrs[j + 1]!, source: configAttrSource(out, 'configSource') });
  }
  const kids = el.children;
  if (kids.length > 0) {
    const xpath = configXPath(out);
    const children = new Array<ConfigElement>(kids.length);
    let stepName = '';
    let stepPath = '';
    for (let j = 0; j < kids.length; j++) {
      const kid = kids[j]!;
      if (kid.name !== stepName) {
        stepName = kid.name;
        stepPath = configChildPath(xpath, stepName);
      }
      children[j] = toConfigElement(artifact, kid, stepPath, configSources);
    }
    out.children = children;
  }
  return out;
}

/** Shared by every element without children (most of them): never mutated. */
const NO_CHILDREN: readonly ConfigElement[] = Object.freeze([]);

const SKIPPED_TOP = new Set(['configsections', 'configprotecteddata']);

/** Build a ConfigFile (sections split by `<location path>`) from a parsed tree. */
export function configFileFromTree(artifact: string, root: RawElement, kind: ConfigFile['kind']): ConfigFile {
  const file: ConfigFile = { artifact, kind, locations: {}, configSources: [] };
  const own = (file.locations[''] = { path: '', sections: {}, source: { artifact, line: root.line, xpath: '/configuration' } });
  for (const child of root.children) {
    const lname = child.name.toLowerCase();
    if (SKIPPED_TOP.has(lname)) continue;
    if (lname === 'location') {
      const path = (xmlAttr(child, 'path') ?? '').replace(/^\/+|\/+$/g, '');
      const id = path === '.' ? '' : path.toLowerCase();
      const xpath = `/configuration/location[@path='${xmlAttr(child, 'path') ?? ''}']`;
      // Two blocks for the same path with different inheritance must stay apart.
      const noInherit = /^false$/i.test(xmlAttr(child, 'inheritInChildApplications') ?? '');
      const slot = noInherit ? `${id}\u0000noinherit` : id;
      // `slot` comes from the file: an own-property check, so `__proto__` or `constructor` finds nothing inherited.
      let loc = Object.hasOwn(file.locations, slot) ? file.locations[slot]! : undefined;
      if (loc === undefined) setOwn(file.locations, slot, (loc = { path: path === '.' ? '' : path, sections: {}, source: { artifact, line: child.line, xpath } }));
      if (noInherit) loc.inheritInChildApplications = false;
      for (const sec of child.children) {
        const el = toConfigElement(artifact, sec, configChildPath(xpath, sec.name), file.configSources);
        mergeSameSection(loc.sections, el);
      }
      continue;
    }
    mergeSameSection(own.sections, toConfigElement(artifact, child, configChildPath('/configuration', child.name), file.configSources));
  }
  return file;
}

/** The same section group may appear twice at one level (e.g. two `<system.webServer>` blocks);
 *  IIS reads both, so their children are concatenated in document order. */
function mergeSameSection(sections: Record<string, ConfigElement>, el: ConfigElement): void {
  const id = el.name.toLowerCase();
  const prev = Object.hasOwn(sections, id) ? sections[id] : undefined;
  if (!prev) {
    setOwn(sections, id, el);
    return;
  }
  // `prev` was built by this parse, so it can be changed in place. A later block's attribute
  // replaces the earlier value (keeping its position) and keeps its own provenance.
  if (el.attrs.length > 0) {
    const attrs = [...prev.attrs];
    const sources: Record<string, Provenance> = prev.attrSources ?? {};
    for (let j = 0; j < el.attrs.length; j += 2) {
      const k = el.attrs[j]!;
      let at = -1;
      for (let i = 0; i < attrs.length; i += 2) if (attrs[i] === k) at = i;
      if (at < 0) attrs.push(k, el.attrs[j + 1]!);
      else attrs[at + 1] = el.attrs[j + 1]!;
      setOwn(sources, k, configAttrSource(el, k));
    }
    prev.attrs = attrs;
    prev.attrSources = sources;
  }
  if (el.children.length > 0) prev.children = [...prev.children, ...el.children];
}

// Element names come interned from the reader: the memoised lower-casing allocates nothing.
function child(el: ConfigElement | undefined, lname: string): ConfigElement | undefined {
  return el?.children.find((c) => lowerCase(c.name) === lname);
}
function childrenNamed(el: ConfigElement | undefined, lname: string): ConfigElement[] {
  return el?.children.filter((c) => lowerCase(c.name) === lname) ?? [];
}
const attr = configAttr;
/** An attribute's value only: most of what the site list keeps needs no provenance of its own. */
const value = configAttrValue;

function parseBinding(b: ConfigElement): IisBinding {
  const protocol = value(b, 'protocol') ?? '';
  const info = value(b, 'bindingInformation') ?? '';
  const out: IisBinding = { protocol, bindingInformation: info, source: configSource(b) };
  if (/^https?$/i.test(protocol)) {
    // ip:port:host; the IP may be an IPv6 literal in brackets.
    const m = /^(\[[^\]]*\]|[^:]*):(\d*):(.*)$/.exec(info);
    if (m) {
      out.ip = m[1]!;
      if (m[2]) out.port = Number(m[2]);
      out.hostName = m[3]!;
    }
  }
  const ssl = value(b, 'sslFlags');
  if (ssl !== undefined && /^\d+$/.test(ssl)) out.sslFlags = Number(ssl);
  return out;
}

/** Sites and application pools from `system.applicationHost` at the file's top level. */
function sitesAndPools(file: ConfigFile): { sites: IisSite[]; appPools: IisAppPool[] } {
  const ah = file.locations['']?.sections['system.applicationhost'];
  const sites: IisSite[] = [];
  for (const s of childrenNamed(child(ah, 'sites'), 'site')) {
    const name = value(s, 'name') ?? '';
    const site: IisSite = { name, bindings: [], applications: [], source: configSource(s) };
    const id = value(s, 'id');
    if (id !== undefined) site.id = id;
    for (const b of childrenNamed(child(s, 'bindings'), 'binding')) site.bindings.push(parseBinding(b));
    for (const a of childrenNamed(s, 'application')) {
      const app: IisApplication = { path: value(a, 'path') ?? '/', virtualDirectories: [], source: configSource(a) };
      const pool = value(a, 'applicationPool');
      if (pool !== undefined) app.applicationPool = pool;
      for (const v of childrenNamed(a, 'virtualdirectory')) {
        app.virtualDirectories.push({ path: value(v, 'path') ?? '/', physicalPath: value(v, 'physicalPath') ?? '', source: configSource(v) });
      }
      site.applications.push(app);
    }
    const log = child(s, 'logfile');
    if (log) site.logFile = log;
    sites.push(site);
  }
  const appPools: IisAppPool[] = [];
  const poolsEl = child(ah, 'applicationpools');
  const defaults = child(poolsEl, 'applicationpooldefaults');
  const defaultPm = child(defaults, 'processmodel');
  // Pools without their own value share the defaults' (one Sourced value each, not one per pool).
  const defaultIdentity = attr(defaultPm, 'identityType');
  const defaultUser = attr(defaultPm, 'userName');
  const defaultRuntime = attr(defaults, 'managedRuntimeVersion');
  for (const p of childrenNamed(poolsEl, 'add')) {
    const pool: IisAppPool = { name: value(p, 'name') ?? '', source: configSource(p) };
    const pm = child(p, 'processmodel');
    const identity = attr(pm, 'identityType') ?? defaultIdentity;
    if (identity) pool.identityType = identity;
    const user = attr(pm, 'userName') ?? defaultUser;
    if (user) pool.userName = user;
    const rt = attr(p, 'managedRuntimeVersion') ?? defaultRuntime;
    if (rt) pool.managedRuntimeVersion = rt;
    appPools.push(pool);
  }
  return { sites, appPools };
}

export function emptyIis(): IisState {
  return { webConfigs: [], sites: [], appPools: [] };
}

/** A Go source file that embeds an applicationHost.config template in a raw string (Cloud
 *  Foundry's hwc does). Returns the XML with every `{{ … }}` action replaced by a neutral
 *  placeholder, and the line offset of the XML inside the Go file. */
export function extractGoTemplateXml(text: string): { xml: string; lineOffset: number; actions: number } | undefined {
  const m = /=\s*`(\s*<\?xml[\s\S]*?<\/configuration>\s*)`/.exec(text);
  if (!m) return undefined;
  const startIdx = m.index + m[0].indexOf('`') + 1;
  const lineOffset = text.slice(0, startIdx).split('\n').length - 1;
  let actions = 0;
  // Actions can hold quotes (`{{ index . "Name" }}`) that would end an attribute value early, and
  // some sit between attributes (`{{ if … }} preCondition="…" {{end}}`). Inside an attribute value
  // an action becomes the word TEMPLATE; elsewhere it becomes blank space. Newlines are kept so
  // line numbers stay those of the Go file. Conditionals keep their body: both branches are audited.
  const src = m[1]!;
  let xml = '';
  let inTag = false;
  let quote: string | undefined;
  for (let i = 0; i < src.length; ) {
    if (src.startsWith('{{', i)) {
      const end = src.indexOf('}}', i + 2);
      const stop = end < 0 ? src.length : end + 2;
      const action = src.slice(i, stop);
      actions++;
      const newlines = action.replace(/[^\n]/g, '');
      xml += (quote ? 'TEMPLATE' : ' ') + newlines;
      i = stop;
      continue;
    }
    const c = src[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
    } else if (inTag) {
      if (c === '"' || c === "'") quote = c;
      else if (c === '>') inTag = false;
    } else if (c === '<') inTag = true;
    xml += c;
    i++;
  }
  return { xml, lineOffset, actions };
}

export interface IisParseOptions {
  kind?: ConfigFile['kind'];
  site?: string;
  virtualPath?: string;
}

/** Parse applicationHost.config or web.config (or a Go file embedding an appHost template). */
export function parseIisConfig(artifact: string, input: Uint8Array | string, opts: IisParseOptions = {}): ParseResult<IisState> {
  const problems: ParseProblem[] = [];
  const state = emptyIis();
  const { text } = decodeString(input);
  let xml = text;
  let lineOffset = 0;
  if (!/^\s*</.test(text)) {
    const tpl = extractGoTemplateXml(text);
    if (!tpl) {
      problems.push({ artifact, line: 1, severity: 'error', reason: 'not an XML configuration file (no "<" at the start and no embedded template)' });
      return { slice: state, problems };
    }
    xml = tpl.xml;
    lineOffset = tpl.lineOffset;
    problems.push({ artifact, line: lineOffset + 1, severity: 'warning', reason: `Go text/template: ${tpl.actions} {{…}} actions replaced by the placeholder TEMPLATE; values built from them are unknown` });
  }
  const root = parseXmlTree(artifact, xml, problems, lineOffset);
  if (!root) {
    problems.push({ artifact, severity: 'error', reason: 'no XML root element' });
    return { slice: state, problems };
  }
  if (root.name !== 'configuration') {
    problems.push({ artifact, line: root.line, severity: 'error', reason: `root element is <${root.name}>, expected <configuration>` });
    return { slice: state, problems };
  }
  const hasAppHost = root.children.some((c) => c.name === 'system.applicationHost') || root.children.some((c) => c.name === 'location' && c.children.some((x) => x.name === 'system.applicationHost'));
  const kind = opts.kind ?? (hasAppHost ? 'applicationHost' : 'web.config');
  const file = configFileFromTree(artifact, root, kind);
  if (opts.site !== undefined) file.site = opts.site;
  if (opts.virtualPath !== undefined) file.virtualPath = opts.virtualPath;
  for (const cs of file.configSources) {
    problems.push({ artifact, line: cs.source.line ?? 0, severity: 'warning', reason: `section content lives in "${cs.value}" (configSource); include that file in the bundle to audit it` });
  }
  if (kind === 'applicationHost') {
    state.applicationHost = file;
    const { sites, appPools } = sitesAndPools(file);
    state.sites = sites;
    state.appPools = appPools;
  } else state.webConfigs.push(file);
  return { slice: state, problems };
}

/** Combine IIS slices from several files: one applicationHost.config, any number of web.configs. */
export function mergeIis(into: IisState, from: IisState, problems: ParseProblem[]): void {
  if (from.applicationHost) {
    if (into.applicationHost) {
      problems.push({ artifact: from.applicationHost.artifact, severity: 'warning', reason: `a second applicationHost.config; ${into.applicationHost.artifact} is used and this one is ignored` });
    } else {
      into.applicationHost = from.applicationHost;
      into.sites = from.sites;
      into.appPools = from.appPools;
    }
  }
  into.webConfigs.push(...from.webConfigs);
}

export type { RawElement, Provenance };

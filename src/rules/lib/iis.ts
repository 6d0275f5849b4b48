// Per-site judging for IIS rules: each site (and application, and lone web.config) is judged on
// its configuration after inheritance; the rule's verdict is the worst scope, and the evidence
// names every failing scope with the config path that decided.
import { DerivedCache } from '../../host/derived.js';
import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, type FixOp } from '../../fix/ops.js';
import { configAttr, configAttrValue, configSource, iisEffectiveConfig, iisElement, iisLocationPaths, iisScopes, iisSetting, type EffectiveElement, type EffectiveItem, type IisEffectiveConfig, type IisElementFilter, type IisScope } from '../../host/effective.js';
import type { HostState, Provenance, Sourced } from '../../host/state.js';
import { fail, manual, nonEmpty, notApplicable, pass, type Outcome } from '../define.js';

export interface ScopeVerdict {
  ok: boolean | 'unknown';
  /** One sentence about this scope. */
  note: string;
  items: EvidenceItem[];
  fix: FixOp[];
}

export interface ScopeInfo {
  state: HostState;
  scope: IisScope;
  /** `Site` or `Site/app` for fix operations; undefined for a web.config not tied to a site. */
  location: string | undefined;
  label: string;
  /** Configurations `effectiveAt` already answered for this scope, by element path (and, apart,
   *  for attribute-only reads). A memo in front of the per-state cache. */
  configs?: Map<string, IisEffectiveConfig>;
  attributeConfigs?: Map<string, IisEffectiveConfig>;
}

export function scopeInfo(state: HostState, scope: IisScope): ScopeInfo {
  const location = 'webConfig' in scope ? undefined : `${scope.site}${scope.path && scope.path !== '/' ? scope.path : ''}`;
  return { state, scope, location, label: 'webConfig' in scope ? scope.webConfig : (location as string) };
}

// Performance: a real applicationHost.config carries hundreds of collection entries (mimeMap,
// handlers, modules) that no control reads, and merging them for every scope of every rule made one
// bundle take seconds. So the effective configuration is computed once per scope for the element
// paths the catalog reads (RULE_PATHS, merged through that filter); a path outside that list gets
// its own filtered computation, so nothing is ever answered from a merge that left it out. Caches
// are keyed on the HostState object, so rules stay pure functions of their input.
const RULE_PATHS = [
  'system.webServer/directoryBrowse',
  'system.webServer/security',
  'system.webServer/webdav',
  'system.webServer/httpErrors',
  // Attributes only ('@'): accessPolicy is read at every scope, the handler list is not.
  'system.webServer/handlers@',
  'system.webServer/httpProtocol/customHeaders',
  'system.webServer/httpLogging',
  'system.web/customErrors',
  'system.web/compilation',
  'system.web/trace',
  'system.web/httpRuntime',
  'system.applicationHost/sites/siteDefaults',
  'system.applicationHost/sites/applicationDefaults',
  'system.applicationHost/applicationPools/applicationPoolDefaults',
  'system.applicationHost/log',
];

type Trie = IisElementFilter;

function trieOf(paths: readonly string[]): Trie {
  const root: Trie = { all: false, attrs: false, next: new Map() };
  for (const p of paths) {
    const attrsOnly = p.endsWith('@');
    let t = root;
    for (const seg of p.replace(/@$/, '').toLowerCase().split('/')) {
      let n = t.next.get(seg);
      if (!n) t.next.set(seg, (n = { all: false, attrs: false, next: new Map() }));
      t = n;
    }
    if (attrsOnly) t.attrs = true;
    else t.all = true;
  }
  return root;
}

const CATALOG_TRIE = trieOf(RULE_PATHS);

const coveredMemo = new Map<string, boolean>();
const coveredAttrsMemo = new Map<string, boolean>();

/** Does the catalog merge hold `path` completely (or, for attribute reads, at least its attributes)? */
function catalogCovers(path: string, attributesOnly: boolean): boolean {
  // Paths come from rule code (a bounded set), so these memos stay small.
  const memo = attributesOnly ? coveredAttrsMemo : coveredMemo;
  let v = memo.get(path);
  if (v === undefined) memo.set(path, (v = coveredWalk(CATALOG_TRIE, path, attributesOnly)));
  return v;
}

function coveredWalk(trie: Trie, path: string, attributesOnly: boolean): boolean {
  let t: Trie | undefined = trie;
  for (const seg of path.toLowerCase().split('/')) {
    if (!t) return false;
    if (t.all) return true;
    t = t.next.get(seg);
  }
  return t !== undefined && (t.all || (attributesOnly && t.attrs));
}

/** Filters for paths outside the catalog's, one per path (rule code names a bounded set). */
const pathTries = new Map<string, Trie>();
function pathTrie(lpath: string): Trie {
  let t = pathTries.get(lpath);
  if (!t) pathTries.set(lpath, (t = trieOf([lpath])));
  return t;
}

/** state → view key → scope key → configuration. Nested maps, so that a lookup (several per rule
 *  and scope) builds no key strings. */
const effectiveCache = new DerivedCache<HostState, Map<string, Map<string, IisEffectiveConfig>>>();

const scopeKeys = new DerivedCache<IisScope, string>();
function scopeKey(scope: IisScope): string {
  let k = scopeKeys.get(scope);
  if (k === undefined) {
    k = 'webConfig' in scope ? `wc:${scope.webConfig}` : `site:${scope.site}|${scope.path ?? '/'}`;
    scopeKeys.set(scope, k);
  }
  return k;
}

const CATALOG_VIEW = '*catalog*';

/** The configuration in force at a scope, for (at least) one element path and what lies below it
 *  (or only its attributes, when `attributesOnly`). */
export function effectiveAt(info: ScopeInfo, path: string, attributesOnly = false): IisEffectiveConfig {
  // The IIS rules ask ~150 times per bundle; the judged scopes' infos are shared by every rule
  // (judgeScopes), so most answers come from this memo without the state-level lookups.
  let memo = attributesOnly ? info.attributeConfigs : info.configs;
  const hit = memo?.get(path);
  if (hit !== undefined) return hit;
  const cfg = effectiveFor(info, path, attributesOnly);
  if (memo === undefined) {
    memo = new Map();
    if (attributesOnly) info.attributeConfigs = memo;
    else info.configs = memo;
  }
  memo.set(path, cfg);
  return cfg;
}

function effectiveFor(info: ScopeInfo, path: string, attributesOnly: boolean): IisEffectiveConfig {
  let byView = effectiveCache.get(info.state);
  if (!byView) effectiveCache.set(info.state, (byView = new Map()));
  const viewKey = catalogCovers(path, attributesOnly) ? CATALOG_VIEW : path.toLowerCase();
  let byScope = byView.get(viewKey);
  if (!byScope) byView.set(viewKey, (byScope = new Map()));
  const sk = scopeKey(info.scope);
  let cfg = byScope.get(sk);
  if (!cfg) {
    cfg = iisEffectiveConfig(info.state, info.scope, viewKey === CATALOG_VIEW ? CATALOG_TRIE : pathTrie(viewKey));
    byScope.set(sk, cfg);
  }
  return cfg;
}

/**
 * Scopes worth judging: every site root and lone web.config, and an application only when some
 * configuration level is its own (a `<location>` at or below it, or its web.config). Otherwise
 * its configuration is the site's, and reporting it again would only repeat the site's verdict.
 */
export function judgedScopes(state: HostState): readonly IisScope[] {
  // Every IIS rule asks; the answer depends on the state alone (and keeps the scope objects
  // stable, which the effective-configuration cache keys on).
  let scopes = judgedScopesCache.get(state);
  if (!scopes) judgedScopesCache.set(state, (scopes = computeJudgedScopes(state)));
  return scopes;
}
const judgedScopesCache = new DerivedCache<HostState, readonly IisScope[]>();

/** One ScopeInfo per judged scope, shared by every rule (and so is its effectiveAt memo). */
function judgedInfos(state: HostState): readonly ScopeInfo[] {
  let infos = judgedInfosCache.get(state);
  if (!infos) judgedInfosCache.set(state, (infos = judgedScopes(state).map((s) => scopeInfo(state, s))));
  return infos;
}
const judgedInfosCache = new DerivedCache<HostState, readonly ScopeInfo[]>();

/** The judged infos of the site roots only: one per `state.iis.sites` entry, in the same order
 *  (every site root is judged). Shared like `judgedInfos`. */
export function siteRootInfos(state: HostState): readonly ScopeInfo[] {
  let infos = siteRootInfosCache.get(state);
  if (!infos) siteRootInfosCache.set(state, (infos = judgedInfos(state).filter((i) => 'site' in i.scope && !i.scope.path)));
  return infos;
}
const siteRootInfosCache = new DerivedCache<HostState, readonly ScopeInfo[]>();

function computeJudgedScopes(state: HostState): IisScope[] {
  const ah = state.iis?.applicationHost;
  const locs = ah ? iisLocationPaths(ah) : [];
  return iisScopes(state).filter((s) => {
    if ('webConfig' in s || !s.path || s.path === '/') return true;
    const app = `${s.site}${s.path}`.toLowerCase();
    if (locs.some((l) => l === app || l.startsWith(app + '/'))) return true;
    return (state.iis?.webConfigs ?? []).some((w) => w.site?.toLowerCase() === s.site.toLowerCase() && (w.virtualPath ?? '/').toLowerCase().startsWith(s.path!.toLowerCase()));
  });
}

/** Fix for a config attribute at a scope; a lone web.config gets an edit instruction instead. */
export function scopeFix(info: ScopeInfo, make: (location: string) => FixOp, describe: string): FixOp {
  if (info.location !== undefined) return make(info.location);
  return manualStep(`Edit ${info.label}: ${describe}.`, []);
}

export function attrItem(info: ScopeInfo, label: string, s: (Sourced<string> & { isDefault?: boolean }) | undefined): EvidenceItem {
  if (!s) return { label: `${info.label}: ${label}`, value: 'not set' };
  return { label: `${info.label}: ${label}`, value: s.isDefault ? `${s.value} (IIS default)` : s.value, source: s.source };
}

export function setting(info: ScopeInfo, path: string, attribute: string) {
  return iisSetting(effectiveAt(info, path, true), path, attribute);
}

export function isTrue(v: string | undefined): boolean {
  return v !== undefined && v.trim().toLowerCase() === 'true';
}

export interface SiteJudgeOptions {
  /** Judge only site roots (bindings, logging, pools), not applications and lone web.configs. */
  sitesOnly?: boolean;
}

/** Runs `judge` over every scope and folds the verdicts into one outcome. */
export function judgeScopes(
  state: HostState,
  what: string,
  judge: (info: ScopeInfo) => ScopeVerdict,
  opts: SiteJudgeOptions = {},
): Outcome {
  // Every IIS rule ends here for every scope of every bundle: plain loops over the verdicts
  // (flatMap and chains of filter/map took ~2% of an audit on their own).
  const scopes = opts.sitesOnly ? siteRootInfos(state) : judgedInfos(state);
  if (scopes.length === 0) return notApplicable(`No IIS site or web.config is defined in the bundle, so ${what} has nothing to judge.`);
  const verdicts = new Array<ScopeVerdict>(scopes.length);
  let failed = 0;
  let unknown = 0;
  for (let i = 0; i < scopes.length; i++) {
    const v = judge(scopes[i]!);
    verdicts[i] = v;
    if (v.ok === false) failed++;
    else if (v.ok === 'unknown') unknown++;
  }
  if (failed > 0) {
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    // Scopes that inherit the same bad value share one fix: keep each distinct operation once.
    const seen = new Set<string>();
    const notes: string[] = [];
    const labels: string[] = [];
    const noteItems: EvidenceItem[] = [];
    for (let i = 0; i < verdicts.length; i++) {
      const v = verdicts[i]!;
      if (v.ok !== false) continue;
      const label = scopes[i]!.label;
      for (const it of v.items) items.push(it);
      for (const op of v.fix) {
        const k = JSON.stringify(op);
        if (!seen.has(k)) {
          seen.add(k);
          fixes.push(op);
        }
      }
      notes.push(`${label} (${v.note})`);
      labels.push(label);
      noteItems.push({ label, value: v.note });
    }
    const summary = `${what}: ${failed} of ${verdicts.length} scope(s) fail — ${notes.join('; ')}.`;
    const allItems = items.length ? items : noteItems;
    const fixList = fixes.length ? fixes : [manualStep(`Correct ${what} on ${labels.join(', ')}.`, [])];
    if (nonEmpty(allItems) && nonEmpty(fixList)) return fail(summary, allItems, fixList);
  }
  if (unknown > 0) {
    const notes: string[] = [];
    const items: EvidenceItem[] = [];
    for (let i = 0; i < verdicts.length; i++) {
      const v = verdicts[i]!;
      if (v.ok !== 'unknown') continue;
      notes.push(`${scopes[i]!.label} (${v.note})`);
      for (const it of v.items) items.push(it);
    }
    return manual(`${what}: cannot decide for ${notes.join('; ')}.`, ['%windir%\\system32\\inetsrv\\appcmd.exe list config "<site>" -section:<section>'], items);
  }
  const labels = new Array<string>(scopes.length);
  const items: EvidenceItem[] = [];
  for (let i = 0; i < verdicts.length; i++) {
    labels[i] = scopes[i]!.label;
    for (const it of verdicts[i]!.items) items.push(it);
  }
  return pass(`${what}: every scope passes (${labels.join(', ')}).`, items);
}

// ---------------------------------------------------------------------------------------------
// Shapes shared by several IIS rules


export function element(info: ScopeInfo, path: string): EffectiveElement | undefined {
  return iisElement(effectiveAt(info, path), path);
}

export function itemAttr(item: EffectiveItem, name: string): Sourced<string> | undefined {
  return configAttr(item, name);
}

/** An entry's attribute value alone (no provenance built), for comparisons and labels. */
export function itemValue(item: EffectiveItem, name: string): string | undefined {
  return configAttrValue(item, name);
}

/** Where a collection entry was read. */
export function itemSource(item: EffectiveItem): Provenance {
  return configSource(item);
}

export const REQUEST_FILTERING = 'system.webServer/security/requestFiltering';

/** Is an HTTP verb refused by request filtering at this scope? */
const VERBS = `${REQUEST_FILTERING}/verbs`;
export function verbDenied(info: ScopeInfo, verb: string): { denied: boolean; item: EvidenceItem } {
  const verbs = element(info, VERBS);
  const want = verb.toUpperCase();
  const entry = verbs?.items.find((i) => itemValue(i, 'verb')?.toUpperCase() === want);
  const allowUnlisted = setting(info, VERBS, 'allowUnlisted');
  if (entry) {
    const allowed = itemAttr(entry, 'allowed');
    const denied = allowed !== undefined && allowed.value.toLowerCase() === 'false';
    return { denied, item: { label: `${info.label}: verbs ${verb}`, value: `allowed="${allowed?.value ?? 'true'}"`, source: (allowed ?? itemAttr(entry, 'verb'))!.source } };
  }
  const unlisted = allowUnlisted?.value.toLowerCase() !== 'false';
  return { denied: !unlisted, item: attrItem(info, `verbs allowUnlisted (${verb} not listed)`, allowUnlisted) };
}

/** `%SystemDrive%` and C: (the system drive on nearly every server; the bundle does not record it). */
export function onSystemDrive(path: string): boolean {
  return /^\s*(%systemdrive%|c:)/i.test(path) || /^\s*%(windir|systemroot|programfiles|programdata)%/i.test(path);
}

export function expandSystemDrive(path: string): string {
  return path.replace(/^%systemdrive%/i, 'C:').replace(/^%windir%|^%systemroot%/i, 'C:\\Windows');
}

/** Principals that may write to IIS content, logs or configuration. */
const ADMIN_PRINCIPALS = /^(builtin\\administrators|administrators|nt authority\\system|system|nt service\\trustedinstaller|creator owner)$/i;

export function isAdminPrincipal(p: string): boolean {
  return ADMIN_PRINCIPALS.test(p.trim());
}

/** The icacls entries of a folder (case-insensitive, trailing backslash ignored). */
export function aclFor(state: HostState, path: string) {
  const want = expandSystemDrive(path).replace(/[\\/]+$/, '').toLowerCase();
  for (const [k, v] of Object.entries(state.acls?.paths ?? {})) {
    if (k.replace(/[\\/]+$/, '') === want) return v;
  }
  return undefined;
}

/** Sites with their root application's pool and root physical path. */
export function siteRoots(state: HostState) {
  return (state.iis?.sites ?? []).map((s) => {
    const root = s.applications.find((a) => a.path === '/');
    const vdir = root?.virtualDirectories.find((v) => v.path === '/');
    return { site: s, root, vdir };
  });
}

import { iisSetConfig } from '../../fix/ops.js';

export interface AttrCheck {
  /** Section (and element) path, e.g. `system.webServer/directoryBrowse`. */
  section: string;
  /** Element below the section for the fix (`requestLimits`), '' for the section itself. */
  element?: string;
  attribute: string;
  /** True when the effective value passes (case-insensitive compare is up to the caller). */
  ok(value: string): boolean;
  expected: string;
  want: string | number | boolean;
  what: string;
  reason: string;
  sitesOnly?: boolean;
}

function serverDecided(state: HostState, s: Sourced<string> & { isDefault?: boolean }): boolean {
  if (s.isDefault) return true;
  const ah = state.iis?.applicationHost;
  return ah !== undefined && s.source.artifact === ah.artifact && !/\/location\[/.test(s.source.xpath ?? '');
}

/** The common IIS control: one attribute, judged at every scope after inheritance. */
export function judgeAttr(state: HostState, c: AttrCheck): Outcome {
  const full = c.element ? `${c.section}/${c.element}` : c.section;
  const label = `${full.slice(full.lastIndexOf('/') + 1)}@${c.attribute}`;
  return judgeScopes(
    state,
    c.what,
    (info) => {
      const s = setting(info, full, c.attribute);
      const item = attrItem(info, label, s);
      if (!s) return { ok: 'unknown', note: `${c.attribute} is not set and has no known default`, items: [item], fix: [] };
      if (c.ok(s.value)) return { ok: true, note: `${c.attribute}="${s.value}"`, items: [item], fix: [] };
      return {
        ok: false,
        note: `${c.attribute}="${s.value}"${s.isDefault ? ' (IIS default)' : ''}, expected ${c.expected}`,
        items: [item],
        // A value inherited from the server level (or the schema default) is fixed once there,
        // not once per site; a value set at a site or in a web.config is fixed where it was set.
        fix: [
          serverDecided(state, s)
            ? iisSetConfig({ section: c.section, element: c.element ?? '', attribute: c.attribute, value: c.want, location: '', reason: c.reason })
            : scopeFix(info, (location) => iisSetConfig({ section: c.section, element: c.element ?? '', attribute: c.attribute, value: c.want, location, reason: c.reason }), `set ${full}/@${c.attribute} to ${String(c.want)}`),
        ],
      };
    },
    c.sitesOnly ? { sitesOnly: true } : {},
  );
}

/** applicationHost.config's own level (no <location>): where server-wide sections live. */
export function serverInfo(state: HostState): ScopeInfo {
  // A web.config scope that names no file applies only the appHost root: exactly the server level.
  let info = serverInfos.get(state);
  if (!info) serverInfos.set(state, (info = { state, scope: { webConfig: '' }, location: '', label: 'server level' }));
  return info;
}
const serverInfos = new DerivedCache<HostState, ScopeInfo>();

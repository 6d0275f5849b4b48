import type { HostState, MetabaseKey, SecurityPolicyEntry } from '../../host/state.js';

export function metabaseProperty(key: MetabaseKey, name: string): SecurityPolicyEntry<string> | undefined {
  return key.properties[name.toLowerCase()];
}

/** `WebSvcExtRestrictionList` entries: `allowed,path[,deletable,group,description]`, one per line. */
export function webServiceExtensions(state: HostState): { allowed: boolean; path: string; description: string; entry: SecurityPolicyEntry<string> }[] {
  const out: { allowed: boolean; path: string; description: string; entry: SecurityPolicyEntry<string> }[] = [];
  for (const key of Object.values(state.iis6?.keys ?? {})) {
    const p = metabaseProperty(key, 'WebSvcExtRestrictionList');
    if (!p) continue;
    // One entry per line in the file, but XML attribute normalisation turns those line breaks into
    // spaces, so entries are split where whitespace is followed by the next `0,` / `1,` flag.
    for (const line of p.value.split(/\s+(?=[01],)/)) {
      const f = line.trim().split(',');
      if (f.length < 2 || !/^[01]$/.test(f[0]!)) continue;
      out.push({ allowed: f[0] === '1', path: f[1]!, description: f[4] ?? f[3] ?? '', entry: p });
    }
  }
  return out;
}

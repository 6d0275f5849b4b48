import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorScript, COLLECTED_FILES, COLLECTED_PATTERNS, COLLECTED_REGISTRY_KEYS } from './script.js';
import { recogniseFile } from '../artifacts/bundle.js';
import { ARTIFACT_KINDS } from '../host/state.js';
import { fixtureFiles } from '../artifacts/fixtures/fixtures.js';

const script = collectorScript();

test('the script runs every export command the audit needs', () => {
  const commands = [
    /secedit\.exe \/export \/cfg/,
    /reg\.exe export/,
    /'systeminfo\.exe'/,
    /'wmic\.exe' @\('qfe'/,
    /Get-HotFix/,
    /'net\.exe' @\('user'\)/,
    /'net\.exe' @\('user', \$u\)/,
    /'net\.exe' @\('localgroup', 'Administrators'\)/,
    /'auditpol\.exe' @\('\/get', '\/category:\*', '\/r'\)/,
    /'dnscmd\.exe' @\('\/Info'\)/,
    /'dnscmd\.exe' @\('\/EnumZones'\)/,
    /'dnscmd\.exe' @\('\/ZoneInfo', \$z\)/,
    /Get-DnsServerSetting -All/,
    /Get-DnsServerRecursion/,
    /Get-DnsServerZone/,
    /Get-DnsServerRootHint/,
    /'sc\.exe' @\('queryex'/,
    /Get-Service/,
    /'icacls\.exe'/,
    /'netsh\.exe' @\('advfirewall', 'show', 'allprofiles'\)/,
    /'wmic\.exe' @\('nicconfig'/,
    /Get-NetAdapterBinding/,
    /Get-MpComputerStatus/,
    /'netstat\.exe' @\('-anob'\)/,
    /applicationHost\.config/,
    /web\.config/,
    /Compress-Archive/,
    /System\.IO\.Compression\.ZipFile/,
    /manifest\.json/,
  ];
  for (const re of commands) assert.match(script, re);
  for (const r of COLLECTED_REGISTRY_KEYS) assert.ok(script.includes(`'${r.key.replace(/'/g, "''")}'`), r.key);
});

test('the script only reads: no commands that change the host', () => {
  const forbidden = [/\bSet-ItemProperty\b/, /\breg(\.exe)? (add|delete|import)\b/i, /\bsecedit(\.exe)? \/configure/i, /\bsc(\.exe)?'? @\('(config|stop|delete)/i, /\bStop-Service\b/, /\bSet-Service\b/, /\bnet(\.exe)?'? @\('(stop|start)/i, /\bnetsh\b.*\bset\b/i, /\bRemove-Item\b(?![^\n]*\$zip)/];
  for (const re of forbidden) assert.doesNotMatch(script, re);
});

test('the script is structurally sound PowerShell', () => {
  // Braces, parentheses and brackets balance outside quoted strings and comments.
  let depth = { '{': 0, '(': 0, '[': 0 };
  const close: Record<string, '{' | '(' | '['> = { '}': '{', ')': '(', ']': '[' };
  for (const line of script.split('\n')) {
    let q: string | undefined;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (q) {
        if (c === q) {
          if (line[i + 1] === q) i++;
          else q = undefined;
        } else if (c === '`' && q === '"') i++;
        continue;
      }
      if (c === '#') break;
      if (c === "'" || c === '"') q = c;
      else if (c in depth) depth[c as '{']++;
      else if (c in close) {
        depth[close[c]!]--;
        assert.ok(depth[close[c]!] >= 0, `unbalanced ${c} in: ${line}`);
      }
    }
    assert.equal(q, undefined, `unterminated string in: ${line}`);
  }
  assert.deepEqual(depth, { '{': 0, '(': 0, '[': 0 });
  assert.match(script, /^# portcullis collector/);
  assert.match(script, /param\(\s*\[string\]\$OutputPath/);
  // Every command is wrapped: each call site goes through a recording helper.
  for (const line of script.split('\n')) {
    if (/^\s*& /.test(line)) assert.fail(`unwrapped command: ${line}`);
  }
});

test('pwsh, when installed, parses the script without errors', (t) => {
  const probe = spawnSync('pwsh', ['-NoProfile', '-Command', '$PSVersionTable.PSVersion.ToString()'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    t.skip('pwsh is not installed here; structural checks only');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pc-collector-'));
  try {
    const file = join(dir, 'collect.ps1');
    writeFileSync(file, script);
    const r = spawnSync('pwsh', ['-NoProfile', '-Command', `$e=$null; [void][System.Management.Automation.Language.Parser]::ParseFile('${file}', [ref]$null, [ref]$e); $e.Count`], { encoding: 'utf8' });
    assert.equal(r.stdout.trim(), '0', r.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('manifest names and kinds match what bundle.ts recognises', () => {
  for (const f of COLLECTED_FILES) {
    assert.ok((ARTIFACT_KINDS as readonly string[]).includes(f.kind), f.kind);
    assert.ok(script.includes(`'${f.file}' '${f.kind}'`), `${f.file} is written with kind ${f.kind}`);
  }
  for (const p of COLLECTED_PATTERNS) {
    assert.ok((ARTIFACT_KINDS as readonly string[]).includes(p.kind));
    assert.ok(script.includes(p.prefix), p.prefix);
  }
  for (const r of COLLECTED_REGISTRY_KEYS) assert.match(r.file, /^registry\/.+\.reg$/);
  // Without a manifest, names the collector uses for text outputs are still recognised by content.
  const F = fixtureFiles();
  const sample: Record<string, string> = {
    'system/systeminfo.txt': 'systeminfo.txt',
    'system/qfe.csv': 'qfe.csv',
    'network/netstat-anob.txt': 'netstat-anob.txt',
    'services/sc-queryex.txt': 'sc-queryex.txt',
    'network/advfirewall.txt': 'advfirewall.txt',
    'system/auditpol.csv': 'auditpol.csv',
    'iis/applicationHost.config': 'applicationHost.config',
    'secpol.inf': 'secpol.inf',
  };
  for (const [file, fixture] of Object.entries(sample)) {
    const kind = COLLECTED_FILES.find((f) => f.file === file)!.kind;
    assert.equal(recogniseFile({ name: file, bytes: F[fixture]! }, undefined).kind, kind, file);
  }
});

test('a bundle shaped like the collector output audits cleanly', async () => {
  const { zipSync, strToU8 } = await import('fflate');
  const { buildHostState, readZip } = await import('../artifacts/bundle.js');
  const F = fixtureFiles();
  const byFile: Record<string, string> = {
    'secpol.inf': 'secpol.inf',
    'iis/applicationHost.config': 'applicationHost.config',
    'network/netstat-anob.txt': 'netstat-anob.txt',
    'system/systeminfo.txt': 'systeminfo.txt',
    'system/qfe.csv': 'qfe.csv',
    'system/hotfix.json': 'hotfix.json',
    'accounts/net-user.txt': 'net-user.txt',
    'accounts/net-localgroup-administrators.txt': 'net-localgroup-administrators.txt',
    'system/auditpol.csv': 'auditpol.csv',
    'dns/dnscmd-info.txt': 'dnscmd-info.txt',
    'dns/dnscmd-enumzones.txt': 'dnscmd-enumzones.txt',
    'dns/dns-server-zone.json': 'dns-server-zone.json',
    'dns/dns-server-roothint.json': 'dns-server-roothint.json',
    'services/sc-queryex.txt': 'sc-queryex.txt',
    'services/get-service.json': 'get-service.json',
    'network/advfirewall.txt': 'advfirewall.txt',
    'network/nicconfig.csv': 'nicconfig.csv',
    'network/adapter-binding.json': 'adapter-binding.json',
    'system/mpcomputerstatus.json': 'mpcomputerstatus.json',
  };
  const entries: Record<string, unknown>[] = [];
  const zipFiles: Record<string, Uint8Array> = {};
  for (const [file, fixture] of Object.entries(byFile)) {
    const spec = COLLECTED_FILES.find((f) => f.file === file)!;
    assert.ok(spec, file);
    entries.push({ file, kind: spec.kind, command: spec.command, exitCode: 0, error: null });
    zipFiles[file.replace(/\//g, '\\')] = F[fixture]!;
  }
  const ts = COLLECTED_REGISTRY_KEYS.find((r) => r.file === 'registry/terminal-server.reg')!;
  entries.push({ file: ts.file, kind: 'reg-export', command: `reg export "${ts.key}" ${ts.file} /y`, exitCode: 0, error: null, key: ts.key });
  zipFiles[ts.file] = F['terminal-server.reg']!;
  const pol = COLLECTED_REGISTRY_KEYS.find((r) => r.file === 'registry/terminal-services-policy.reg')!;
  entries.push({ file: pol.file, kind: 'reg-export', command: `reg export "${pol.key}" ${pol.file} /y`, exitCode: 1, error: 'ERROR: The system was unable to find the specified registry key or value.', key: pol.key });
  entries.push({ file: 'accounts/net-user-Guest.txt', kind: 'net-user', command: 'net.exe user Guest', exitCode: 0, error: null });
  zipFiles['accounts\\net-user-Guest.txt'] = F['net-user-guest.txt']!;
  entries.push({ file: 'dns/dnscmd-zoneinfo-example.net.txt', kind: 'dnscmd-zoneinfo', command: 'dnscmd.exe /ZoneInfo example.net', exitCode: 0, error: null, zone: 'example.net' });
  zipFiles['dns\\dnscmd-zoneinfo-example.net.txt'] = F['dnscmd-zoneinfo-example.net.txt']!;
  entries.push({ file: 'acl/icacls-C__inetpub_logs_LogFiles.txt', kind: 'icacls', command: 'icacls.exe C:\\inetpub\\logs\\LogFiles', exitCode: 0, error: null });
  zipFiles['acl\\icacls-C__inetpub_logs_LogFiles.txt'] = F['icacls-logs.txt']!;
  const manifest = { schema: 'portcullis-bundle/1', host: 'WEB01', collectedAt: '2024-03-02T10:00:00Z', files: entries };
  zipFiles['manifest.json'] = strToU8(JSON.stringify(manifest, null, 2));
  const st = buildHostState(readZip('WEB01.zip', zipSync(zipFiles)));
  assert.deepEqual(st.problems.filter((p) => p.severity === 'error'), []);
  assert.deepEqual(st.problems.map((p) => p.reason), [], 'no warnings either: the collector layout is what bundle.ts expects');
  for (const slice of ['registry', 'securityPolicy', 'services', 'accounts', 'iis', 'dns', 'listeners', 'system', 'hotfixes', 'auditPolicy', 'firewall', 'adapters', 'acls', 'antivirus'] as const) {
    assert.ok(st[slice], `${slice} present`);
  }
  assert.ok(st.artifacts.every((a) => a.recognisedBy === 'manifest'));
  assert.equal(st.dns!.rootHints!.value.length, 2);
  assert.equal(st.registry!.missingRoots[0]!.value, 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services');
});

// End-to-end: a bundle folder in native formats (UTF-16 secedit and .reg, UTF-8-BOM config,
// CSV, netstat, JSON) audited through the command module, JSON parsed and asserted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { PortcullisError } from '../core/errors.js';
import { writeSampleBundle } from '../audit/sample-bundle.js';
import type { AuditFinding } from '../audit/engine.js';
import { run, type AuditDocument } from './audit.js';
import { run as runRules } from './rules.js';

function sink() {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, cb) {
      text += String(chunk);
      cb();
    },
  });
  return { stream, text: () => text };
}

async function audit(args: string[]) {
  const out = sink();
  const err = sink();
  const code = await run(args, { stdout: out.stream, stderr: err.stream, isTTY: false });
  return { code, stdout: out.text(), stderr: err.text() };
}

const dir = mkdtempSync(join(tmpdir(), 'pc-audit-'));
const b1 = join(dir, 'web01');
const b2 = join(dir, 'web02');
// Variant 1: directory browsing on for site1, SMB1 on, X-Powered-By sent, RDP on 3389.
writeSampleBundle(b1, { host: 'WEB01', variant: 1, sites: 3 });
// Variant 0: the hardened twin.
writeSampleBundle(b2, { host: 'WEB02', variant: 0, sites: 3 });
test.after(() => rmSync(dir, { recursive: true, force: true }));

function byId(doc: AuditDocument, host: string): Map<string, AuditFinding> {
  const h = doc.hosts.find((x) => x.address === host);
  assert.ok(h, `host ${host} in the document`);
  return new Map((h.findings as AuditFinding[]).map((f) => [f.id, f]));
}

test('audits a bundle folder end to end: verdicts, provenance, fixes', async () => {
  const r = await audit([b1, '--format', 'json', '--now', '2026-11-21']);
  assert.equal(r.code, 1, 'high failures → exit 1');
  const doc = JSON.parse(r.stdout) as AuditDocument;
  assert.equal(doc.command, 'audit');
  assert.equal(doc.hosts.length, 1);
  const f = byId(doc, 'WEB01');
  assert.equal(f.size, 101, 'one finding per rule');
  assert.equal([...f.values()].filter((x) => x.status === 'error').length, 0, JSON.stringify([...f.values()].filter((x) => x.status === 'error').map((x) => x.evidence.summary)));

  const dirb = f.get('iis-directory-browsing-disabled')!;
  assert.equal(dirb.status, 'fail');
  assert.match(dirb.evidence.summary, /site1\.example\.org/);
  const it = dirb.evidence.items?.find((i) => i.label.startsWith('site1.example.org'));
  assert.equal(it?.source?.artifact, 'iis/applicationHost.config');
  assert.match(it?.source?.xpath ?? '', /location\[@path='site1\.example\.org'\]\/system\.webServer\/directoryBrowse\/@enabled/);
  assert.ok((it?.source?.line ?? 0) > 100);
  assert.deepEqual(dirb.fix?.[0], { op: 'iisSetConfig', section: 'system.webServer/directoryBrowse', element: '', attribute: 'enabled', value: false, location: 'site1.example.org', reason: 'Automatic folder listings reveal files that were never linked.' });

  const smb1 = f.get('smb1-server-disabled')!;
  assert.equal(smb1.status, 'fail');
  assert.equal(smb1.evidence.items?.[0]?.source?.artifact, 'registry/lanmanserver.reg');

  const nla = f.get('rdp-nla-required')!;
  assert.equal(nla.status, 'pass');
  assert.match(nla.evidence.summary, /decided by the RDP-Tcp listener key/);
  assert.equal(nla.evidence.items?.[0]?.source?.artifact, 'registry/terminal_server.reg');

  assert.equal(f.get('rdp-secure-rpc-required')?.status, 'pass', 'policy key from the second export');
  assert.equal(f.get('guest-account-disabled')?.status, 'pass', 'UTF-16 secedit read');
  assert.equal(f.get('guest-account-disabled')?.evidence.items?.[0]?.source?.artifact, 'secpol.inf');
  assert.equal(f.get('updates-recent')?.status, 'pass');
  assert.match(String(f.get('updates-recent')?.evidence.items?.[0]?.value), /KB\d+ installed 2026-11-11/);
  assert.equal(f.get('os-supported')?.status, 'pass');
  assert.equal(f.get('schannel-tls10-disabled')?.status, 'pass');
  assert.equal(f.get('audit-logon-events')?.status, 'pass');
  assert.equal(f.get('firewall-enabled-all-profiles')?.status, 'pass');
  assert.equal(f.get('print-spooler-disabled')?.status, 'fail');
  assert.equal(f.get('dns-recursion-disabled')?.status, 'not-applicable', 'no DNS service in the service list');
  assert.equal(f.get('antivirus-signatures-current')?.status, 'manual');
  assert.match(f.get('antivirus-signatures-current')?.commands?.[0] ?? '', /Get-MpComputerStatus/);

  const meta = doc.audit.hosts[0]!;
  assert.equal(meta.roles.iis.present, true);
  assert.equal(meta.artifacts.length, 15, 'every file but manifest.json is an artifact');
  assert.deepEqual(meta.problems.filter((p) => p.severity === 'error'), []);
  assert.equal(doc.options['now'], '2026-11-21T00:00:00.000Z');
});

test('two bundles are two hosts; waivers turn a failure into waived and expire', async () => {
  const w = join(dir, 'waivers.yaml');
  writeFileSync(w, '- rule: smb1-server-disabled\n  host: "WEB0*"\n  reason: Legacy scanner still needs SMB1 until December.\n  expires: 2026-12-15\n');
  const r = await audit([b1, b2, '--format', 'json', '--now', '2026-11-21', '--waivers', w]);
  const doc = JSON.parse(r.stdout) as AuditDocument;
  assert.deepEqual(doc.hosts.map((h) => h.address).sort(), ['WEB01', 'WEB02']);
  const smb1 = byId(doc, 'WEB01').get('smb1-server-disabled')!;
  assert.equal(smb1.status, 'waived');
  assert.equal(smb1.waiver?.reason, 'Legacy scanner still needs SMB1 until December.');
  assert.equal(byId(doc, 'WEB02').get('smb1-server-disabled')?.status, 'pass');
  assert.equal(byId(doc, 'WEB02').get('iis-directory-browsing-disabled')?.status, 'pass');

  const later = JSON.parse((await audit([b1, '--format', 'json', '--now', '2027-01-10', '--waivers', w])).stdout) as AuditDocument;
  const expired = byId(later, 'WEB01').get('smb1-server-disabled')!;
  assert.equal(expired.status, 'fail');
  assert.match(expired.evidence.summary, /expired on 2026-12-15/);
});

test('--fail-on decides the exit code', async () => {
  assert.equal((await audit([b2, '--format', 'json', '--now', '2026-11-21', '--fail-on', 'critical'])).code, 0);
  assert.equal((await audit([b1, '--format', 'json', '--now', '2026-11-21', '--fail-on', 'info'])).code, 1);
});

test('--output writes the file only when complete; the table goes to stdout otherwise', async () => {
  const out = join(dir, 'report.json');
  const r = await audit([b2, '--format', 'json', '-o', out, '--now', '2026-11-21']);
  assert.equal(r.stdout, '');
  assert.equal((JSON.parse(readFileSync(out, 'utf8')) as AuditDocument).hosts[0]?.address, 'WEB02');
  assert.deepEqual(readdirSync(dir).filter((n) => n.endsWith('.tmp')), []);
  const t = await audit([b1, '--now', '2026-11-21', '--no-color']);
  assert.match(t.stdout, /WEB01/);
  assert.match(t.stdout, /fail\s+smb1-server-disabled/);
});

test('user errors are PortcullisErrors and write nothing', async () => {
  const out = join(dir, 'never.json');
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, '- rule: smb1-server-disabled\n  host: x\n  reason: r\n  expires: 2026-13-01\n');
  await assert.rejects(audit([b1, '--waivers', bad, '-o', out]), (e: unknown) => e instanceof PortcullisError && e.code === 'E_WAIVERS' && e.describe().startsWith(`${bad}:4:`));
  assert.equal(existsSync(out), false);
  const typo = join(dir, 'typo.yaml');
  writeFileSync(typo, '- rule: smb-one-disabled\n  host: x\n  reason: r\n  expires: 2026-12-01\n');
  await assert.rejects(audit([b1, '--waivers', typo]), /unknown rule id 'smb-one-disabled'/);
  await assert.rejects(audit([b1, '--now', 'yesterday']), (e: unknown) => e instanceof PortcullisError && e.code === 'E_USAGE');
  await assert.rejects(audit([b1, '--format', 'xml']), /--format/);
  await assert.rejects(audit([]), /give a bundle/);
  await assert.rejects(audit([join(dir, 'missing')]), (e: unknown) => e instanceof PortcullisError && e.code === 'E_INPUT');
  await assert.rejects(audit([b1, '--require-kb', 'latest']), /not a KB number/);
});

test('--help teaches the inputs, options and waiver format', async () => {
  const r = await audit(['--help']);
  assert.equal(r.code, 0);
  for (const s of ['--waivers FILE', '--fail-on', '--now DATE', 'manual', 'expires:', 'Exit codes']) assert.ok(r.stdout.includes(s), s);
});

test('rules lists every rule and every probe check with its safety', async () => {
  const out = sink();
  assert.equal(await runRules(['--format', 'json'], { stdout: out.stream, stderr: sink().stream, isTTY: false }), 0);
  const j = JSON.parse(out.text()) as { rules: Array<{ id: string; references: string[] }>; probes: Array<{ id: string; safety: string; references: string[] }> };
  assert.equal(j.rules.length, 101);
  assert.ok(j.rules.every((r) => r.references.length > 0));
  const probeIds = new Set(j.probes.map((p) => p.id));
  for (const id of ['rdp-nla-not-required', 'smb-v1-enabled', 'dns-zone-transfer-allowed', 'http-trace-enabled', 'tls-legacy-protocol', 'vnc-no-auth']) assert.ok(probeIds.has(id), id);
  assert.ok(j.probes.some((p) => p.id === 'smtp-open-relay' && p.safety === 'intrusive'));
  assert.ok(j.probes.every((p) => p.references.length > 0));
  const t = sink();
  await runRules(['--area', 'rdp'], { stdout: t.stream, stderr: sink().stream, isTTY: false });
  assert.match(t.text(), /rdp-nla-required/);
  assert.doesNotMatch(t.text(), /smb-signing-required/);
});

// The shared corpus of real public artifacts (../shared/corpus, when present): auditing any one of
// them, alone, must give every rule a verdict and never a rule error.
const CORPUS = join(new URL('../../../..', import.meta.url).pathname, 'shared', 'corpus');
test('every corpus file audits without a rule error', { skip: !existsSync(CORPUS) && 'no ../shared/corpus' }, async () => {
  const files: string[] = [];
  for (const d of readdirSync(CORPUS, { withFileTypes: true })) {
    if (!d.isDirectory()) continue;
    for (const f of readdirSync(join(CORPUS, d.name))) files.push(join(CORPUS, d.name, f));
  }
  assert.ok(files.length >= 30);
  for (const f of files) {
    const r = await audit([f, '--format', 'json', '--now', '2026-11-21']);
    const doc = JSON.parse(r.stdout) as AuditDocument;
    const errs = (doc.hosts[0]!.findings as AuditFinding[]).filter((x) => x.status === 'error');
    assert.deepEqual(errs.map((e) => `${e.id}: ${e.evidence.summary}`), [], f);
  }
});

test('corpus facts come out of the rules: guest account, RDP NLA, debug compilation, detailed errors', { skip: !existsSync(CORPUS) && 'no ../shared/corpus' }, async () => {
  const one = async (rel: string, id: string) => {
    const doc = JSON.parse((await audit([join(CORPUS, rel), '--format', 'json', '--now', '2026-11-21'])).stdout) as AuditDocument;
    return (doc.hosts[0]!.findings as AuditFinding[]).find((x) => x.id === id)!;
  };
  // DISA's member-server template disables the guest account.
  assert.equal((await one('secpol/disa_ws2019_ms_GptTmpl.inf', 'guest-account-disabled')).status, 'pass');
  // h5bp's MVC5 web.config compiles with debug="true".
  const dbg = await one('iis/h5bp_dotnet45-mvc5_Web.config', 'aspnet-debug-disabled');
  assert.equal(dbg.status, 'fail');
  assert.equal(dbg.evidence.items?.[0]?.source?.artifact, 'h5bp_dotnet45-mvc5_Web.config');
  // Its server template denies TRACE through request filtering.
  assert.equal((await one('iis/h5bp_server-config_Web.config', 'iis-trace-verb-denied')).status, 'pass');
});

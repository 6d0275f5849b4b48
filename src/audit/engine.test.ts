import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyHostState } from '../host/state.js';
import { defineRule, fail, pass, type AnyRule, type Outcome } from '../rules/define.js';
import { manualStep } from '../fix/ops.js';
import { parseWaivers } from '../waivers/waivers.js';
import { hostFrom, services, system } from '../rules/testing.js';
import { auditHost } from './engine.js';

const NOW = new Date('2026-11-21T00:00:00Z');

const meta = {
  title: 'Thing is fine',
  failureTitle: 'Thing is broken',
  severity: 'high' as const,
  area: 'management' as const,
  rationale: 'Because.',
  remediation: 'Fix it.',
  references: ['https://learn.microsoft.com/'],
};

const throwing = defineRule({ ...meta, id: 'throws', requires: [], evaluate: () => { throw new TypeError('cannot read properties of undefined'); } });
const passing = defineRule({ ...meta, id: 'passes', requires: [], evaluate: () => pass('All good.') });
const failing = defineRule({ ...meta, id: 'fails', requires: [], evaluate: () => fail('Broken.', [{ label: 'x', value: 1 }], [manualStep('Repair.')]) });
const needsIis = defineRule({ ...meta, id: 'needs-iis', roles: ['iis'], requires: ['iis'], evaluate: () => pass('IIS fine.') });
const needsSecpol = defineRule({ ...meta, id: 'needs-secpol', requires: ['securityPolicy', 'system'], evaluate: () => pass('ok') });
const broken = defineRule({ ...meta, id: 'broken', requires: [], evaluate: () => ({ status: 'fail', evidence: { summary: 'no items' }, fix: [] }) as unknown as Outcome });

test('a rule that throws becomes an error finding for that rule only', () => {
  const rules: AnyRule[] = [passing, throwing, failing];
  const r = auditHost(emptyHostState(), rules, { now: NOW, fallbackHost: 'h1' });
  assert.deepEqual(r.findings.map((f) => [f.id, f.status]), [['passes', 'pass'], ['throws', 'error'], ['fails', 'fail']]);
  const err = r.findings[1]!;
  assert.match(err.evidence.summary, /cannot read properties of undefined/);
  assert.equal(err.target, 'h1');
  assert.equal(r.findings[2]!.title, 'Thing is broken');
  assert.equal(r.findings[0]!.title, 'Thing is fine');
});

test('an outcome that breaks the contract is an error, not a silent failure', () => {
  const [f] = auditHost(emptyHostState(), [broken], { now: NOW }).findings;
  assert.equal(f?.status, 'error');
  assert.match(f?.evidence.summary ?? '', /without evidence items/);
});

test('role detection: a host known not to run IIS gets not-applicable with the reason', () => {
  const state = hostFrom({}, { services: services([{ name: 'DNS', start: 'auto', state: 'running' }]) });
  const [f] = auditHost(state, [needsIis], { now: NOW }).findings;
  assert.equal(f?.status, 'not-applicable');
  assert.match(String(f?.evidence.items?.[0]?.value), /no IIS service/);
});

test('a missing artifact is manual with the command that collects it', () => {
  const state = hostFrom({}, { system: system(17763) });
  const [f] = auditHost(state, [needsSecpol], { now: NOW }).findings;
  assert.equal(f?.status, 'manual');
  assert.deepEqual(f?.commands, ['secedit /export /cfg secpol.inf /areas SECURITYPOLICY USER_RIGHTS REGKEYS SERVICES']);
  assert.match(f?.evidence.summary ?? '', /no securityPolicy data/);
});

test('role unknown and artifact missing: manual, never a silent pass', () => {
  const [f] = auditHost(emptyHostState(), [needsIis], { now: NOW }).findings;
  assert.equal(f?.status, 'manual');
});

test('waivers apply per host and expire', () => {
  const waivers = parseWaivers('- {rule: fails, host: "web*", reason: accepted risk, expires: 2026-12-01}\n', 'w.yaml');
  const state = hostFrom({}, {}, { host: 'web01' });
  assert.equal(auditHost(state, [failing], { now: NOW, waivers }).findings[0]?.status, 'waived');
  assert.equal(auditHost(state, [failing], { now: new Date('2026-12-02T00:00:00Z'), waivers }).findings[0]?.status, 'fail');
  assert.equal(auditHost(hostFrom({}, {}, { host: 'db01' }), [failing], { now: NOW, waivers }).findings[0]?.status, 'fail');
});

test('the host name comes from the bundle, then the fallback', () => {
  assert.equal(auditHost(hostFrom({}, {}, { host: 'WEB07' }), [passing], { now: NOW, fallbackHost: 'x' }).host, 'WEB07');
  assert.equal(auditHost(emptyHostState(), [passing], { now: NOW, fallbackHost: 'bundle-dir' }).host, 'bundle-dir');
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PortResult } from '../core/result.js';
import { zonesFromService } from './pipeline.js';

const port = (extra?: Record<string, string>): PortResult => ({
  port: 389,
  protocol: 'tcp',
  state: 'open',
  reason: 'syn-ack',
  service: { name: 'ldap', tls: false, method: 'handshake', ...(extra ? { extra } : {}) },
});

test('zone candidates come from the domain and the host name an answer names', () => {
  assert.deepEqual(zonesFromService(port({ domain: 'Corp.Example.', dnsHostName: 'dc01.corp.example' })), ['corp.example', 'corp.example']);
  assert.deepEqual(zonesFromService(port({ dnsHostName: 'dc01.ad.example.org' })), ['ad.example.org']);
});

test('single-label names and junk are not zones', () => {
  assert.deepEqual(zonesFromService(port({ domain: 'WORKGROUP' })), []);
  assert.deepEqual(zonesFromService(port({ domain: 'bad name.example' })), []);
  assert.deepEqual(zonesFromService(port()), []);
  assert.deepEqual(zonesFromService({ port: 1, protocol: 'tcp', state: 'open', reason: 'syn-ack' }), []);
});

test('two probes deciding one check on one target: the more damning verdict stands', async () => {
  const { mergeVerdicts } = await import('../probes/runner.js');
  const base = { title: 't', severity: 'high' as const, evidence: { summary: 's' }, remediation: 'r', references: [] };
  const merged = mergeVerdicts([
    { ...base, id: 'http-webdav-methods-enabled', status: 'pass', target: '127.0.0.1:80/tcp' },
    { ...base, id: 'http-webdav-methods-enabled', status: 'fail', target: '127.0.0.1:80/tcp' },
    { ...base, id: 'http-webdav-methods-enabled', status: 'pass', target: '127.0.0.1:443/tcp' },
  ]);
  assert.deepEqual(
    merged.map((f) => `${f.target} ${f.status}`),
    ['127.0.0.1:80/tcp fail', '127.0.0.1:443/tcp pass'],
  );
});

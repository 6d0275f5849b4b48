import type { EvidenceItem } from '../../core/finding.js';
import { manualStep, type FixOp } from '../../fix/ops.js';
import { defineRule, fail, nonEmpty, notApplicable, pass } from '../define.js';

export const iisHttpsBinding = defineRule({
  id: 'iis-https-binding',
  title: 'Every web site has an HTTPS binding',
  failureTitle: 'A web site is served over plain HTTP only',
  severity: 'medium',
  area: 'iis',
  rationale:
    'Without an https binding and a certificate, everything a site sends and receives (logins, cookies, form data) crosses the network readable and alterable by anyone on the path. Seed 000 installs a certificate and enforces SSL; today HTTPS is expected of every site.',
  remediation: 'Obtain a certificate for the site\'s host names, add an https binding on 443 with it (and SNI where several sites share an address), then require SSL or redirect HTTP to HTTPS.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.applicationhost/sites/site/bindings/binding', 'https://learn.microsoft.com/en-us/iis/manage/configuring-security/how-to-set-up-ssl-on-iis'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    const web = state.iis!.sites.filter((s) => s.bindings.some((b) => /^https?$/i.test(b.protocol)));
    if (web.length === 0) return notApplicable('No site has an http or https binding.');
    const items: EvidenceItem[] = [];
    const fixes: FixOp[] = [];
    for (const s of web) {
      const https = s.bindings.filter((b) => b.protocol.toLowerCase() === 'https');
      const http = s.bindings.filter((b) => b.protocol.toLowerCase() === 'http');
      if (https.length) continue;
      for (const b of http) items.push({ label: `site ${s.name} binding`, value: `http ${b.bindingInformation}`, source: b.source });
      fixes.push(manualStep(`Add an https binding with a valid certificate to ${s.name}.`, [`New-WebBinding -Name '${s.name}' -Protocol https -Port 443 -SslFlags 1 -HostHeader <name>`, 'netsh http add sslcert hostnameport=<name>:443 certhash=<thumbprint> appid={4dc3e181-e14b-4a21-b022-59fc669b0914} certstorename=MY']));
    }
    if (nonEmpty(items) && nonEmpty(fixes)) return fail(`${fixes.length} site(s) have no https binding.`, items, fixes);
    return pass('Every web site has an https binding.', web.map((s) => ({ label: `site ${s.name}`, value: s.bindings.map((b) => `${b.protocol} ${b.bindingInformation}`).join(', '), source: s.source })));
  },
});

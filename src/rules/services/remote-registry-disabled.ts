import { defineRule } from '../define.js';
import { judgeServicesDisabled } from '../lib/services.js';

export const remoteRegistryDisabled = defineRule({
  id: 'remote-registry-disabled',
  title: 'Remote Registry service is disabled',
  failureTitle: 'Remote Registry service can run',
  severity: 'medium',
  area: 'services',
  rationale:
    'With Remote Registry running, anyone who can authenticate over SMB may read (and, with rights, change) registry keys from the network, which helps an attacker map the system and its software. If it must stay for a management tool, the winreg key ACL must be limited to a named group (reviewed by hand: the bundle does not carry registry ACLs).',
  remediation:
    'Disable the Remote Registry service after checking dependents; if a tool needs it, restrict HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurePipeServers\\winreg to Administrators and a named group.',
  references: ['https://learn.microsoft.com/en-us/windows-server/security/windows-services/security-guidelines-for-disabling-system-services-in-windows-server'],
  requires: [],
  evaluate(state) {
    return judgeServicesDisabled(state, { names: ['RemoteRegistry'], what: 'The Remote Registry service', reason: 'Remote registry access is a remote-administration path that a dedicated server should not offer.' });
  },
});

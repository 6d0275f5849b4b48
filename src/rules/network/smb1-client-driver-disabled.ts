import { manualStep, setServiceStartMode } from '../../fix/ops.js';
import { registryLookup, registryNumber } from '../../host/effective.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { regQuery } from '../lib/settings.js';

const KEY = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10';

export const smb1ClientDriverDisabled = defineRule({
  id: 'smb1-client-driver-disabled',
  title: 'SMBv1 client driver is disabled',
  failureTitle: 'SMBv1 client driver can load',
  severity: 'medium',
  area: 'network',
  rationale:
    'The SMB1 client (mrxsmb10) lets this server connect out with SMB1, which a malicious or compromised file server can exploit and which keeps SMB1 alive in the network. Disabling the driver (Start = 4) removes the client side.',
  remediation:
    'Set the mrxsmb10 driver to Disabled and remove MRxSmb10 from LanmanWorkstation\'s DependOnService (or remove the FS-SMB1 feature).',
  references: [
    'https://learn.microsoft.com/en-us/windows-server/storage/file-server/troubleshoot/detect-enable-and-disable-smbv1-v2-v3',
    'CIS Microsoft Windows Server 2022 Benchmark 18.4 (MS Security Guide: Configure SMB v1 client driver = Disable driver)',
  ],
  requires: [],
  evaluate(state) {
    const lk = registryLookup(state, KEY, 'Start');
    if (lk.status === 'not-collected') return manual('The mrxsmb10 service key was not collected.', [regQuery(KEY, 'Start')], [{ label: `${KEY}\\Start`, value: 'not collected' }]);
    if (lk.status === 'absent' && !lk.keyExists) return pass('The SMB1 client driver is not installed (no mrxsmb10 key).', [{ label: KEY, value: 'key does not exist', source: lk.coveredBy }]);
    const v = registryNumber(lk);
    const item = lk.status === 'set' ? { label: `${KEY}\\Start`, value: v ?? 'unreadable', source: lk.source } : { label: `${KEY}\\Start`, value: 'not set', source: lk.status === 'absent' ? lk.coveredBy : lk.source };
    if (v === 4) return pass('The SMB1 client driver is disabled (Start = 4).', [item]);
    return fail(`The SMB1 client driver can load (Start = ${v ?? 'not set'}).`, [item], [
      setServiceStartMode({ service: 'mrxsmb10', startMode: 'disabled', reason: 'The SMB1 client is obsolete; no supported peer needs it.' }),
      manualStep('Remove MRxSmb10 from the workstation service\'s dependencies so it starts without the SMB1 driver.', ['sc.exe config lanmanworkstation depend= bowser/mrxsmb20/nsi']),
    ]);
  },
});

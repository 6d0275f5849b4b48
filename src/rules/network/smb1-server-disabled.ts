import { manualStep, setRegistryValue } from '../../fix/ops.js';
import { osRelease } from '../../host/effective.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { readSetting, regQuery, settingItem, settingNumber } from '../lib/settings.js';

const PARAMS = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters';
/** Windows Server 2019 (build 17763) and later no longer install SMB1 by default. */
const SMB1_NOT_DEFAULT_FROM_BUILD = 17763;

export const smb1ServerDisabled = defineRule({
  id: 'smb1-server-disabled',
  title: 'SMBv1 server is disabled',
  failureTitle: 'SMBv1 server is enabled',
  severity: 'high',
  area: 'network',
  rationale:
    'SMB version 1 lacks pre-authentication integrity and modern encryption, and it is the protocol EternalBlue, WannaCry and NotPetya spread through. Every supported Windows speaks SMB2 or later, so the only effect of leaving SMB1 on is to keep those attacks possible.',
  remediation:
    'Turn the SMB1 server off (Set-SmbServerConfiguration -EnableSMB1Protocol $false, or LanmanServer\\Parameters\\SMB1 = 0) and remove the FS-SMB1 feature where the OS allows it.',
  references: [
    'https://learn.microsoft.com/en-us/windows-server/storage/file-server/troubleshoot/detect-enable-and-disable-smbv1-v2-v3',
    'CIS Microsoft Windows Server 2022 Benchmark 18.4 (MS Security Guide: Configure SMB v1 server = Disabled)',
  ],
  requires: [],
  evaluate(state) {
    const s = readSetting(state, PARAMS, 'SMB1');
    const os = osRelease(state);
    const build = os?.build;
    const items = [settingItem(s), ...(os?.source ? [{ label: 'operating system', value: `${os.product}${build ? ` (build ${build})` : ''}`, source: os.source }] : [])];
    const legacy = build !== undefined && build < 6000;
    const fix = () =>
      legacy
        ? manualStep('Windows Server 2003 speaks only SMB1: unbind File and Printer Sharing from the Internet-facing adapter or set NetBT\\Parameters\\SMBDeviceEnabled = 0, and plan the upgrade.', ['reg add HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters /v SMBDeviceEnabled /t REG_DWORD /d 0 /f'])
        : setRegistryValue({ key: PARAMS, name: 'SMB1', kind: 'REG_DWORD', value: 0, reason: 'SMB1 is obsolete and the route of wormable attacks.' });
    const check = ['Get-SmbServerConfiguration | Select-Object EnableSMB1Protocol', 'Get-WindowsFeature FS-SMB1', regQuery(PARAMS, 'SMB1')];
    if (s.status === 'set') {
      const v = settingNumber(s);
      if (v === 0) return pass('The SMB1 server is switched off (SMB1 = 0).', items);
      return fail(`The SMB1 server is switched on (SMB1 = ${String(s.value)}).`, [items[0]!, ...items.slice(1)], [fix()]);
    }
    if (s.status === 'not-collected') return manual('The LanmanServer parameters were not collected.', check, items);
    if (build === undefined) return manual('SMB1 is not set and the Windows build is unknown, so the default cannot be decided.', check, items);
    if (build >= SMB1_NOT_DEFAULT_FROM_BUILD) {
      return manual(`SMB1 is not set; ${os?.product ?? 'this release'} does not install SMB1 by default, but whether FS-SMB1 was added later is not in the bundle.`, check, items);
    }
    return fail(`SMB1 is not set, and ${os?.product ?? `build ${build}`} serves SMB1 by default.`, [items[0]!, ...items.slice(1)], [fix()]);
  },
});

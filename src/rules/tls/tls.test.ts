import { test } from 'node:test';
import type { AnyRule } from '../define.js';
import { assertCase, hostFrom, regText, system, type Case } from '../testing.js';
import { dotnetStrongCryptoEnabled } from './dotnet-strong-crypto-enabled.js';
import { schannelSsl2Disabled } from './schannel-ssl2-disabled.js';
import { schannelSsl3Disabled } from './schannel-ssl3-disabled.js';
import { schannelTls10Disabled } from './schannel-tls10-disabled.js';
import { schannelTls11Disabled } from './schannel-tls11-disabled.js';
import { schannelTls12Enabled } from './schannel-tls12-enabled.js';
import { schannelWeakCiphersDisabled } from './schannel-weak-ciphers-disabled.js';

const SCH = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL';
const P = `${SCH}\\Protocols`;
/** The SCHANNEL subtree exported, with the given protocol/cipher keys, on a given build. */
function schannel(keys: Record<string, Record<string, number>>, build?: number) {
  const s = hostFrom({ 'schannel.reg': { text: regText({ [SCH]: { EventLogging: 1 }, ...keys }), key: SCH } });
  return build === undefined ? s : { ...s, system: system(build, build < 9200 ? 'Microsoft Windows Server 2008 R2 Standard' : 'Microsoft Windows Server 2019 Datacenter') };
}

const TABLE: Array<[AnyRule, Case[]]> = [
  [
    schannelSsl2Disabled,
    [
      { name: 'explicitly off', state: schannel({ [`${P}\\SSL 2.0\\Server`]: { Enabled: 0 } }, 7601), status: 'pass' },
      { name: 'missing on 2008 R2 → on by default', state: schannel({}, 7601), status: 'fail', item: /OS default for Windows Server 2008/ },
      { name: 'missing on 2019 → not supported', state: schannel({}, 17763), status: 'pass', summary: /OS default/ },
      { name: 'missing, build unknown', state: schannel({}), status: 'manual' },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    schannelSsl3Disabled,
    [
      { name: 'DisabledByDefault=1 counts as off', state: schannel({ [`${P}\\SSL 3.0\\Server`]: { DisabledByDefault: 1 } }, 9600), status: 'pass' },
      { name: 'missing on 2012 R2 → on', state: schannel({}, 9600), status: 'fail' },
      { name: 'missing on 2019 → off', state: schannel({}, 17763), status: 'pass' },
      { name: 'explicitly enabled on 2019', state: schannel({ [`${P}\\SSL 3.0\\Server`]: { Enabled: 1 } }, 17763), status: 'fail', item: /Enabled=1/ },
    ],
  ],
  [
    schannelTls10Disabled,
    [
      { name: 'missing on 2019 → on by default', state: schannel({}, 17763), status: 'fail' },
      { name: 'off', state: schannel({ [`${P}\\TLS 1.0\\Server`]: { Enabled: 0, DisabledByDefault: 1 } }, 17763), status: 'pass' },
    ],
  ],
  [
    schannelTls11Disabled,
    [
      { name: 'missing on 2022 → on by default', state: schannel({}, 20348), status: 'fail' },
      { name: 'off', state: schannel({ [`${P}\\TLS 1.1\\Server`]: { Enabled: 0 } }, 20348), status: 'pass' },
    ],
  ],
  [
    schannelTls12Enabled,
    [
      { name: 'missing on 2019 → on', state: schannel({}, 17763), status: 'pass' },
      { name: 'missing on 2008 R2 → off', state: schannel({}, 7601), status: 'fail' },
      { name: 'enabled on 2008 R2', state: schannel({ [`${P}\\TLS 1.2\\Server`]: { Enabled: 1, DisabledByDefault: 0 } }, 7601), status: 'pass' },
    ],
  ],
  [
    schannelWeakCiphersDisabled,
    [
      {
        name: 'all weak ciphers off',
        state: schannel(Object.fromEntries(['NULL', 'DES 56/56', 'RC4 40/128', 'RC4 56/128', 'RC4 64/128', 'RC4 128/128', 'Triple DES 168'].map((c) => [`${SCH}\\Ciphers\\${c}`, { Enabled: 0 }])), 17763),
        status: 'pass',
      },
      { name: 'nothing set on 2019 → 3DES still offered', state: schannel({}, 17763), status: 'fail', summary: /Triple DES 168/ },
      { name: 'nothing set on 2012 R2 → RC4 offered too', state: schannel({}, 9600), status: 'fail', summary: /RC4 128/ },
      { name: 'RC4 explicitly on', state: schannel({ [`${SCH}\\Ciphers\\RC4 128/128`]: { Enabled: 0xffffffff } }, 17763), status: 'fail' },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
    ],
  ],
  [
    dotnetStrongCryptoEnabled,
    [
      {
        name: 'both views set',
        state: hostFrom({ 'net.reg': regText({ 'HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319': { SchUseStrongCrypto: 1 }, 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319': { SchUseStrongCrypto: 1 } }) }),
        status: 'pass',
      },
      {
        name: '32-bit view missing the value',
        // Absence is meaningful only for a key the manifest says was exported whole.
        state: hostFrom({
          'net64.reg': regText({ 'HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319': { SchUseStrongCrypto: 1 } }),
          'net32.reg': { text: regText({ 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319': { SystemDefaultTlsVersions: 1 } }), key: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319' },
        }),
        status: 'fail',
        item: /WOW6432Node.*not set/,
      },
      { name: 'not collected', state: hostFrom({}), status: 'manual' },
      { name: 'a hand-written snippet proves nothing about absent values', state: hostFrom({ 'net.reg': regText({ 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319': { SystemDefaultTlsVersions: 1 } }) }), status: 'manual' },
    ],
  ],
];

for (const [rule, cases] of TABLE) {
  for (const c of cases) test(`${rule.id}: ${c.name} → ${c.status}`, () => void assertCase(rule, c));
}

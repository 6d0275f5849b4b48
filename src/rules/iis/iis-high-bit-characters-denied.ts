import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const iisHighBitCharactersDenied = defineRule({
  id: 'iis-high-bit-characters-denied',
  title: 'Non-ASCII characters in URLs are rejected',
  failureTitle: 'Non-ASCII characters in URLs are accepted',
  severity: 'low',
  area: 'iis',
  rationale:
    'Bytes above 0x7F in a URL are seldom legitimate on an English-language site and have been used to smuggle paths past decoders. Request filtering allows them by default; where the site does not need international URLs, rejecting them removes an attack class. Sites with non-ASCII paths should waive this rule.',
  remediation:
    'Set requestFiltering/@allowHighBitCharacters to false, unless the site serves non-ASCII URLs.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/', 'CIS Microsoft IIS 10 Benchmark 4.4 (Ensure non-ASCII characters in URLs are not allowed)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.webServer/security/requestFiltering',
      element: '',
      attribute: 'allowHighBitCharacters',
      ok: (v) => v.toLowerCase() === 'false',
      expected: 'false',
      want: false,
      what: 'High-bit characters',
      reason: 'Non-ASCII URL bytes are rarely needed and often used to confuse parsers.',
    });
  },
});

import { manualStep } from '../../fix/ops.js';
import { defineRule } from '../define.js';
import { element, itemSource, itemValue, judgeScopes } from '../lib/iis.js';

/** The URL sequences seed 003 blocks: parent paths, dot-slash, backslash, colon, percent, ampersand. */
const SEQUENCES = ['..', './', '\\', ':', '%', '&'];

export const iisUrlSequencesDenied = defineRule({
  id: 'iis-url-sequences-denied',
  title: 'Request filtering denies dangerous URL sequences',
  failureTitle: 'Request filtering does not deny dangerous URL sequences',
  severity: 'low',
  area: 'iis',
  rationale:
    'Sequences such as .., ./, a backslash, a colon (alternate data streams), a percent sign (leftover encoding) or an ampersand in the path are the raw material of traversal and canonicalisation attacks. Seed 003 denies them in request filtering so such requests never reach a handler. Applications that need one of them in paths (not in query strings) should waive the rule for that site.',
  remediation:
    'Add each missing sequence under system.webServer/security/requestFiltering/denyUrlSequences.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/denyurlsequences/'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeScopes(state, 'Denied URL sequences', (info) => {
      const el = element(info, 'system.webServer/security/requestFiltering/denyUrlSequences');
      const have = (el?.items ?? []).map((i) => itemValue(i, 'sequence') ?? '');
      const missing = SEQUENCES.filter((s) => !have.includes(s));
      const item = { label: `${info.label}: denyUrlSequences`, value: have.length ? have.join(' ') : '(none)', ...(el?.items[0] ? { source: itemSource(el.items[0]) } : {}) };
      if (missing.length === 0) return { ok: true, note: 'all denied', items: [item], fix: [] };
      const loc = info.location ?? '';
      return {
        ok: false,
        note: `not denied: ${missing.join(' ')}`,
        items: [item],
        fix: [
          manualStep(
            `Deny the missing URL sequences for ${info.label}.`,
            missing.map((s) => `%windir%\\system32\\inetsrv\\appcmd.exe set config "${loc}" -section:system.webServer/security/requestFiltering /+"denyUrlSequences.[sequence='${s}']"`),
          ),
        ],
      };
    });
  },
});

import { manualStep } from '../../fix/ops.js';
import { osRelease } from '../../host/effective.js';
import { defineRule, fail, manual, pass } from '../define.js';
import { daysBetween } from '../lib/time.js';

export const osSupported = defineRule({
  id: 'os-supported',
  title: 'Operating system is still supported',
  failureTitle: 'Operating system is past its end of support',
  severity: 'critical',
  area: 'patching',
  rationale:
    'After its end of extended support a Windows release gets no security updates (except through paid Extended Security Updates), so every vulnerability found afterwards stays open for good. No configuration makes up for that; the dates are Microsoft\'s published lifecycle.',
  remediation: 'Upgrade or migrate the server to a supported Windows Server release; until then, enrol it in Extended Security Updates if available and isolate it.',
  references: ['https://learn.microsoft.com/en-us/lifecycle/products/?products=windows', 'https://learn.microsoft.com/en-us/lifecycle/faq/extended-security-updates'],
  requires: ['system'],
  evaluate(state, ctx) {
    const os = osRelease(state);
    const value = `${os?.product ?? 'unknown'}${os?.build ? ` (build ${os.build})` : ''}`;
    const item = os?.source ? { label: 'operating system', value, source: os.source } : { label: 'operating system', value };
    if (!os || !os.endOfSupport) {
      return manual('The Windows release could not be matched to a server lifecycle date.', ['systeminfo | findstr /B /C:"OS Name" /C:"OS Version"'], [item]);
    }
    const eos = { label: 'end of extended support', value: os.endOfSupport };
    const over = daysBetween(`${os.endOfSupport}T00:00:00Z`, ctx.now);
    if (over < 0) return pass(`${os.product} is supported until ${os.endOfSupport}.`, [item, eos]);
    return fail(`${os.product} left extended support on ${os.endOfSupport} (${over} days ago).`, [item, eos], [
      manualStep(`Migrate this server off ${os.product}; enrol it in Extended Security Updates meanwhile if Microsoft offers them for this release.`, ['systeminfo']),
    ]);
  },
});

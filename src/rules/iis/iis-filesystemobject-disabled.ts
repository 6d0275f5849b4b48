import type { EvidenceItem } from '../../core/finding.js';
import { manualStep } from '../../fix/ops.js';
import { configAttr, configAttrValue, registryLookup } from '../../host/effective.js';
import type { HostState } from '../../host/state.js';
import { defineRule, fail, manual, notApplicable, pass } from '../define.js';
import { webServiceExtensions } from '../lib/iis6.js';

const CLSID = '{0D43FE01-F093-11CF-8940-00A0C9054228}';
const KEYS = [`HKCR\\CLSID\\${CLSID}`, `HKLM\\SOFTWARE\\Classes\\CLSID\\${CLSID}`];

/** Is classic ASP configured anywhere (a handler mapped to asp.dll at any level, or the IIS 6
 *  web service extension allowed)? A raw scan of every configuration file: where it is mapped is
 *  irrelevant to the question, and it avoids merging the handler list for every scope. */
function classicAsp(state: HostState): EvidenceItem | undefined {
  const files = [...(state.iis?.applicationHost ? [state.iis.applicationHost] : []), ...(state.iis?.webConfigs ?? [])];
  for (const f of files) {
    for (const loc of Object.values(f.locations)) {
      for (const sec of Object.values(loc.sections)) {
        const ws = sec.name.toLowerCase() === 'system.webserver' ? sec : undefined;
        const handlers = ws?.children.filter((c) => c.name.toLowerCase() === 'handlers') ?? [];
        for (const h of handlers) {
          for (const add of h.children) {
            const sp = configAttrValue(add, 'scriptProcessor');
            if (sp !== undefined && add.name.toLowerCase() === 'add' && /asp\.dll\s*$/i.test(sp)) {
              const name = configAttrValue(add, 'name') ?? 'asp.dll';
              return { label: `classic ASP handler (${f.artifact}${loc.path ? ` <location path="${loc.path}">` : ''})`, value: name, source: configAttr(add, 'scriptProcessor')!.source };
            }
          }
        }
      }
    }
  }
  const ext = webServiceExtensions(state).find((e) => e.allowed && /asp\.dll$/i.test(e.path));
  if (ext) return { label: 'IIS 6 web service extension', value: `${ext.description || 'ASP'} allowed`, source: ext.entry.source };
  return undefined;
}

export const iisFilesystemobjectDisabled = defineRule({
  id: 'iis-filesystemobject-disabled',
  title: 'FileSystemObject is unregistered where classic ASP runs',
  failureTitle: 'FileSystemObject is registered on a classic ASP server',
  severity: 'medium',
  area: 'iis',
  rationale:
    'Classic ASP pages reach the file system through the Scripting.FileSystemObject COM component. A page an attacker manages to upload or inject can use it to read, write and delete files anywhere the worker identity can. Seed 000 unregisters the component (scrrun.dll) on servers whose ASP content does not need it.',
  remediation: 'If no ASP page uses FileSystemObject, unregister it: regsvr32 /u %windir%\\system32\\scrrun.dll (and the SysWOW64 copy on 64-bit Windows).',
  references: ['https://learn.microsoft.com/en-us/previous-versions/windows/it-pro/windows-server-2003/cc782762(v=ws.10)', 'https://learn.microsoft.com/en-us/office/vba/language/reference/user-interface-help/filesystemobject-object'],
  roles: ['iis'],
  requires: [],
  evaluate(state) {
    const asp = classicAsp(state);
    if (!asp) {
      if (state.iis?.applicationHost || state.iis6) return notApplicable('No classic ASP handler or extension is configured.');
      return manual('Whether classic ASP runs is not in the bundle.', ['copy applicationHost.config (or MetaBase.xml)'], []);
    }
    const looks = KEYS.map((k) => ({ k, l: registryLookup(state, k, '') }));
    const found = looks.find((x) => x.l.status === 'set' || (x.l.status === 'absent' && x.l.keyExists));
    if (found) {
      const src = found.l.status === 'set' ? found.l.source : found.l.status === 'absent' ? found.l.coveredBy : undefined;
      return fail('FileSystemObject is registered on a server that runs classic ASP.', [asp, { label: found.k, value: 'registered', ...(src ? { source: src } : {}) }], [
        manualStep('Confirm no ASP page needs FileSystemObject, then unregister it.', ['regsvr32 /u %windir%\\system32\\scrrun.dll', 'regsvr32 /u %windir%\\SysWOW64\\scrrun.dll']),
      ]);
    }
    if (looks.every((x) => x.l.status === 'not-collected')) return manual('The FileSystemObject CLSID key was not collected.', [`reg query "HKCR\\CLSID\\${CLSID}"`], [asp]);
    return pass('FileSystemObject is not registered.', [asp]);
  },
});

import { defineRule } from '../define.js';
import { judgeAttr } from '../lib/iis.js';

export const iisWebdavDisabled = defineRule({
  id: 'iis-webdav-disabled',
  title: 'WebDAV authoring is off',
  failureTitle: 'WebDAV authoring is on',
  severity: 'high',
  area: 'iis',
  rationale:
    'WebDAV turns the web server into a remote file system: with authoring on, PUT, MOVE, PROPFIND and friends can list, upload or overwrite content, and misconfigured authoring rules have given anonymous users write access. A server that only serves pages does not need it.',
  remediation:
    'Set system.webServer/webdav/authoring/@enabled to false, and remove the WebDAV Publishing role service (WebDAVModule) if nothing uses it.',
  references: ['https://learn.microsoft.com/en-us/iis/configuration/system.webserver/webdav/', 'CIS Microsoft IIS 10 Benchmark 1.7 (Ensure WebDav feature is disabled)'],
  roles: ['iis'],
  requires: ['iis'],
  evaluate(state) {
    return judgeAttr(state, {
      section: 'system.webServer/webdav/authoring',
      element: '',
      attribute: 'enabled',
      ok: (v) => v.toLowerCase() !== 'true',
      expected: 'false',
      want: false,
      what: 'WebDAV authoring',
      reason: 'WebDAV lets clients write, move and delete files over HTTP.',
    });
  },
});

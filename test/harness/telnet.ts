// A telnet daemon (inetutils telnetd) under openbsd-inetd as the Telnet peer.
//   careless: inetd listens on ADDR:23 (`ADDR:23 stream tcp nowait root /usr/sbin/telnetd telnetd`
//     — openbsd-inetd accepts an address prefix per service, so no wrapper is needed) and hands
//     each connection to telnetd, which opens with IAC option negotiation.
//   hardened: Telnet switched off — nothing is started and the port stays closed; the peer still
//     has an address and ports so tests can treat both variants alike.
// `inetd -i` stays in the foreground but still writes /run/inetd.pid (a fixed path). stop()
// removes that file only when it still names our inetd.
import { unlinkSync } from 'node:fs';
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp } from './net.js';
import { readPidFile } from './process.js';

export interface TelnetPorts {
  telnet: number;
}

export interface TelnetOptions extends CommonOptions {
  ports?: Partial<TelnetPorts>;
}

const DEFAULTS: TelnetPorts = { telnet: 23 };
const INETD_PID_FILE = '/run/inetd.pid';

/** careless: inetd + telnetd on `address`:23. hardened: nothing listens (pids empty). */
export async function startTelnet(opts: TelnetOptions): Promise<Peer<TelnetPorts>> {
  const b = new PeerBuilder('telnet', opts);
  return b.guard(async () => {
    const ports = resolvePorts('telnet', DEFAULTS, opts.ports);
    if (opts.variant === 'hardened') return b.finish(ports, { service: 'disabled' });
    const a = opts.address;
    const conf = b.write('inetd.conf', `${a}:${ports.telnet} stream tcp nowait root /usr/sbin/telnetd telnetd\n`);
    const sp = await b.spawn('inetd', 'inetd', ['-i', conf]);
    b.onStop(async () => {
      if (readPidFile(INETD_PID_FILE) === sp.serverPid) {
        try {
          unlinkSync(INETD_PID_FILE);
        } catch {
          // already removed
        }
      }
    });
    await waitForTcp(a, ports.telnet, b.remaining(), [sp]);
    return b.finish(ports, { service: 'inetd+telnetd' });
  });
}

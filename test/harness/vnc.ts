// x11vnc on a private Xvfb as the VNC peer.
//   careless: no password (`-nopw`): RFB security type None (1) is offered.
//   hardened: VNC password (`-rfbauth FILE`, stored with `x11vnc -storepasswd`): only type 2.
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp, run } from './net.js';
import { startXvfb } from './x11.js';

export interface VncPorts {
  rfb: number;
}

export interface VncOptions extends CommonOptions {
  ports?: Partial<VncPorts>;
}

const DEFAULTS: VncPorts = { rfb: 5900 };

/** Starts Xvfb + x11vnc on `address` (rfb 5900). careless: no auth. hardened: VNC password (info.password). */
export async function startVnc(opts: VncOptions): Promise<Peer<VncPorts>> {
  const b = new PeerBuilder('x11vnc', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('x11vnc', DEFAULTS, opts.ports);
    const a = opts.address;
    const password = 'pc-Vnc-7';
    const display = await startXvfb(b);
    const auth: string[] = [];
    if (careless) auth.push('-nopw');
    else {
      const file = b.path('vncpasswd');
      await run('x11vnc', ['-storepasswd', password, file], { timeoutMs: 10_000 });
      auth.push('-rfbauth', file);
    }
    b.mkdir('home');
    const env = { ...process.env, HOME: b.path('home') };
    // -noipv6/-no6 are not enough: libvncserver still opens [::]:5900 (its default IPv6 port)
    // unless -rfbportv6 -1 turns the IPv6 listener off.
    const sp = await b.spawn(
      'x11vnc',
      'x11vnc',
      ['-display', display.name, '-rfbport', String(ports.rfb), '-listen', a, '-noipv6', '-no6', '-rfbportv6', '-1', '-forever', '-shared', '-norc', '-nocmds', '-noxdamage', ...auth],
      { env },
    );
    await waitForTcp(a, ports.rfb, b.remaining(), [sp, display.process]);
    return b.finish(ports, { display: display.name, ...(careless ? {} : { password }) });
  });
}

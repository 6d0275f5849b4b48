// RDP peers.
//
// xrdp 0.9.21 (`xrdp --nodaemon --config FILE`, address in `port=tcp://ADDR:PORT`; with --nodaemon
// it writes no pid file). No xrdp-sesman is started: the probes stop at negotiation, MCS and the
// TLS handshake, all of which xrdp answers without a session manager.
//   careless: security_layer=rdp (Standard RDP Security only), crypt_level=low. It answers *every*
//     offer (SSL, HYBRID too) with an RDP_NEG_RSP selecting PROTOCOL_RDP (0), never a failure.
//   hardened: security_layer=tls with a generated cert, crypt_level=high, TLS 1.2+.
//   xrdp never supports CredSSP as a server, so "NLA not required" holds for both variants.
//
// FreeRDP shadow server (freerdp2-shadow-x11) on a private Xvfb at 24-bit depth: the one peer
// that *enforces* NLA.
//   hardened: `/sec:nla +auth` — PROTOCOL_RDP and PROTOCOL_SSL offers get RDP_NEG_FAILURE
//     HYBRID_REQUIRED_BY_SERVER (5); HYBRID is selected.
//   careless: all of rdp/tls/nla left on (`-auth`): the client's first choice wins.
// Its certificate goes to $HOME/.config/freerdp/shadow, so HOME points into the temp dir.
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp } from './net.js';
import { makeCertificate } from './tls.js';
import { startXvfb } from './x11.js';

export interface RdpPorts {
  rdp: number;
}

export interface RdpOptions extends CommonOptions {
  ports?: Partial<RdpPorts>;
}

const DEFAULTS: RdpPorts = { rdp: 3389 };

/**
 * Starts xrdp on `address` (rdp 3389).
 * careless: security_layer=rdp, crypt_level=low. hardened: security_layer=tls, crypt_level=high.
 */
export async function startXrdp(opts: RdpOptions): Promise<Peer<RdpPorts>> {
  const b = new PeerBuilder('xrdp', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('xrdp', DEFAULTS, opts.ports);
    const a = opts.address;
    const cert = careless ? null : await makeCertificate(b.dir, { commonName: `${opts.variant}.portcullis.test`, address: a });
    const ini = [
      '[Globals]',
      'ini_version=1',
      'fork=true',
      `port=tcp://${a}:${ports.rdp}`,
      'use_vsock=false',
      'tcp_nodelay=true',
      `security_layer=${careless ? 'rdp' : 'tls'}`,
      `crypt_level=${careless ? 'low' : 'high'}`,
      `certificate=${cert ? cert.cert : ''}`,
      `key_file=${cert ? cert.key : ''}`,
      'ssl_protocols=TLSv1.2, TLSv1.3',
      'max_bpp=32',
      '[Logging]',
      `LogFile=${b.path('xrdp.log')}`,
      'LogLevel=INFO',
      'EnableSyslog=false',
      'EnableConsole=true',
      'ConsoleLevel=INFO',
      '[Channels]',
      'rdpdr=false',
      'rdpsnd=false',
      'drdynvc=false',
      'cliprdr=false',
      'rail=false',
      'xrdpvr=false',
      '[Xorg]',
      'name=Xorg',
      'lib=libxup.so',
      'username=ask',
      'password=ask',
      'ip=127.0.0.1',
      'port=-1',
      'code=20',
      '',
    ].join('\n');
    const iniPath = b.write('xrdp.ini', ini);
    const sp = await b.spawn('xrdp', 'xrdp', ['--nodaemon', '--config', iniPath]);
    await waitForTcp(a, ports.rdp, b.remaining(), [sp]);
    return b.finish(ports, { securityLayer: careless ? 'rdp' : 'tls', cryptLevel: careless ? 'low' : 'high' });
  });
}

/**
 * Starts Xvfb + freerdp-shadow-cli on `address` (rdp 3389).
 * hardened: /sec:nla +auth (NLA enforced). careless: rdp, tls and nla all allowed, -auth.
 */
export async function startFreerdpShadow(opts: RdpOptions): Promise<Peer<RdpPorts>> {
  const b = new PeerBuilder('freerdp-shadow', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('freerdp-shadow', DEFAULTS, opts.ports);
    const a = opts.address;
    const display = await startXvfb(b);
    b.mkdir('home');
    const env = { ...process.env, DISPLAY: display.name, HOME: b.path('home'), XDG_CONFIG_HOME: b.path('home', '.config') };
    const args = [`/bind-address:${a}`, `/port:${ports.rdp}`, ...(careless ? ['-auth'] : ['/sec:nla', '+auth'])];
    const sp = await b.spawn('shadow', 'freerdp-shadow-cli', args, { env });
    await waitForTcp(a, ports.rdp, b.remaining(), [sp, display.process]);
    return b.finish(ports, { display: display.name, security: careless ? 'rdp,tls,nla' : 'nla' });
  });
}

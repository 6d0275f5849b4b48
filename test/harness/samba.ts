// Samba as the SMB / NetBIOS peer (Samba 4.17, smbd + nmbd in the foreground).
//
// careless: SMB1 allowed (`server min protocol = NT1`), signing disabled, NetBIOS session service
//   on 139 and nmbd answering NBSTAT on UDP 137 — nmbd runs fine on `lo` as long as it is told the
//   exact address (`interfaces = ADDR/8`, `bind interfaces only = yes`).
// hardened: SMB2.02 minimum, signing mandatory, only 445, NetBIOS disabled (no nmbd).
// All state (private, lock, state, cache, pid, ncalrpc dirs, logs) lives in the peer's temp dir.
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp, waitForUdp, addLoopbackAlias } from './net.js';
import { HarnessError } from './process.js';

export interface SambaPorts {
  smb: number;
  /** careless only (0 when absent). */
  netbiosSession: number;
  /** careless only, UDP (0 when absent). */
  netbiosName: number;
}

export interface SambaOptions extends CommonOptions {
  ports?: Partial<SambaPorts>;
  /** NetBIOS name (max 15 chars). Default PCPEER + last octet. */
  netbiosName?: string;
  workgroup?: string;
}

const DEFAULTS: SambaPorts = { smb: 445, netbiosSession: 139, netbiosName: 137 };

/**
 * Starts smbd (and in careless also nmbd) on `address`: smb 445; careless also 139/tcp and
 * 137/udp (+138/udp, which nmbd always opens beside 137).
 * careless: server min protocol NT1, server signing disabled, NBSTAT answered.
 * hardened: server min protocol SMB2_02, server signing mandatory, disable netbios.
 */
export async function startSamba(opts: SambaOptions): Promise<Peer<SambaPorts>> {
  const b = new PeerBuilder('samba', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('samba', DEFAULTS, opts.ports);
    if (!careless) {
      ports.netbiosSession = 0;
      ports.netbiosName = 0;
    }
    const a = opts.address;
    const name = (opts.netbiosName ?? `PCPEER${a.split('.')[3]}`).toUpperCase();
    const workgroup = (opts.workgroup ?? 'CORP').toUpperCase();
    if (!/^[A-Z0-9-]{1,15}$/.test(name)) throw new HarnessError(`samba: NetBIOS name ${JSON.stringify(name)} must be 1-15 letters, digits or '-'`);
    if (!/^[A-Z0-9-]{1,15}$/.test(workgroup)) throw new HarnessError(`samba: workgroup ${JSON.stringify(workgroup)} must be 1-15 letters, digits or '-'`);
    for (const d of ['private', 'lock', 'state', 'cache', 'pid', 'ncalrpc', 'binddns', 'log']) b.mkdir(d, d === 'private' ? 0o700 : 0o755);
    b.mkdir('share');
    b.write('share/readme.txt', 'portcullis samba peer\n');
    const conf = [
      '[global]',
      `  workgroup = ${workgroup}`,
      `  netbios name = ${name}`,
      `  server string = portcullis ${opts.variant} peer`,
      '  server role = standalone server',
      // A /32 that exists on lo (added below): with the /8 that lo really has, nmbd would also
      // bind the shared broadcast 127.255.255.255:137; with /32 its "broadcast" is the address.
      `  interfaces = ${a}/32`,
      '  bind interfaces only = yes',
      `  smb ports = ${careless ? `${ports.smb} ${ports.netbiosSession}` : `${ports.smb}`}`,
      `  private dir = ${b.path('private')}`,
      `  lock directory = ${b.path('lock')}`,
      `  state directory = ${b.path('state')}`,
      `  cache directory = ${b.path('cache')}`,
      `  pid directory = ${b.path('pid')}`,
      `  ncalrpc dir = ${b.path('ncalrpc')}`,
      `  binddns dir = ${b.path('binddns')}`,
      `  log file = ${b.path('log')}/%m.log`,
      '  log level = 1',
      `  passdb backend = tdbsam:${b.path('private', 'passdb.tdb')}`,
      '  load printers = no',
      '  printing = bsd',
      '  printcap name = /dev/null',
      '  disable spoolss = yes',
      '  map to guest = bad user',
      ...(careless
        ? [
            '  server min protocol = NT1',
            '  server signing = disabled',
            '  disable netbios = no',
            `  nbt port = ${ports.netbiosName}`,
            // nmbd's client sockets default to 0.0.0.0:137/138; pin them to the peer address.
            `  nbt client socket address = ${a}`,
          ]
        : ['  server min protocol = SMB2_02', '  server signing = mandatory', '  disable netbios = yes']),
      '[public]',
      `  path = ${b.path('share')}`,
      '  guest ok = yes',
      '  read only = yes',
      '',
    ].join('\n');
    const confPath = b.write('smb.conf', conf);
    b.onStop(await addLoopbackAlias(a));
    b.watchPidFile(b.path('pid', 'smbd.pid'));
    // --no-process-group keeps smbd in the process group our reaper gave it.
    const smbd = await b.spawn('smbd', 'smbd', ['--foreground', '--no-process-group', '--debug-stdout', '-s', confPath]);
    const watch = [smbd];
    if (careless) {
      b.watchPidFile(b.path('pid', 'nmbd.pid'));
      watch.push(await b.spawn('nmbd', 'nmbd', ['--foreground', '--no-process-group', '--debug-stdout', '-s', confPath]));
    }
    await waitForTcp(a, ports.smb, b.remaining(), watch);
    if (careless) {
      await waitForTcp(a, ports.netbiosSession, b.remaining(), watch);
      await waitForUdp(a, ports.netbiosName, b.remaining(), watch);
    }
    return b.finish(ports, { netbiosName: name, workgroup });
  });
}

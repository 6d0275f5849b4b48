// net-snmp snmpd as the SNMP peer (`snmpd -f -Lo -C -c CONF -p PIDFILE`, address from the
// config's agentaddress: naming it on the command line as well makes snmpd bind it twice and fail).
//   careless: `rocommunity public` (+ `rwcommunity private`), sysName/sysDescr set: the default
//     communities answer v1/v2c GETs.
//   hardened: no community at all; one SNMPv3 user (authPriv, SHA/AES) is the only way in, and
//     v1/v2c requests are silently dropped.
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForUdp } from './net.js';

export interface SnmpPorts {
  /** UDP. */
  snmp: number;
}

export interface SnmpOptions extends CommonOptions {
  ports?: Partial<SnmpPorts>;
}

const DEFAULTS: SnmpPorts = { snmp: 161 };

/**
 * Starts snmpd on udp `address`:161. careless: rocommunity public, rwcommunity private, sysName set.
 * hardened: no v1/v2c community; v3 user in info.v3User / info.v3Password (authPriv SHA/AES).
 */
export async function startSnmpd(opts: SnmpOptions): Promise<Peer<SnmpPorts>> {
  const b = new PeerBuilder('snmpd', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('snmpd', DEFAULTS, opts.ports);
    const a = opts.address;
    const sysName = `pc-${opts.variant}-snmp`;
    const v3User = 'pcmonitor';
    const v3Password = 'pc-monitor-passphrase';
    b.mkdir('persist', 0o700);
    const conf = [
      `agentaddress udp:${a}:${ports.snmp}`,
      `sysname ${sysName}`,
      'syslocation portcullis test lab',
      'syscontact admin@corp.test',
      `sysdescr portcullis ${opts.variant} SNMP peer`,
      ...(careless
        ? ['rocommunity public', 'rwcommunity private']
        : [`createUser ${v3User} SHA "${v3Password}" AES "${v3Password}"`, `rouser ${v3User} priv`]),
      '',
    ].join('\n');
    const confPath = b.write('snmpd.conf', conf, 0o600);
    const pidFile = b.path('snmpd.pid');
    b.watchPidFile(pidFile);
    // -C: ignore /etc/snmp; persistent state (engine id, boots) goes to our dir, not /var/lib/snmp.
    const env = { ...process.env, SNMP_PERSISTENT_DIR: b.path('persist'), MIBS: '' };
    // -I -smux: the SMUX module would otherwise listen on 0.0.0.0:199/tcp.
    const sp = await b.spawn('snmpd', 'snmpd', ['-f', '-Lo', '-C', '-I', '-smux', '-c', confPath, '-p', pidFile], { env });
    await waitForUdp(a, ports.snmp, b.remaining(), [sp]);
    return b.finish(ports, { sysName, ...(careless ? { communities: 'public,private' } : { v3User, v3Password }) });
  });
}

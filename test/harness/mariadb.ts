// MariaDB as the database peer (mariadbd 10.11, data dir created by mariadb-install-db).
//   careless: listening on ADDR:3306 — the server greets every TCP client with its version
//     (database-exposed); root may log in over TCP without a password (historical "normal" auth).
//   hardened: `skip-networking` — reachable only through its Unix socket, nothing on TCP.
import { existsSync } from 'node:fs';
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp, waitUntil, run } from './net.js';

export interface MariadbPorts {
  /** 0 in hardened (no TCP listener). */
  mysql: number;
}

export interface MariadbOptions extends CommonOptions {
  ports?: Partial<MariadbPorts>;
}

const DEFAULTS: MariadbPorts = { mysql: 3306 };

/**
 * Starts mariadbd. careless: TCP on `address`:3306, root without password. hardened:
 * skip-networking (info.socket is the only way in). Allow ~10 s: install-db takes a few seconds.
 */
export async function startMariadb(opts: MariadbOptions): Promise<Peer<MariadbPorts>> {
  const b = new PeerBuilder('mariadb', { startTimeoutMs: 40_000, ...opts });
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('mariadb', DEFAULTS, opts.ports);
    const a = opts.address;
    const data = b.mkdir('data', 0o750);
    const socket = b.path('mysqld.sock');
    const pidFile = b.path('mariadbd.pid');
    await run(
      'mariadb-install-db',
      ['--no-defaults', `--datadir=${data}`, '--user=root', '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
      { timeoutMs: b.remaining() },
    );
    b.watchPidFile(pidFile);
    const args = [
      '--no-defaults',
      `--datadir=${data}`,
      `--socket=${socket}`,
      `--pid-file=${pidFile}`,
      '--user=root',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-buffer-pool-size=16M',
      '--log-error=',
      `--tmpdir=${b.dir}`,
      ...(careless ? [`--bind-address=${a}`, `--port=${ports.mysql}`] : ['--skip-networking']),
    ];
    const sp = await b.spawn('mariadbd', 'mariadbd', args);
    if (careless) await waitForTcp(a, ports.mysql, b.remaining(), [sp]);
    else {
      ports.mysql = 0;
      await waitUntil('mariadb socket', () => existsSync(socket), b.remaining(), [sp]);
    }
    return b.finish(ports, { socket, user: 'root' });
  });
}

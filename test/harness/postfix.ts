// A private Postfix instance as the SMTP peer: its own config_directory, queue_directory and
// data_directory in the temp dir, started with `postfix -c DIR start-fg` (master in foreground).
//   careless: open relay — `mynetworks = 0.0.0.0/0`, so permit_mynetworks lets anyone relay.
//     (`smtpd_relay_restrictions = permit` alone is refused by smtpd at startup: it insists on a
//     reject_unauth_destination-like rule, so the open relay has to come from mynetworks.)
//   hardened: default `permit_mynetworks, permit_sasl_authenticated, defer_unauth_destination`
//     with mynetworks = the server's own address only.
//   Both offer STARTTLS: careless with TLS 1.0+, SECLEVEL=0 suites and an RSA-1024 key; hardened
//   with TLS 1.2+, ECDHE+AEAD suites and RSA-2048. Clients on loopback connect *from*
//     127.0.0.1 (the kernel's source for 127/8), so the probe is an outsider to it.
// Postfix checks inet_interfaces against real interface addresses and 127.20.x.y is not one;
// instead inet_interfaces stays loopback-only and the smtpd line in master.cf carries the exact
// address (`ADDR:25 inet ...`), which master binds without that check. Nothing is chrooted and
// no DNS lookup is made (peername lookup off, dns support disabled).
import { chownSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp, run } from './net.js';
import { HarnessError } from './process.js';
import { makeCertificate } from './tls.js';

export interface SmtpPorts {
  smtp: number;
}

export interface PostfixOptions extends CommonOptions {
  ports?: Partial<SmtpPorts>;
}

const DEFAULTS: SmtpPorts = { smtp: 25 };

async function postfixUid(): Promise<number> {
  const r = await run('id', ['-u', 'postfix'], { timeoutMs: 5_000 });
  const uid = Number(r.stdout.trim());
  if (!Number.isInteger(uid)) throw new HarnessError(`postfix: cannot find the postfix user id (got ${JSON.stringify(r.stdout)})`);
  return uid;
}

/**
 * Starts a private postfix on `address`:25. careless: open relay (mynetworks 0.0.0.0/0), STARTTLS
 * with TLS 1.0+ and RSA-1024. hardened: relay denied to outsiders, STARTTLS with TLS 1.2+.
 */
export async function startPostfix(opts: PostfixOptions): Promise<Peer<SmtpPorts>> {
  const b = new PeerBuilder('postfix', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('postfix', DEFAULTS, opts.ports);
    const a = opts.address;
    const etc = b.mkdir('etc');
    b.mkdir('spool');
    const data = b.mkdir('data', 0o700);
    chownSync(data, await postfixUid(), -1);
    const host = `${opts.variant}-mx.portcullis.test`;
    const cert = await makeCertificate(b.dir, { commonName: host, address: a, ...(careless ? { bits: 1024 as const } : {}) });
    const main = [
      'compatibility_level = 3.6',
      `queue_directory = ${b.path('spool')}`,
      `data_directory = ${data}`,
      `myhostname = ${host}`,
      'mydomain = portcullis.test',
      'myorigin = $myhostname',
      'mydestination = $myhostname, localhost',
      'inet_interfaces = loopback-only',
      'inet_protocols = ipv4',
      `mynetworks = ${careless ? '0.0.0.0/0' : `${a}/32`}`,
      'smtpd_peername_lookup = no',
      'smtp_dns_support_level = disabled',
      'disable_dns_lookups = yes',
      `maillog_file = ${b.path('maillog')}`,
      `maillog_file_prefixes = ${tmpdir()}`,
      'biff = no',
      'alias_maps =',
      'alias_database =',
      'local_recipient_maps =',
      'smtpd_banner = $myhostname ESMTP',
      // STARTTLS in both variants, so TLS-after-STARTTLS probes have a positive and a negative
      // case: careless offers TLS 1.0+ with every suite OpenSSL has (SECLEVEL=0) and an RSA-1024
      // key; hardened TLS 1.2+ with strong suites and RSA-2048.
      'smtpd_tls_security_level = may',
      `smtpd_tls_cert_file = ${cert.cert}`,
      `smtpd_tls_key_file = ${cert.key}`,
      ...(careless
        ? ['smtpd_tls_protocols = >=TLSv1', 'smtpd_tls_ciphers = medium', 'tls_medium_cipherlist = ALL:eNULL:@SECLEVEL=0']
        : ['smtpd_tls_protocols = >=TLSv1.2', 'smtpd_tls_ciphers = high', 'tls_high_cipherlist = ECDHE+AESGCM:ECDHE+CHACHA20']),
      // Never deliver anything anywhere: whatever a test enqueues stays deferred in our private
      // queue. (An `error:` transport would not do: smtpd then rejects the RCPT itself.)
      'defer_transports = smtp, relay, local, virtual',
      '',
    ].join('\n');
    b.write('etc/main.cf', main);
    const svc = (name: string, type: string, priv: string, maxproc: string, cmd: string, wakeup = '-') =>
      `${name.padEnd(16)} ${type.padEnd(10)} ${priv} - n ${wakeup} ${maxproc} ${cmd}`;
    const master = [
      svc(`${a}:${ports.smtp}`, 'inet', 'n', '-', 'smtpd'),
      svc('pickup', 'unix', 'n', '1', 'pickup', '60'),
      svc('cleanup', 'unix', 'n', '0', 'cleanup'),
      svc('qmgr', 'unix', 'n', '1', 'qmgr', '300'),
      svc('rewrite', 'unix', '-', '-', 'trivial-rewrite'),
      svc('bounce', 'unix', '-', '0', 'bounce'),
      svc('defer', 'unix', '-', '0', 'bounce'),
      svc('trace', 'unix', '-', '0', 'bounce'),
      svc('verify', 'unix', '-', '1', 'verify'),
      svc('proxymap', 'unix', '-', '-', 'proxymap'),
      svc('error', 'unix', '-', '-', 'error'),
      svc('retry', 'unix', '-', '-', 'error'),
      svc('discard', 'unix', '-', '-', 'discard'),
      svc('anvil', 'unix', '-', '1', 'anvil'),
      svc('scache', 'unix', '-', '1', 'scache'),
      svc('postlog', 'unix-dgram', 'n', '1', 'postlogd'),
      svc('tlsmgr', 'unix', '-', '1', 'tlsmgr', '1000?'),
      '',
    ].join('\n');
    b.write('etc/master.cf', master);
    b.watchPidFile(b.path('spool', 'pid', 'master.pid'));
    const sp = await b.spawn('postfix', 'postfix', ['-c', etc, 'start-fg']);
    await waitForTcp(a, ports.smtp, b.remaining(), [sp]);
    return b.finish(ports, { hostname: host, mynetworks: careless ? '0.0.0.0/0' : `${a}/32` });
  });
}

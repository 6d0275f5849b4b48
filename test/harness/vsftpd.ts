// vsftpd as the FTP peer (`vsftpd CONF`, listen=YES standalone, background=NO).
//   careless: anonymous login allowed (read-only, chrooted to an empty-ish dir), no TLS.
//   hardened: anonymous refused, AUTH TLS offered (self-signed cert), logins forced onto TLS.
import { PeerBuilder, resolvePorts, type CommonOptions, type Peer } from './peer.js';
import { waitForTcp } from './net.js';
import { makeCertificate } from './tls.js';

export interface FtpPorts {
  ftp: number;
}

export interface FtpOptions extends CommonOptions {
  ports?: Partial<FtpPorts>;
}

const DEFAULTS: FtpPorts = { ftp: 21 };

/** Starts vsftpd on `address` (ftp 21). careless: anonymous_enable=YES, no TLS. hardened: anonymous off, ssl_enable=YES. */
export async function startVsftpd(opts: FtpOptions): Promise<Peer<FtpPorts>> {
  const b = new PeerBuilder('vsftpd', opts);
  return b.guard(async () => {
    const careless = opts.variant === 'careless';
    const ports = resolvePorts('vsftpd', DEFAULTS, opts.ports);
    const a = opts.address;
    // vsftpd refuses a chroot root or secure_chroot_dir writable by others: both are root 0755.
    b.mkdir('empty', 0o755);
    b.mkdir('anon', 0o755);
    b.write('anon/welcome.txt', 'portcullis ftp peer\n');
    const cert = careless ? null : await makeCertificate(b.dir, { commonName: `${opts.variant}.portcullis.test`, address: a });
    const conf = [
      'listen=YES',
      'listen_ipv6=NO',
      `listen_address=${a}`,
      `listen_port=${ports.ftp}`,
      'background=NO',
      `secure_chroot_dir=${b.path('empty')}`,
      'nopriv_user=nobody',
      'ftp_username=ftp',
      'write_enable=NO',
      'xferlog_enable=NO',
      `vsftpd_log_file=${b.path('vsftpd.log')}`,
      'pasv_enable=YES',
      'pasv_min_port=40000',
      'pasv_max_port=40100',
      'connect_from_port_20=NO',
      'pam_service_name=vsftpd',
      // The seccomp sandbox kills vsftpd on syscalls newer libcs make in some VMs; it is not what we test.
      'seccomp_sandbox=NO',
      'ftpd_banner=portcullis FTP peer ready',
      ...(careless
        ? ['anonymous_enable=YES', `anon_root=${b.path('anon')}`, 'no_anon_password=NO', 'local_enable=NO', 'ssl_enable=NO']
        : [
            'anonymous_enable=NO',
            'local_enable=YES',
            'chroot_local_user=YES',
            'ssl_enable=YES',
            `rsa_cert_file=${cert!.cert}`,
            `rsa_private_key_file=${cert!.key}`,
            'force_local_logins_ssl=YES',
            'force_local_data_ssl=YES',
            // vsftpd lists AUTH TLS in FEAT only with ssl_tlsv1=YES; OpenSSL 3's default security
            // level still refuses TLS 1.0/1.1 handshakes, so only TLS 1.2+ is really negotiated.
            'ssl_tlsv1=YES',
            'ssl_sslv2=NO',
            'ssl_sslv3=NO',
            'require_ssl_reuse=NO',
          ]),
      '',
    ].join('\n');
    const confPath = b.write('vsftpd.conf', conf, 0o600);
    const sp = await b.spawn('vsftpd', 'vsftpd', [confPath]);
    await waitForTcp(a, ports.ftp, b.remaining(), [sp]);
    return b.finish(ports);
  });
}

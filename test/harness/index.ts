// Test peers: real Debian servers started on one loopback address each, in a careless or a
// hardened configuration, plus a hostile peer of our own. See README.md beside this file.
//
// Every start function takes `{ address: '127.x.y.z', variant: 'careless' | 'hardened',
// ports?: {...}, startTimeoutMs? }`, generates its config into a fresh temp dir, waits until the
// service answers (bounded), and returns a Peer: `{ address, ports, pids, dir, info, stop() }`.
// stop() ends exactly the processes the peer started (SIGTERM, SIGKILL after 5 s) and removes
// the temp dir. Always call it in a `finally`.

/** Peer shape, variant type and the options every start function accepts. */
export type { Peer, Variant, CommonOptions } from './peer.js';
/** Raised for bad options and for servers that fail to start (the message carries their output). */
export { HarnessError, pidExists } from './process.js';
/** Small helpers for tests: one bounded TCP connect, readiness polls, loopback address check. */
export { tcpConnects, waitForTcp, waitForUdp, udpBound, tcpListening, assertPeerAddress } from './net.js';
/** Certificate generation with openssl: self-signed (normal, RSA-1024, expired), or issued by a private CA (makeCertificateAuthority). */
export { makeCertificate, makeCertificateAuthority, type CertOptions, type CertFiles, type CaOptions } from './tls.js';

/** nginx — http 80, https 443 (+ careless: 8443 RSA-1024 key, 9443 expired cert); banner, listing, WebDAV, legacy TLS vs redirect + HSTS + TLS 1.2+; `certificate: 'private-ca'` for a CA-issued cert (info.caCert). */
export { startNginx, type NginxPorts, type NginxOptions } from './nginx.js';
/** Apache httpd 2.4 — http 80; TraceEnable on + OPTIONS 200 with Allow + full banner vs TRACE off + only GET/POST/HEAD + product-only banner. */
export { startApache, type ApachePorts, type ApacheOptions } from './apache.js';
/** PHP built-in server with a front controller — http 80; 404 pages showing PHP warnings with file paths vs display_errors off. */
export { startPhp, type PhpPorts, type PhpOptions } from './php.js';
/** BIND 9 — dns 53 tcp+udp, zone corp.test; AXFR + open recursion + version vs none of them. */
export { startBind, type BindPorts, type BindOptions } from './bind.js';
/** Samba — smb 445 (+ careless: 139/tcp, nmbd 137/udp); SMB1 + signing off + NBSTAT vs SMB2+ + signing required. */
export { startSamba, type SambaPorts, type SambaOptions } from './samba.js';
/** xrdp — rdp 3389; security_layer=rdp + crypt_level=low vs security_layer=tls + high. FreeRDP shadow on Xvfb — rdp 3389; hardened enforces NLA. */
export { startXrdp, startFreerdpShadow, type RdpPorts, type RdpOptions } from './rdp.js';
/** vsftpd — ftp 21; anonymous login, no TLS vs anonymous off + AUTH TLS. */
export { startVsftpd, type FtpPorts, type FtpOptions } from './vsftpd.js';
/** inetd + telnetd — telnet 23 (careless); hardened starts nothing. */
export { startTelnet, type TelnetPorts, type TelnetOptions } from './telnet.js';
/** snmpd — snmp 161/udp; communities public/private vs SNMPv3 user only. */
export { startSnmpd, type SnmpPorts, type SnmpOptions } from './snmpd.js';
/** x11vnc on Xvfb — rfb 5900; security type None vs VNC password. */
export { startVnc, type VncPorts, type VncOptions } from './vnc.js';
/** MariaDB — mysql 3306 (careless); hardened is skip-networking (socket only, port 0). */
export { startMariadb, type MariadbPorts, type MariadbOptions } from './mariadb.js';
/** Private Postfix — smtp 25; open relay (mynetworks 0.0.0.0/0) vs relay denied. */
export { startPostfix, type SmtpPorts, type PostfixOptions } from './postfix.js';
/** Hostile TCP/UDP peer (garbage, truncated, trickle, reset, endless, absurd-length, silent) and ready-made absurd frames. */
export {
  startHostile,
  startHostileUdp,
  ABSURD_FRAMES,
  HOSTILE_MODES,
  type HostileMode,
  type HostileOptions,
  type HostilePeer,
  type HostileStats,
  type HostileUdpMode,
  type HostileUdpOptions,
  type HostileUdpPeer,
} from './hostile.js';
/** Test helpers: stop a peer and prove its pids and ports are gone; prove it bound only its own address. */
export { stopAndProveGone, assertBoundOnlyToOwnAddress, client } from './testkit.js';

// Certificates for the TLS-speaking peers, generated with the openssl CLI into the peer's temp
// dir: self-signed ones — normal (RSA 2048, valid now), short-key (RSA 1024, for tls-weak-key),
// expired (for tls-expired-certificate) — and, for the one verdict a self-signed certificate can
// never pass (tls-untrusted-certificate), a private CA plus a server certificate it issued: a
// client that is told to trust the CA (Node: NODE_EXTRA_CA_CERTS) then really anchors the chain.
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { createDiffieHellmanGroup, randomBytes } from 'node:crypto';
import { run } from './net.js';
import { HarnessError } from './process.js';

export interface CertOptions {
  /** Common name and DNS SAN; the peer address is always added as an IP SAN. */
  commonName: string;
  address: string;
  /** RSA key size; 1024 makes a deliberately weak key. Default 2048. */
  bits?: 1024 | 2048 | 3072;
  /** true = validity ended in the past (2020-01-01 .. 2021-01-01). */
  expired?: boolean;
  /** File name stem inside `dir`; default "server". */
  name?: string;
  /** Issue the certificate from this CA (see makeCertificateAuthority) instead of self-signing it. */
  issuer?: CertFiles;
}

export interface CertFiles {
  cert: string;
  key: string;
}

export async function makeCertificate(dir: string, o: CertOptions): Promise<CertFiles> {
  const name = o.name ?? 'server';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new HarnessError(`certificate name ${JSON.stringify(name)} must be a plain file stem`);
  if (!/^[A-Za-z0-9.-]+$/.test(o.commonName)) throw new HarnessError(`certificate CN ${JSON.stringify(o.commonName)} must be a host name`);
  const bits = o.bits ?? 2048;
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  const san = `subjectAltName=DNS:${o.commonName},IP:${o.address}`;
  if (o.issuer) {
    if (o.expired) throw new HarnessError('certificate: a CA-issued certificate is never made expired (use a self-signed one for that)');
    await issueFromCa(dir, name, bits, o.commonName, san, o.issuer, cert, key);
    return { cert, key };
  }
  if (!o.expired) {
    await run('openssl', [
      'req', '-x509', '-newkey', `rsa:${bits}`, '-nodes', '-sha256', '-days', '30',
      '-subj', `/CN=${o.commonName}/O=portcullis test peer`, '-addext', san,
      '-keyout', key, '-out', cert,
    ]);
    return { cert, key };
  }
  // `req -x509` cannot back-date a certificate in OpenSSL 3.0; `ca -selfsign` takes explicit
  // start and end dates, which needs a throwaway CA database.
  const db = join(dir, `${name}-ca`);
  await run('mkdir', ['-p', db]);
  writeFileSync(join(db, 'index.txt'), '');
  writeFileSync(join(db, 'serial'), '1000\n');
  const cnf = join(db, 'ca.cnf');
  writeFileSync(
    cnf,
    [
      '[ca]', 'default_ca = peer',
      '[peer]', `dir = ${db}`, 'database = $dir/index.txt', 'serial = $dir/serial', 'new_certs_dir = $dir',
      'default_md = sha256', 'policy = anything', 'copy_extensions = copy', 'unique_subject = no',
      '[anything]', 'commonName = supplied', 'organizationName = optional',
      '[req]', 'distinguished_name = dn', 'prompt = no',
      '[dn]', `CN = ${o.commonName}`, 'O = portcullis test peer',
      '[ext]', san, 'basicConstraints = CA:FALSE',
      '',
    ].join('\n'),
  );
  const csr = join(db, 'req.csr');
  await run('openssl', ['req', '-new', '-newkey', `rsa:${bits}`, '-nodes', '-config', cnf, '-keyout', key, '-out', csr]);
  await run('openssl', [
    'ca', '-batch', '-selfsign', '-config', cnf, '-keyfile', key, '-in', csr, '-out', cert,
    '-startdate', '20200101000000Z', '-enddate', '20210101000000Z', '-extensions', 'ext', '-notext',
  ]);
  return { cert, key };
}

export interface CaOptions {
  /** Subject CN of the CA (a label, not a host name). */
  commonName: string;
  /** File name stem inside `dir`; default "ca". */
  name?: string;
}

/**
 * A private root CA (RSA 2048, 30 days): `cert` is the PEM a client adds to its trust store
 * (NODE_EXTRA_CA_CERTS for Node, -CAfile for openssl), `key` signs server certificates through
 * `makeCertificate(dir, { issuer })`. Its key never leaves the peer's temp dir.
 */
export async function makeCertificateAuthority(dir: string, o: CaOptions): Promise<CertFiles> {
  const name = o.name ?? 'ca';
  if (!/^[A-Za-z0-9_-]+$/.test(name)) throw new HarnessError(`CA name ${JSON.stringify(name)} must be a plain file stem`);
  if (!/^[A-Za-z0-9 .-]+$/.test(o.commonName)) throw new HarnessError(`CA CN ${JSON.stringify(o.commonName)} may hold only letters, digits, spaces, dots and dashes`);
  const cert = join(dir, `${name}.crt`);
  const key = join(dir, `${name}.key`);
  // RFC 5280 §4.2.1.9/§4.2.1.3: a root that signs certificates must say CA:TRUE (critical) and
  // keyCertSign, or strict verifiers (OpenSSL, Node) refuse the chain it anchors.
  await run('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '30',
    '-subj', `/CN=${o.commonName}/O=portcullis test CA`,
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-addext', 'subjectKeyIdentifier=hash',
    '-keyout', key, '-out', cert,
  ]);
  return { cert, key };
}

/** Server certificate signed by `ca`: CA:FALSE, serverAuth, the same SANs as a self-signed one. */
async function issueFromCa(dir: string, name: string, bits: number, commonName: string, san: string, ca: CertFiles, cert: string, key: string): Promise<void> {
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}-ext.cnf`);
  writeFileSync(
    ext,
    [san, 'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth', 'authorityKeyIdentifier=keyid', ''].join('\n'),
  );
  await run('openssl', ['req', '-new', '-newkey', `rsa:${bits}`, '-nodes', '-sha256', '-subj', `/CN=${commonName}/O=portcullis test peer`, '-keyout', key, '-out', csr]);
  // A random serial: two certificates from the same CA must never share one (RFC 5280 §4.1.2.2).
  await run('openssl', ['x509', '-req', '-in', csr, '-CA', ca.cert, '-CAkey', ca.key, '-set_serial', `0x${randomBytes(12).toString('hex')}`, '-days', '30', '-sha256', '-extfile', ext, '-out', cert]);
}

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function derInteger(unsignedBigEndian: Buffer): Buffer {
  const body = unsignedBigEndian[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), unsignedBigEndian]) : unsignedBigEndian;
  return Buffer.concat([Buffer.from([0x02]), derLength(body.length), body]);
}

/**
 * Writes PKCS#3 "DH PARAMETERS" for the 1024-bit MODP group of RFC 2409 (Oakley group 2, which
 * Node knows as `modp2`), generator 2 — a deliberately weak DH group for the careless TLS port.
 * A fixed public group instead of `openssl dhparam 1024`, which can take seconds to find a prime.
 */
export function writeWeakDhParams(path: string): void {
  const p = createDiffieHellmanGroup('modp2').getPrime();
  const seq = Buffer.concat([derInteger(p), derInteger(Buffer.from([2]))]);
  const der = Buffer.concat([Buffer.from([0x30]), derLength(seq.length), seq]);
  const b64 = der.toString('base64').replace(/.{1,64}/g, '$&\n');
  writeFileSync(path, `-----BEGIN DH PARAMETERS-----\n${b64}-----END DH PARAMETERS-----\n`);
}

// SMB negotiate (MS-SMB 2.2.4.52, MS-CIFS 2.2.4.52 for SMB1; MS-SMB2 2.2.3 / 2.2.4 for SMB2/3),
// the Direct-TCP / NetBIOS session framing (MS-SMB2 2.1, RFC 1002 §4.3) and the NetBIOS session
// request that port 139 needs first (RFC 1002 §4.3.2).
import { randomBytes } from 'node:crypto';
import type { Parsed } from './reader.js';
import { Reader, parseWith, wireFail } from './reader.js';

// ---------------------------------------------------------------------------------------------
// Framing

/** The 4-byte session header: type 0 (session message), 24-bit length (MS-SMB2 2.1). */
export function frame(payload: Buffer): Buffer {
  if (payload.length > 0xffffff) throw new RangeError('SMB message too large for the session header');
  const h = Buffer.alloc(4);
  h.writeUInt32BE(payload.length, 0);
  return Buffer.concat([h, payload]);
}

/** Largest SMB negotiate answer we accept; real ones are a few hundred bytes (plus a SPNEGO blob). */
export const MAX_SMB_MESSAGE = 64 * 1024;

/**
 * Completeness test for `Stream.readMessage` on a NetBIOS/Direct-TCP session stream: the first
 * message's length, or the whole buffer when the first byte is not a session packet type we know.
 */
export function sessionMessageLength(buf: Buffer): number {
  const type = buf[0];
  if (type === undefined) return 0;
  // 0x00 message, 0x82 positive, 0x83 negative, 0x84 retarget, 0x85 keep-alive (RFC 1002 §4.3.1).
  if (![0x00, 0x82, 0x83, 0x84, 0x85].includes(type)) return buf.length;
  if (buf.length < 4) return 0;
  const len = type === 0x00 ? buf.readUIntBE(1, 3) : (((buf[1] as number) & 1) << 16) | buf.readUInt16BE(2);
  return 4 + len;
}

// ---------------------------------------------------------------------------------------------
// NetBIOS session request (port 139)

/** RFC 1001 §14.1 first-level encoding of a 16-byte NetBIOS name (15 chars, space-padded, + suffix). */
export function encodeNetbiosName(name: string, suffix: number): Buffer {
  const raw = Buffer.alloc(16, 0x20);
  raw.write(name.toUpperCase().slice(0, 15), 'ascii');
  raw[15] = suffix;
  const out = Buffer.alloc(34);
  out[0] = 0x20;
  for (let i = 0; i < 16; i++) {
    const b = raw[i] as number;
    out[1 + i * 2] = 0x41 + (b >> 4);
    out[2 + i * 2] = 0x41 + (b & 0x0f);
  }
  out[33] = 0;
  return out;
}

/** SESSION REQUEST (type 0x81) to `*SMBSERVER` (the wildcard name every SMB server answers). */
export function encodeSessionRequest(called = '*SMBSERVER', calling = 'PORTCULLIS'): Buffer {
  const body = Buffer.concat([encodeNetbiosName(called, 0x20), encodeNetbiosName(calling, 0x00)]);
  const h = Buffer.from([0x81, 0, 0, 0]);
  h.writeUInt16BE(body.length, 2);
  return Buffer.concat([h, body]);
}

const SESSION_ERRORS: Record<number, string> = {
  0x80: 'not listening on called name',
  0x81: 'not listening for calling name',
  0x82: 'called name not present',
  0x83: 'called name present, but insufficient resources',
  0x8f: 'unspecified error',
};

export type SessionAnswer = { positive: true } | { positive: false; code: number; reason: string };

export function parseSessionResponse(buf: Buffer): Parsed<SessionAnswer> {
  return parseWith(() => {
    const r = new Reader(buf, 0, buf.length, 'NetBIOS session response');
    const type = r.u8('packet type');
    r.u8('flags');
    const len = r.u16be('length');
    if (type === 0x82) return { positive: true };
    if (type === 0x83) {
      if (len < 1) wireFail('negative session response without an error code');
      const code = r.u8('error code');
      return { positive: false, code, reason: SESSION_ERRORS[code] ?? `error 0x${code.toString(16)}` };
    }
    if (type === 0x84) return { positive: false, code: 0x84, reason: 'session retarget (the server points elsewhere)' };
    return wireFail(`packet type 0x${type.toString(16)} is not a NetBIOS session response`);
  });
}

// ---------------------------------------------------------------------------------------------
// SMB1 NEGOTIATE

export const SMB1_NT_LM_012 = 'NT LM 0.12';

/** SMB1 NEGOTIATE offering exactly the given dialects (default: only "NT LM 0.12"), framed. */
export function encodeSmb1Negotiate(dialects: readonly string[] = [SMB1_NT_LM_012]): Buffer {
  const header = Buffer.alloc(32);
  header.write('\xffSMB', 0, 'latin1');
  header[4] = 0x72; // SMB_COM_NEGOTIATE
  // Status 0; Flags: case-insensitive paths + canonicalized names.
  header[9] = 0x18;
  // Flags2: Unicode, NT status codes, long names; no extended security, so a classic server returns its domain name.
  header.writeUInt16LE(0xc001, 10);
  header.writeUInt16LE(0xffff, 24); // TID
  header.writeUInt16LE(0xfeff, 26); // PIDLow
  const bytes = Buffer.concat(dialects.map((d) => Buffer.concat([Buffer.from([0x02]), Buffer.from(d, 'ascii'), Buffer.from([0])])));
  const params = Buffer.alloc(3);
  params[0] = 0; // WordCount
  params.writeUInt16LE(bytes.length, 1);
  return frame(Buffer.concat([header, params, bytes]));
}

export interface Smb1NegotiateResponse {
  status: number;
  /** Index into the offered dialects; 0xFFFF = none accepted. */
  dialectIndex: number;
  /** 0x01 user-level, 0x02 challenge/response, 0x04 signing enabled, 0x08 signing required. */
  securityMode?: number;
  capabilities?: number;
  domainName?: string;
  serverName?: string;
}

/** Parse an SMB1 NEGOTIATE response (payload without the 4-byte session header). */
export function parseSmb1Negotiate(payload: Buffer): Parsed<Smb1NegotiateResponse> {
  return parseWith(() => {
    const r = new Reader(payload, 0, payload.length, 'SMB1 NEGOTIATE response');
    const magic = r.bytes(4, 'protocol id');
    if (!magic.equals(Buffer.from([0xff, 0x53, 0x4d, 0x42]))) wireFail('not an SMB1 message (no \\xffSMB)');
    const command = r.u8('command');
    if (command !== 0x72) wireFail(`SMB1 command 0x${command.toString(16)} is not NEGOTIATE`);
    const status = r.u32le('status');
    r.skip(32 - 9, 'header');
    const wordCount = r.u8('WordCount');
    if (wordCount === 0) return { status, dialectIndex: 0xffff };
    const words = r.sub(wordCount * 2, 'parameter words');
    const dialectIndex = words.u16le('DialectIndex');
    if (wordCount !== 17) return { status, dialectIndex };
    const securityMode = words.u8('SecurityMode');
    words.skip(2 + 2 + 4 + 4 + 4, 'MaxMpx, MaxVcs, MaxBuffer, MaxRaw, SessionKey');
    const capabilities = words.u32le('Capabilities');
    words.skip(8 + 2, 'SystemTime, TimeZone');
    const challengeLength = words.u8('ChallengeLength');
    const out: Smb1NegotiateResponse = { status, dialectIndex, securityMode, capabilities };
    const byteCount = r.u16le('ByteCount');
    const data = r.sub(byteCount, 'negotiate data');
    // Without CAP_EXTENDED_SECURITY the data holds the challenge, then DomainName and ServerName (MS-CIFS 2.2.4.52.2).
    if (!(capabilities & 0x80000000) && data.remaining >= challengeLength) {
      data.skip(challengeLength, 'challenge');
      // We set FLAGS2_UNICODE, so the names come as NUL-terminated UTF-16LE.
      const rest = data.bytes(data.remaining, 'names');
      const [domain, server] = rest.subarray(0, rest.length - (rest.length % 2)).toString('utf16le').split('\0');
      if (domain) out.domainName = domain;
      if (server) out.serverName = server;
    }
    return out;
  });
}

// ---------------------------------------------------------------------------------------------
// SMB2 NEGOTIATE

export const SMB2_DIALECTS = [0x0202, 0x0210, 0x0300, 0x0302, 0x0311] as const;

export function dialectName(d: number): string {
  switch (d) {
    case 0x0202:
      return '2.0.2';
    case 0x0210:
      return '2.1';
    case 0x0300:
      return '3.0';
    case 0x0302:
      return '3.0.2';
    case 0x0311:
      return '3.1.1';
    case 0x02ff:
      return '2.??? (wildcard)';
    default:
      return `0x${d.toString(16).padStart(4, '0')}`;
  }
}

export const CIPHERS: Record<number, string> = { 1: 'AES-128-CCM', 2: 'AES-128-GCM', 3: 'AES-256-CCM', 4: 'AES-256-GCM' };
export const SIGNING_ALGORITHMS: Record<number, string> = { 0: 'HMAC-SHA256', 1: 'AES-CMAC', 2: 'AES-GMAC' };

function smb2Header(command: number, messageId: number): Buffer {
  const h = Buffer.alloc(64);
  h.write('\xfeSMB', 0, 'latin1');
  h.writeUInt16LE(64, 4); // StructureSize
  h.writeUInt16LE(0, 6); // CreditCharge
  h.writeUInt16LE(command, 12);
  h.writeUInt16LE(1, 14); // CreditRequest
  h.writeBigUInt64LE(BigInt(messageId), 24);
  h.writeUInt32LE(0xfeff, 32); // Reserved (ProcessId)
  return h;
}

function pad8(b: Buffer): Buffer {
  const rem = b.length % 8;
  return rem ? Buffer.concat([b, Buffer.alloc(8 - rem)]) : b;
}

function negotiateContext(type: number, data: Buffer): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16LE(type, 0);
  h.writeUInt16LE(data.length, 2);
  return Buffer.concat([h, data]);
}

export interface Smb2NegotiateOptions {
  dialects?: readonly number[];
  /** SecurityMode the client announces: 0x01 signing enabled. */
  securityMode?: number;
  /** MessageId; 1 when following an SMB1 multi-protocol negotiate (MS-SMB2 3.2.4.2.2.2). */
  messageId?: number;
}

/** SMB2 NEGOTIATE with PREAUTH_INTEGRITY, ENCRYPTION and SIGNING contexts when 3.1.1 is offered; framed. */
export function encodeSmb2Negotiate(opts: Smb2NegotiateOptions = {}): Buffer {
  const dialects = opts.dialects ?? SMB2_DIALECTS;
  const with311 = dialects.includes(0x0311);
  const fixed = Buffer.alloc(36);
  fixed.writeUInt16LE(36, 0); // StructureSize
  fixed.writeUInt16LE(dialects.length, 2);
  fixed.writeUInt16LE(opts.securityMode ?? 0x01, 4);
  fixed.writeUInt32LE(0x7f, 8); // Capabilities: DFS, leasing, large MTU, multichannel, persistent handles, dir leasing, encryption
  randomBytes(16).copy(fixed, 12); // ClientGuid
  const dialectBytes = Buffer.alloc(dialects.length * 2);
  dialects.forEach((d, i) => dialectBytes.writeUInt16LE(d, i * 2));
  let body: Buffer = Buffer.concat([fixed, dialectBytes]);
  if (with311) {
    const preauth = Buffer.alloc(6 + 32);
    preauth.writeUInt16LE(1, 0); // HashAlgorithmCount
    preauth.writeUInt16LE(32, 2); // SaltLength
    preauth.writeUInt16LE(0x0001, 4); // SHA-512
    randomBytes(32).copy(preauth, 6);
    const enc = Buffer.alloc(2 + 8);
    enc.writeUInt16LE(4, 0);
    [2, 1, 4, 3].forEach((c, i) => enc.writeUInt16LE(c, 2 + i * 2));
    const sign = Buffer.alloc(2 + 6);
    sign.writeUInt16LE(3, 0);
    [2, 1, 0].forEach((s, i) => sign.writeUInt16LE(s, 2 + i * 2));
    const contexts = [negotiateContext(0x0001, preauth), negotiateContext(0x0002, enc), negotiateContext(0x0008, sign)];
    const offset = 64 + pad8(body).length;
    body = pad8(body);
    body.writeUInt32LE(offset, 28); // NegotiateContextOffset (from the SMB2 header start)
    body.writeUInt16LE(contexts.length, 32);
    body = Buffer.concat([body, pad8(contexts[0] as Buffer), pad8(contexts[1] as Buffer), contexts[2] as Buffer]);
  }
  return frame(Buffer.concat([smb2Header(0x0000, opts.messageId ?? 0), body]));
}

export interface Smb2NegotiateResponse {
  status: number;
  securityMode: number;
  dialect: number;
  serverGuid: string;
  capabilities: number;
  /** Server's clock at the answer (FILETIME → ISO), when non-zero. */
  systemTime?: string;
  cipher?: number;
  signingAlgorithm?: number;
  preauthHash?: number;
  contextTypes: number[];
}

function filetimeIso(ft: bigint): string | undefined {
  if (ft === 0n) return undefined;
  const ms = Number(ft / 10000n) - 11644473600000;
  const d = new Date(ms);
  return Number.isFinite(d.getTime()) && ms > 0 ? d.toISOString() : undefined;
}

function guidString(b: Buffer): string {
  const h = (s: Buffer): string => s.toString('hex');
  const le = (s: Buffer): string => h(Buffer.from(s).reverse());
  return `${le(b.subarray(0, 4))}-${le(b.subarray(4, 6))}-${le(b.subarray(6, 8))}-${h(b.subarray(8, 10))}-${h(b.subarray(10, 16))}`;
}

/** Parse an SMB2 NEGOTIATE response (payload without the 4-byte session header). */
export function parseSmb2Negotiate(payload: Buffer): Parsed<Smb2NegotiateResponse> {
  return parseWith(() => {
    const r = new Reader(payload, 0, payload.length, 'SMB2 NEGOTIATE response');
    const magic = r.bytes(4, 'protocol id');
    if (!magic.equals(Buffer.from([0xfe, 0x53, 0x4d, 0x42]))) wireFail('not an SMB2 message (no \\xfeSMB)');
    if (r.u16le('StructureSize') !== 64) wireFail('SMB2 header StructureSize is not 64');
    r.skip(2, 'CreditCharge');
    const status = r.u32le('Status');
    const command = r.u16le('Command');
    if (command !== 0) wireFail(`SMB2 command 0x${command.toString(16)} is not NEGOTIATE`);
    r.skip(64 - 14, 'header');
    if (status !== 0) {
      return { status, securityMode: 0, dialect: 0, serverGuid: '', capabilities: 0, contextTypes: [] };
    }
    const size = r.u16le('body StructureSize');
    if (size !== 65) wireFail(`NEGOTIATE response StructureSize ${size}, expected 65`);
    const securityMode = r.u16le('SecurityMode');
    const dialect = r.u16le('DialectRevision');
    const contextCount = r.u16le('NegotiateContextCount');
    const serverGuid = guidString(r.bytes(16, 'ServerGuid'));
    const capabilities = r.u32le('Capabilities');
    r.skip(12, 'MaxTransact/Read/WriteSize');
    const systemTime = filetimeIso(r.u64le('SystemTime'));
    r.skip(8, 'ServerStartTime');
    r.u16le('SecurityBufferOffset');
    r.u16le('SecurityBufferLength');
    const contextOffset = r.u32le('NegotiateContextOffset');
    const out: Smb2NegotiateResponse = { status, securityMode, dialect, serverGuid, capabilities, contextTypes: [], ...(systemTime ? { systemTime } : {}) };
    if (dialect !== 0x0311 || contextCount === 0) return out;
    if (contextCount > 16) wireFail(`${contextCount} negotiate contexts is absurd`);
    if (contextOffset < 64 || contextOffset > payload.length) wireFail(`NegotiateContextOffset ${contextOffset} is outside the message`);
    const c = new Reader(payload, contextOffset, payload.length, 'negotiate contexts');
    for (let i = 0; i < contextCount; i++) {
      const rem = (c.offset - contextOffset) % 8;
      if (i > 0 && rem) c.skip(8 - rem, 'context padding');
      const type = c.u16le('ContextType');
      const len = c.u16le('DataLength');
      c.skip(4, 'Reserved');
      const d = c.sub(len, `negotiate context 0x${type.toString(16)}`);
      out.contextTypes.push(type);
      if (type === 0x0001) {
        if (d.u16le('HashAlgorithmCount') >= 1) {
          d.u16le('SaltLength');
          out.preauthHash = d.u16le('HashAlgorithm');
        }
      } else if (type === 0x0002) {
        if (d.u16le('CipherCount') >= 1) out.cipher = d.u16le('Cipher');
      } else if (type === 0x0008) {
        if (d.u16le('SigningAlgorithmCount') >= 1) out.signingAlgorithm = d.u16le('SigningAlgorithm');
      }
    }
    return out;
  });
}

/** Which SMB generation a session payload speaks, from its protocol id. */
export function smbKind(payload: Buffer): 'smb1' | 'smb2' | 'other' {
  if (payload.length >= 4 && payload[1] === 0x53 && payload[2] === 0x4d && payload[3] === 0x42) {
    if (payload[0] === 0xff) return 'smb1';
    if (payload[0] === 0xfe) return 'smb2';
  }
  return 'other';
}

// ISAKMP / IKE on UDP 500: an IKEv1 Main Mode first message (RFC 2408 §3, RFC 2409 §5 and
// Appendix A values) offering a handful of ordinary proposals, and a parser for whatever an IKE
// responder sends back (IKEv1 SA or Informational, or an IKEv2 header).
//
// Every responder — one that accepts a proposal, one that rejects all of them with a
// NO-PROPOSAL-CHOSEN notification, and an IKEv2-only daemon that answers with INVALID_MAJOR_VERSION —
// echoes our 8-byte initiator cookie (SPI). That echo is what makes a datagram an answer.
import { randomBytes } from 'node:crypto';
import { type Parsed, Reader, parseWith, wireFail } from './reader.js';

const PAYLOAD = { none: 0, sa: 1, proposal: 2, transform: 3, keyExchange: 4, nonce: 10, notify: 11, delete: 12, vendorId: 13 } as const;
const EXCHANGE_NAMES: Record<number, string> = {
  2: 'identity-protection (main mode)',
  4: 'aggressive',
  5: 'informational',
  32: 'quick mode',
  34: 'IKE_SA_INIT',
  35: 'IKE_AUTH',
  36: 'CREATE_CHILD_SA',
  37: 'INFORMATIONAL',
};
/** IKEv1 notify message types (RFC 2408 §3.14.1) that responders use to turn us away. */
const NOTIFY_NAMES: Record<number, string> = {
  1: 'INVALID-PAYLOAD-TYPE',
  5: 'INVALID-MAJOR-VERSION',
  7: 'INVALID-EXCHANGE-TYPE',
  9: 'INVALID-FLAGS',
  14: 'NO-PROPOSAL-CHOSEN',
  16: 'PAYLOAD-MALFORMED',
  17: 'INVALID-KEY-INFORMATION',
  24: 'AUTHENTICATION-FAILED',
};
const IKEV2_NOTIFY_NAMES: Record<number, string> = {
  5: 'INVALID_MAJOR_VERSION',
  7: 'INVALID_SYNTAX',
  14: 'NO_PROPOSAL_CHOSEN',
  17: 'INVALID_KE_PAYLOAD',
  16390: 'COOKIE',
};
const MAX_PAYLOADS = 64;

/** One Main Mode transform: attribute values from RFC 2409 Appendix A (and RFC 3526 for group 14). */
interface Offer {
  encryption: number; // 5 3DES-CBC, 7 AES-CBC
  keyBits?: number;
  hash: number; // 2 SHA, 4 SHA2-256
  auth: number; // 1 pre-shared key, 3 RSA signatures
  group: number; // 2 MODP-1024, 14 MODP-2048
}

const OFFERS: Offer[] = [
  { encryption: 7, keyBits: 256, hash: 4, auth: 1, group: 14 },
  { encryption: 7, keyBits: 256, hash: 2, auth: 3, group: 14 },
  { encryption: 7, keyBits: 128, hash: 2, auth: 1, group: 14 },
  { encryption: 7, keyBits: 128, hash: 2, auth: 1, group: 2 },
  { encryption: 5, hash: 2, auth: 1, group: 2 },
  { encryption: 5, hash: 2, auth: 3, group: 2 },
];

function attr(type: number, value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(0x8000 | type, 0); // AF=1: basic (TV) attribute
  b.writeUInt16BE(value, 2);
  return b;
}

function transform(n: number, last: boolean, o: Offer): Buffer {
  const attrs = Buffer.concat([
    attr(1, o.encryption),
    ...(o.keyBits ? [attr(14, o.keyBits)] : []),
    attr(2, o.hash),
    attr(3, o.auth),
    attr(4, o.group),
    attr(11, 1), // life type: seconds
    attr(12, 28800), // life duration: 8 hours
  ]);
  const head = Buffer.alloc(8);
  head[0] = last ? PAYLOAD.none : PAYLOAD.transform;
  head.writeUInt16BE(8 + attrs.length, 2);
  head[4] = n;
  head[5] = 1; // KEY_IKE
  return Buffer.concat([head, attrs]);
}

export interface IkeRequest {
  packet: Buffer;
  initiatorSpi: Buffer;
}

/** IKEv1 Main Mode message 1: header + SA (DOI IPsec, identity-only) with one proposal. */
export function encodeIkeV1MainMode(initiatorSpi: Buffer = randomBytes(8)): IkeRequest {
  if (initiatorSpi.length !== 8) throw new RangeError('the IKE initiator cookie is 8 bytes');
  const transforms = Buffer.concat(OFFERS.map((o, i) => transform(i + 1, i === OFFERS.length - 1, o)));
  const proposal = Buffer.alloc(8);
  proposal[0] = PAYLOAD.none;
  proposal.writeUInt16BE(8 + transforms.length, 2);
  proposal[4] = 1; // proposal #
  proposal[5] = 1; // PROTO_ISAKMP
  proposal[6] = 0; // SPI size
  proposal[7] = OFFERS.length;
  const saBody = Buffer.concat([proposal, transforms]);
  const sa = Buffer.alloc(12);
  sa[0] = PAYLOAD.none;
  sa.writeUInt16BE(12 + saBody.length, 2);
  sa.writeUInt32BE(1, 4); // DOI: IPsec
  sa.writeUInt32BE(1, 8); // SIT_IDENTITY_ONLY
  const header = Buffer.alloc(28);
  initiatorSpi.copy(header, 0);
  header[16] = PAYLOAD.sa;
  header[17] = 0x10; // version 1.0
  header[18] = 2; // identity protection
  header.writeUInt32BE(28 + sa.length + saBody.length, 24);
  return { packet: Buffer.concat([header, sa, saBody]), initiatorSpi };
}

export interface IkeResponse {
  /** Major version of the responder's header: 1 or 2. */
  majorVersion: number;
  minorVersion: number;
  exchange: string;
  responderSpi: string;
  /** The responder chose one of our proposals (an SA payload in a Main Mode reply). */
  proposalAccepted: boolean;
  /** Notification names (or `type-<n>`) found in the reply. */
  notifications: string[];
  /** Vendor ID payloads, hex. */
  vendorIds: string[];
}

/** Parse a reply; with `initiatorSpi`, a reply not echoing it is a failure. Never throws. */
export function parseIkeResponse(buf: Buffer, initiatorSpi?: Buffer): Parsed<IkeResponse> {
  try {
    return parseWith(() => {
      const r = new Reader(buf, 0, buf.length, 'IKE message');
      const ispi = r.bytes(8, 'initiator SPI');
      if (initiatorSpi && !ispi.equals(initiatorSpi)) wireFail('initiator SPI differs from ours (not an answer to our request)');
      const rspi = r.bytes(8, 'responder SPI');
      let next = r.u8('next payload');
      const ver = r.u8('version');
      const majorVersion = ver >> 4;
      const minorVersion = ver & 0x0f;
      if (majorVersion !== 1 && majorVersion !== 2) wireFail(`IKE major version ${majorVersion} is not 1 or 2`);
      const exType = r.u8('exchange type');
      const flags = r.u8('flags');
      r.skip(4, 'message id');
      const length = r.u32be('length');
      if (length < 28 || length > buf.length) wireFail(`IKE length ${length} does not fit the ${buf.length}-byte datagram`);
      if (majorVersion === 2 && (flags & 0x20) === 0) wireFail('IKEv2 message without the Response flag');
      const body = new Reader(buf, 28, length, 'IKE payloads');
      let proposalAccepted = false;
      const notifications: string[] = [];
      const vendorIds: string[] = [];
      // An encrypted IKEv1 reply (flags bit 0) cannot be walked; the header already proved it is IKE.
      const encrypted = majorVersion === 1 && (flags & 0x01) !== 0;
      for (let i = 0; !encrypted && next !== PAYLOAD.none && i < MAX_PAYLOADS; i++) {
        const type = next;
        next = body.u8('next payload');
        body.u8('reserved/critical');
        const plen = body.u16be('payload length');
        if (plen < 4) wireFail(`payload length ${plen} is below the 4-byte generic header`);
        const p = body.sub(plen - 4, `payload type ${type}`);
        if (majorVersion === 1) {
          if (type === PAYLOAD.sa) proposalAccepted = exType === 2;
          else if (type === PAYLOAD.notify && p.remaining >= 8) {
            p.skip(4, 'DOI');
            p.u8('protocol');
            p.u8('SPI size');
            const nt = p.u16be('notify type');
            notifications.push(NOTIFY_NAMES[nt] ?? `type-${nt}`);
          } else if (type === PAYLOAD.vendorId) vendorIds.push(p.bytes(p.remaining, 'vendor id').toString('hex'));
        } else {
          // IKEv2 payload numbers (RFC 7296 §3.2): 33 SA, 41 Notify, 43 Vendor ID.
          if (type === 33) proposalAccepted = true;
          else if (type === 41 && p.remaining >= 4) {
            p.u8('protocol');
            const spiSize = p.u8('SPI size');
            const nt = p.u16be('notify type');
            p.skip(Math.min(spiSize, p.remaining), 'SPI');
            notifications.push(IKEV2_NOTIFY_NAMES[nt] ?? `type-${nt}`);
          } else if (type === 43) vendorIds.push(p.bytes(p.remaining, 'vendor id').toString('hex'));
        }
      }
      return {
        majorVersion,
        minorVersion,
        exchange: EXCHANGE_NAMES[exType] ?? `exchange-${exType}`,
        responderSpi: rspi.toString('hex'),
        proposalAccepted,
        notifications,
        vendorIds,
      };
    });
  } catch (e) {
    return { ok: false, error: `malformed IKE input: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** Microsoft's IKE daemon announces this vendor-id prefix (followed by a 4-byte build number). */
export const MICROSOFT_VENDOR_ID_PREFIX = '1e2b516905991c7d7c96fcbfb587e461';

/** An Informational NO-PROPOSAL-CHOSEN reply to `request` (tests and fake responders). */
export function encodeIkeV1Notify(request: Buffer, notifyType = 14, vendorIds: Buffer[] = []): Buffer {
  const notify = Buffer.alloc(12);
  notify[0] = vendorIds.length > 0 ? PAYLOAD.vendorId : PAYLOAD.none;
  notify.writeUInt16BE(12, 2);
  notify.writeUInt32BE(1, 4);
  notify[8] = 1;
  notify[9] = 0;
  notify.writeUInt16BE(notifyType, 10);
  const vids = vendorIds.map((v, i) => {
    const h = Buffer.alloc(4);
    h[0] = i === vendorIds.length - 1 ? PAYLOAD.none : PAYLOAD.vendorId;
    h.writeUInt16BE(4 + v.length, 2);
    return Buffer.concat([h, v]);
  });
  const header = Buffer.alloc(28);
  request.copy(header, 0, 0, 8);
  randomBytes(8).copy(header, 8);
  header[16] = PAYLOAD.notify;
  header[17] = 0x10;
  header[18] = 5;
  const total = Buffer.concat([header, notify, ...vids]);
  total.writeUInt32BE(total.length, 24);
  return total;
}

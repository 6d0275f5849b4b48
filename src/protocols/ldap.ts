// LDAP (RFC 4511 §4.1–4.5, BER per X.690): a base-scope search of the root DSE (RFC 4512 §5.1)
// — the one request every LDAP server answers without a bind — and a parser for the answers.
// The root DSE names the directory's naming contexts, which are domain facts for later probes.
import type { Parsed } from './reader.js';
import { Reader, parseWith, wireFail } from './reader.js';

export const ROOT_DSE_ATTRIBUTES = [
  'namingContexts',
  'defaultNamingContext',
  'rootDomainNamingContext',
  'dnsHostName',
  'ldapServiceName',
  'serverName',
  'supportedLDAPVersion',
  'vendorName',
  'vendorVersion',
  'domainControllerFunctionality',
  'isGlobalCatalogReady',
] as const;

function len(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  if (n <= 0xff) return Buffer.from([0x81, n]);
  if (n <= 0xffff) return Buffer.from([0x82, n >> 8, n & 0xff]);
  throw new RangeError('BER length too large');
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), len(content.length), content]);
}

function octets(s: string, tag = 0x04): Buffer {
  return tlv(tag, Buffer.from(s, 'utf8'));
}

function int(tag: number, n: number): Buffer {
  if (n < 0 || n > 0x7fffffff) throw new RangeError('INTEGER out of range');
  const bytes: number[] = [];
  let v = n;
  do {
    bytes.unshift(v & 0xff);
    v = Math.floor(v / 256);
  } while (v > 0);
  if ((bytes[0] as number) & 0x80) bytes.unshift(0);
  return tlv(tag, Buffer.from(bytes));
}

/** SearchRequest: base "", scope baseObject, filter (objectClass=*), the root DSE attributes. */
export function encodeRootDseSearch(messageId = 1, attributes: readonly string[] = ROOT_DSE_ATTRIBUTES): Buffer {
  const req = Buffer.concat([
    octets(''), // baseObject: the root DSE
    int(0x0a, 0), // scope: baseObject
    int(0x0a, 0), // derefAliases: never
    int(0x02, 0), // sizeLimit
    int(0x02, 10), // timeLimit (seconds)
    tlv(0x01, Buffer.from([0x00])), // typesOnly FALSE
    octets('objectClass', 0x87), // filter: present [7]
    tlv(0x30, Buffer.concat(attributes.map((a) => octets(a)))),
  ]);
  return tlv(0x30, Buffer.concat([int(0x02, messageId), tlv(0x63, req)])); // [APPLICATION 3] SearchRequest
}

/** UnbindRequest ([APPLICATION 2] NULL), polite close after the search. */
export function encodeUnbind(messageId = 2): Buffer {
  return tlv(0x30, Buffer.concat([int(0x02, messageId), Buffer.from([0x42, 0x00])]));
}

/** Largest single LDAP message we read during identification. */
export const MAX_LDAP_MESSAGE = 256 * 1024;

/** Completeness test for `Stream.readMessage`: one BER SEQUENCE, or everything if it is not one. */
export function ldapMessageLength(buf: Buffer): number {
  if (buf.length === 0) return 0;
  if (buf[0] !== 0x30) return buf.length;
  if (buf.length < 2) return 0;
  const first = buf[1] as number;
  if (first < 0x80) return 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4) return buf.length;
  if (buf.length < 2 + n) return 0;
  let l = 0;
  for (let i = 0; i < n; i++) l = l * 256 + (buf[2 + i] as number);
  return 2 + n + l;
}

function readLength(r: Reader): number {
  const first = r.u8('BER length');
  if (first < 0x80) return first;
  const n = first & 0x7f;
  if (n === 0) wireFail('indefinite BER length is not allowed in LDAP (RFC 4511 §5.1)');
  if (n > 4) wireFail(`BER length of ${n} bytes is absurd`);
  let l = 0;
  for (let i = 0; i < n; i++) l = l * 256 + r.u8('BER length');
  return l;
}

function element(r: Reader, what: string): { tag: number; body: Reader } {
  const tag = r.u8(`${what} tag`);
  return { tag, body: r.sub(readLength(r), what) };
}

function readInt(r: Reader, what: string): number {
  let v = 0;
  if (r.remaining === 0 || r.remaining > 4) wireFail(`${what}: INTEGER of ${r.remaining} bytes`);
  while (r.remaining > 0) v = v * 256 + r.u8(what);
  return v;
}

export const RESULT_CODES: Record<number, string> = {
  0: 'success',
  1: 'operationsError',
  2: 'protocolError',
  7: 'authMethodNotSupported',
  8: 'strongerAuthRequired',
  13: 'confidentialityRequired',
  32: 'noSuchObject',
  48: 'inappropriateAuthentication',
  49: 'invalidCredentials',
  50: 'insufficientAccessRights',
  52: 'unavailable',
  53: 'unwillingToPerform',
};

export type LdapMessage =
  | { messageId: number; op: 'searchResEntry'; dn: string; attributes: Record<string, string[]> }
  | { messageId: number; op: 'searchResDone'; resultCode: number; diagnostic: string }
  | { messageId: number; op: 'extendedResp'; resultCode: number; diagnostic: string }
  | { messageId: number; op: 'other'; tag: number };

/** Parse one LDAPMessage (a complete BER SEQUENCE). */
export function parseLdapMessage(buf: Buffer): Parsed<LdapMessage> {
  return parseWith(() => {
    const top = new Reader(buf, 0, buf.length, 'LDAPMessage');
    const msg = element(top, 'LDAPMessage');
    if (msg.tag !== 0x30) wireFail(`LDAPMessage must be a SEQUENCE, got tag 0x${msg.tag.toString(16)}`);
    const idEl = element(msg.body, 'messageID');
    if (idEl.tag !== 0x02) wireFail('LDAPMessage without a messageID INTEGER');
    const messageId = readInt(idEl.body, 'messageID');
    const op = element(msg.body, 'protocolOp');
    if (op.tag === 0x64) {
      const dnEl = element(op.body, 'objectName');
      const dn = dnEl.body.bytes(dnEl.body.remaining).toString('utf8');
      const attrsEl = element(op.body, 'attributes');
      const attributes: Record<string, string[]> = {};
      let count = 0;
      while (attrsEl.body.remaining > 0) {
        if (++count > 256) wireFail('more than 256 attributes in one entry');
        const pa = element(attrsEl.body, 'PartialAttribute');
        const typeEl = element(pa.body, 'attribute type');
        const type = typeEl.body.bytes(typeEl.body.remaining).toString('utf8');
        const valsEl = element(pa.body, 'attribute values');
        const vals: string[] = [];
        while (valsEl.body.remaining > 0) {
          const v = element(valsEl.body, 'attribute value');
          if (vals.length < 64) vals.push(v.body.bytes(v.body.remaining).toString('utf8'));
        }
        attributes[type] = vals;
      }
      return { messageId, op: 'searchResEntry', dn, attributes };
    }
    if (op.tag === 0x65 || op.tag === 0x78) {
      const rc = element(op.body, 'resultCode');
      if (rc.tag !== 0x0a) wireFail('LDAPResult without an ENUMERATED resultCode');
      const resultCode = readInt(rc.body, 'resultCode');
      element(op.body, 'matchedDN');
      const diagEl = element(op.body, 'diagnosticMessage');
      const diagnostic = diagEl.body.bytes(Math.min(diagEl.body.remaining, 512)).toString('utf8');
      return { messageId, op: op.tag === 0x65 ? 'searchResDone' : 'extendedResp', resultCode, diagnostic };
    }
    return { messageId, op: 'other', tag: op.tag };
  });
}

/** "DC=corp,DC=example,DC=com" → "corp.example.com"; null when the DN has no DC components. */
export function dnToDomain(dn: string): string | null {
  const parts = dn
    .split(',')
    .map((p) => p.trim())
    .filter((p) => /^dc=/i.test(p))
    .map((p) => p.slice(3).toLowerCase());
  return parts.length ? parts.join('.') : null;
}

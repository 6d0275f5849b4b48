// Identifiers for the Windows protocols (RDP, SMB, NetBIOS session, MSRPC, LDAP, SQL Server) and TLS.
// Each sends one ordinary request of its protocol and names the service only when the answer parses
// as that protocol; anything else (garbage, a close, a timeout) is "not this one" (null).
import type { ServiceInfo } from '../../core/result.js';
import type { Stream } from '../../io/transport.js';
import type { ActiveIdentifier, GreetingMatcher, IdentifyContext } from '../identify.js';
import { PROTOCOL_HYBRID, PROTOCOL_SSL, encodeConnectionRequest, failureName, parseConnectionConfirm, protocolNames, tpktLength } from '../../protocols/tpkt-x224.js';
import {
  MAX_SMB_MESSAGE,
  dialectName,
  encodeSessionRequest,
  encodeSmb1Negotiate,
  encodeSmb2Negotiate,
  parseSessionResponse,
  parseSmb1Negotiate,
  parseSmb2Negotiate,
  sessionMessageLength,
  smbKind,
} from '../../protocols/smb.js';
import { PTYPE_BIND_ACK, encodeEpmBind, parseBindAnswer, rpcPduLength } from '../../protocols/msrpc.js';
import { MAX_LDAP_MESSAGE, dnToDomain, encodeRootDseSearch, encodeUnbind, ldapMessageLength, parseLdapMessage } from '../../protocols/ldap.js';
import { ENCRYPTION_MODES, MAX_TDS_PACKET, encodePrelogin, parsePreloginResponse, sqlServerRelease, tdsPacketLength } from '../../protocols/tds.js';
import { TLS12, encodeClientHello, helloExchange, versionName } from '../../protocols/tls.js';
import { CIPHER_SUITES } from '../../protocols/tls-suites.js';

/** Read one message with the identifier's time limit; null on any I/O trouble (not this protocol). */
async function readOne(stream: Stream, complete: (b: Buffer) => number, ctx: IdentifyContext, max: number): Promise<Buffer | null> {
  try {
    return await stream.readMessage(complete, ctx.timeoutMs, max);
  } catch {
    return null;
  }
}

export const rdpIdentifier: ActiveIdentifier = {
  name: 'rdp',
  ports: [3389],
  order: 40,
  insideTls: false,
  async identify(stream, ctx) {
    // Offer SSL|HYBRID: every RDP server since 5.2 answers it with a Connection Confirm (accept or failure).
    await stream.write(encodeConnectionRequest({ requestedProtocols: PROTOCOL_SSL | PROTOCOL_HYBRID }));
    const raw = await readOne(stream, tpktLength, ctx, 4096);
    if (!raw) return null;
    const cc = parseConnectionConfirm(raw);
    if (!cc.ok) return null;
    const n = cc.value.negotiation;
    const evidence =
      n.type === 'response'
        ? `X.224 Connection Confirm, RDP_NEG_RSP selected ${protocolNames(n.selectedProtocol)}`
        : n.type === 'failure'
          ? `X.224 Connection Confirm, RDP_NEG_FAILURE ${failureName(n.failureCode)}`
          : 'X.224 Connection Confirm without negotiation (Standard RDP Security only)';
    return { name: 'rdp', tls: false, method: 'handshake', evidence };
  },
};

/** SMB on an already-open session: SMB1 multi-protocol NEGOTIATE, then SMB2 NEGOTIATE if the server picks SMB2. */
async function smbDialect(stream: Stream, ctx: IdentifyContext): Promise<{ product: string; extra: Record<string, string> } | null> {
  // MS-SMB2 3.2.4.2.2.1: the "SMB 2.???" dialect string makes an SMB2 server answer with SMB2 (0x02FF),
  // while an SMB1-only server still answers in SMB1 — one request tells both kinds apart.
  await stream.write(encodeSmb1Negotiate(['NT LM 0.12', 'SMB 2.002', 'SMB 2.???']));
  const raw = await readOne(stream, sessionMessageLength, ctx, MAX_SMB_MESSAGE);
  if (!raw || raw[0] !== 0x00) return null;
  const payload = raw.subarray(4);
  const kind = smbKind(payload);
  if (kind === 'smb1') {
    const r = parseSmb1Negotiate(payload);
    if (!r.ok) return null;
    const extra: Record<string, string> = { dialect: 'NT LM 0.12' };
    if (r.value.domainName) extra.domain = r.value.domainName;
    if (r.value.serverName) extra.netbiosName = r.value.serverName;
    return { product: r.value.dialectIndex === 0 ? 'SMB 1 (NT LM 0.12)' : 'SMB 1', extra };
  }
  if (kind !== 'smb2') return null;
  const first = parseSmb2Negotiate(payload);
  if (!first.ok) return null;
  let dialect = first.value.dialect;
  let mode = first.value.securityMode;
  if (dialect === 0x02ff) {
    await stream.write(encodeSmb2Negotiate({ messageId: 1 }));
    const raw2 = await readOne(stream, sessionMessageLength, ctx, MAX_SMB_MESSAGE);
    const second = raw2 && raw2[0] === 0x00 ? parseSmb2Negotiate(raw2.subarray(4)) : null;
    if (second?.ok && second.value.status === 0) {
      dialect = second.value.dialect;
      mode = second.value.securityMode;
    }
  }
  return {
    product: dialect === 0x02ff ? 'SMB 2.x' : `SMB ${dialectName(dialect)}`,
    extra: { dialect: dialectName(dialect), signing: mode & 0x02 ? 'required' : mode & 0x01 ? 'enabled' : 'off' },
  };
}

export const smbIdentifier: ActiveIdentifier = {
  name: 'smb',
  ports: [445],
  order: 45,
  insideTls: false,
  async identify(stream, ctx) {
    const d = await smbDialect(stream, ctx);
    return d ? { name: 'smb', product: d.product, tls: false, method: 'handshake', evidence: `SMB NEGOTIATE answered (${d.product})`, extra: d.extra } : null;
  },
};

export const netbiosSessionIdentifier: ActiveIdentifier = {
  name: 'netbios-ssn',
  ports: [139],
  order: 46,
  insideTls: false,
  async identify(stream, ctx) {
    await stream.write(encodeSessionRequest());
    const raw = await readOne(stream, sessionMessageLength, ctx, 1024);
    if (!raw) return null;
    const r = parseSessionResponse(raw);
    if (!r.ok) return null;
    if (!r.value.positive) {
      return { name: 'netbios-ssn', tls: false, method: 'handshake', evidence: `NetBIOS session refused: ${r.value.reason}` };
    }
    const d = await smbDialect(stream, ctx);
    return {
      name: 'netbios-ssn',
      ...(d ? { product: d.product } : {}),
      tls: false,
      method: 'handshake',
      evidence: d ? `NetBIOS session accepted, then SMB NEGOTIATE answered (${d.product})` : 'NetBIOS session accepted (no SMB answer)',
      ...(d ? { extra: d.extra } : {}),
    };
  },
};

export const msrpcIdentifier: ActiveIdentifier = {
  name: 'msrpc',
  ports: [135],
  order: 50,
  insideTls: false,
  async identify(stream, ctx) {
    await stream.write(encodeEpmBind());
    const raw = await readOne(stream, rpcPduLength, ctx, 8192);
    if (!raw) return null;
    const r = parseBindAnswer(raw);
    if (!r.ok || r.value.callId !== 1) return null;
    const ack = r.value.ptype === PTYPE_BIND_ACK;
    const evidence = ack
      ? `DCE/RPC bind_ack for the endpoint mapper (context ${r.value.contextResult === 0 ? 'accepted' : `result ${r.value.contextResult ?? '?'}`}, secondary address "${r.value.secondaryAddress ?? ''}")`
      : `DCE/RPC bind_nak (reason ${r.value.rejectReason ?? '?'})`;
    return { name: 'msrpc', ...(ack && r.value.contextResult === 0 ? { product: 'DCE/RPC endpoint mapper' } : {}), tls: false, method: 'handshake', evidence };
  },
};

export const ldapIdentifier: ActiveIdentifier = {
  name: 'ldap',
  ports: [389, 3268, 636, 3269],
  order: 55,
  insideTls: true,
  async identify(stream, ctx) {
    await stream.write(encodeRootDseSearch(1));
    const attributes: Record<string, string[]> = {};
    let sawLdap = false;
    for (let i = 0; i < 4; i++) {
      const raw = await readOne(stream, ldapMessageLength, ctx, MAX_LDAP_MESSAGE);
      if (!raw) break;
      const m = parseLdapMessage(raw);
      if (!m.ok || (m.value.messageId !== 1 && m.value.messageId !== 0)) return sawLdap ? finish() : null;
      sawLdap = true;
      if (m.value.op === 'searchResEntry') Object.assign(attributes, m.value.attributes);
      else break; // SearchResultDone, a notice of disconnection, or something else: the protocol is LDAP either way
    }
    if (!sawLdap) return null;
    try {
      await stream.write(encodeUnbind(2));
    } catch {
      /* the answer already identified the service */
    }
    return finish();

    function finish(): ServiceInfo {
      const get = (k: string): string | undefined => attributes[Object.keys(attributes).find((a) => a.toLowerCase() === k.toLowerCase()) ?? '']?.[0];
      const extra: Record<string, string> = {};
      const dnc = get('defaultNamingContext') ?? get('rootDomainNamingContext');
      const naming = Object.entries(attributes).find(([k]) => k.toLowerCase() === 'namingcontexts')?.[1] ?? [];
      if (naming.length) extra.namingContexts = naming.slice(0, 8).join('; ');
      if (dnc) extra.defaultNamingContext = dnc;
      const host = get('dnsHostName');
      if (host) extra.dnsHostName = host;
      const domain = (dnc && dnToDomain(dnc)) ?? naming.map(dnToDomain).find((d): d is string => !!d);
      if (domain) extra.domain = domain;
      const vendor = get('vendorName');
      const version = get('vendorVersion');
      const product = get('domainControllerFunctionality') !== undefined ? 'Active Directory' : vendor;
      return {
        name: 'ldap',
        ...(product ? { product } : {}),
        ...(version ? { version } : {}),
        tls: false,
        method: 'handshake',
        evidence: Object.keys(attributes).length ? `root DSE answered (${Object.keys(attributes).slice(0, 6).join(', ')})` : 'LDAP answer to a root DSE search',
        ...(Object.keys(extra).length ? { extra } : {}),
      };
    }
  },
};

export const mssqlIdentifier: ActiveIdentifier = {
  name: 'ms-sql',
  ports: [1433],
  order: 60,
  insideTls: false,
  async identify(stream, ctx) {
    await stream.write(encodePrelogin());
    const raw = await readOne(stream, tdsPacketLength, ctx, MAX_TDS_PACKET);
    if (!raw) return null;
    const r = parsePreloginResponse(raw);
    if (!r.ok || !r.value.version) return null;
    const release = sqlServerRelease(r.value.version);
    const extra: Record<string, string> = {};
    if (r.value.encryption !== undefined) extra.encryption = ENCRYPTION_MODES[r.value.encryption] ?? String(r.value.encryption);
    if (release) extra.release = `SQL Server ${release}`;
    return {
      name: 'ms-sql',
      product: 'Microsoft SQL Server',
      version: r.value.version,
      tls: false,
      method: 'handshake',
      evidence: `TDS PRELOGIN answered: VERSION ${r.value.version}${extra.encryption ? `, ENCRYPTION ${extra.encryption}` : ''}`,
      ...(Object.keys(extra).length ? { extra } : {}),
    };
  },
};

/** Suites a modern server accepts in a TLS 1.2 hello: every non-TLS-1.3 suite we know, strongest kinds first. */
const TLS12_PROBE_SUITES = [...CIPHER_SUITES.values()]
  .filter((s) => !s.tls13)
  .sort((a, b) => Number(a.weakness.length > 0) - Number(b.weakness.length > 0) || Number(b.kex === 'ECDHE') - Number(a.kex === 'ECDHE'))
  .map((s) => s.code)
  .slice(0, 100);

export const TLS_IDENTIFIER: ActiveIdentifier = {
  name: 'tls',
  ports: [443, 636, 853, 990, 993, 995, 3269, 5986, 8443],
  order: 20,
  insideTls: false,
  async identify(stream, ctx) {
    // A TLS 1.2 hello is answered by TLS 1.0–1.3 servers alike (1.3 servers negotiate down or
    // answer 1.2); a ServerHello or any TLS alert record means a TLS server.
    const hello = encodeClientHello({ version: TLS12, suites: TLS12_PROBE_SUITES, ...(ctx.hostName ? { serverName: ctx.hostName } : {}) });
    const o = await helloExchange(stream, hello, { timeoutMs: ctx.timeoutMs });
    if (o.kind === 'server-hello') {
      return { name: 'tls', tls: true, method: 'handshake', evidence: `ServerHello ${versionName(o.hello.version)} ${o.hello.cipherName}` };
    }
    if (o.kind === 'alert') {
      return { name: 'tls', tls: true, method: 'handshake', evidence: `TLS alert ${o.alert.name} to a TLS 1.2 ClientHello` };
    }
    return null;
  },
};

export const WINDOWS_GREETINGS: readonly GreetingMatcher[] = [];

/**
 * TLS_IDENTIFIER is a member of `active` like the others; the orchestrator also receives it as
 * `catalog.tls` and moves it to the front on ports without a hint.
 */
export const WINDOWS_ACTIVE: readonly ActiveIdentifier[] = [
  TLS_IDENTIFIER,
  rdpIdentifier,
  smbIdentifier,
  netbiosSessionIdentifier,
  msrpcIdentifier,
  ldapIdentifier,
  mssqlIdentifier,
];


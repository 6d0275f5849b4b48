// Probe `rdp`: the security layer, NLA, encryption level and port of an RDP listener, plus the TLS
// checks on the socket the X.224 negotiation upgraded (MS-RDPBCGR 2.2.1.1–2.2.1.4, 5.3, 5.4).
//
// Verdicts come from RDP_NEG_RSP.selectedProtocol and RDP_NEG_FAILURE.failureCode, one fresh
// connection per offer. Trap (PROTOCOLS.md §RDP): a server that answers every offer with
// PROTOCOL_RDP must not be reported as supporting CredSSP — an answer is read, never just counted.
import type { Stream, TlsInfo } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe, hexBytes } from './define.js';
import type { ConnectResponse, Negotiation } from '../protocols/tpkt-x224.js';
import {
  ENCRYPTION_LEVELS,
  ENCRYPTION_METHOD_128BIT,
  ENCRYPTION_METHOD_40BIT,
  ENCRYPTION_METHOD_56BIT,
  ENCRYPTION_METHOD_FIPS,
  PROTOCOL_HYBRID,
  PROTOCOL_RDP,
  PROTOCOL_SSL,
  encodeConnectInitial,
  encodeConnectionRequest,
  encryptionMethodName,
  failureName,
  mcsResultName,
  parseConnectResponse,
  parseConnectionConfirm,
  protocolNames,
  rdpVersionName,
  tpktLength,
} from '../protocols/tpkt-x224.js';
import { TLS_CHECKS, tlsChecks } from './tls.js';

const POLICY = 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services';
const LISTENER = 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server\\WinStations\\RDP-Tcp';

const RDP_CHECKS = [
  {
    id: 'rdp-standard-security-allowed',
    title: 'RDP accepts Standard RDP Security (no TLS)',
    severity: 'high',
    remediation: `Set SecurityLayer=2 (SSL/TLS) in ${POLICY} (policy "Require use of specific security layer for remote (RDP) connections" = SSL), or in ${LISTENER} when no policy applies; the policy value wins when both exist.`,
    references: ['https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpbcgr/5073f4ed-1e93-45e1-b039-6e30c385867c'],
  },
  {
    id: 'rdp-nla-not-required',
    title: 'RDP does not require Network Level Authentication',
    severity: 'high',
    remediation: `Set UserAuthentication=1 in ${POLICY} (policy "Require user authentication for remote connections by using Network Level Authentication" = Enabled), or in ${LISTENER}; the policy value wins when both exist.`,
    references: ['https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpbcgr/db98be20-2a8f-4e39-9cad-6b2ab5c1bc1a'],
  },
  {
    id: 'rdp-encryption-level-low',
    title: 'RDP Standard Security negotiates a low encryption level or a 40/56-bit method',
    severity: 'high',
    remediation: `Set MinEncryptionLevel=3 (High) or 4 (FIPS) in ${POLICY} (policy "Set client connection encryption level" = High Level), or in ${LISTENER}; better, require the TLS security layer (SecurityLayer=2) so Standard RDP Security is never used.`,
    references: ['https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-rdpbcgr/3753a6f0-9e9e-4b77-a3d6-1c4a0c5d3f7d'],
  },
  {
    id: 'rdp-default-port',
    title: 'RDP answers on the default port 3389',
    severity: 'low',
    remediation: `Move the listener (${LISTENER} PortNumber, DWORD) to another port, add a Windows Firewall inbound rule for the new port limited to the admin addresses, and remove the 3389 rule; this only reduces noise, it protects nothing by itself.`,
    references: ['https://learn.microsoft.com/en-us/windows-server/remote/remote-desktop-services/clients/change-listening-port'],
  },
] as const satisfies readonly CheckMeta[];

type NegResult =
  | { ok: true; negotiation: Negotiation; stream: Stream; received: string }
  | { ok: false; detail: string; received?: string };

function describeNeg(n: Negotiation): string {
  switch (n.type) {
    case 'response':
      return `RDP_NEG_RSP selectedProtocol=${protocolNames(n.selectedProtocol)} (${n.selectedProtocol})`;
    case 'failure':
      return `RDP_NEG_FAILURE ${failureName(n.failureCode)} (${n.failureCode})`;
    case 'none':
      return 'Connection Confirm without any negotiation structure (Standard RDP Security only)';
  }
}

function stepMs(ctx: ProbeContext, deadline: number): number {
  return Math.max(100, Math.min(5_000, deadline - Date.now() - 100));
}

/** One fresh connection: X.224 CR offering `protocols`, read and parse the Connection Confirm. The stream stays open on success. */
async function negotiate(ctx: ProbeContext, deadline: number, protocols: number): Promise<NegResult> {
  if (deadline - Date.now() < 150 || ctx.signal.aborted) return { ok: false, detail: 'time budget used up before this exchange' };
  let stream: Stream;
  try {
    stream = await ctx.io.connect(ctx.address, ctx.port, { timeoutMs: stepMs(ctx, deadline), signal: ctx.signal });
  } catch (e) {
    return { ok: false, detail: `connection failed: ${(e as Error).message}` };
  }
  try {
    await stream.write(encodeConnectionRequest({ requestedProtocols: protocols }));
    const raw = await stream.readMessage(tpktLength, stepMs(ctx, deadline), 4096);
    const cc = parseConnectionConfirm(raw);
    if (!cc.ok) {
      stream.close();
      return { ok: false, detail: cc.error, received: hexBytes(raw) };
    }
    return { ok: true, negotiation: cc.value.negotiation, stream, received: hexBytes(raw) };
  } catch (e) {
    stream.close();
    const partial = e instanceof IoError && e.partial?.length ? hexBytes(e.partial) : undefined;
    return { ok: false, detail: e instanceof IoError ? `${e.kind}: ${e.message}` : String(e), ...(partial ? { received: partial } : {}) };
  }
}

type McsResult = { ok: true; response: ConnectResponse; received: string } | { ok: false; detail: string; received?: string };

/** Standard RDP Security path: X.224 (PROTOCOL_RDP, or no negotiation for old servers) then MCS Connect-Initial. */
async function connectInitial(ctx: ProbeContext, deadline: number, methods: number, withNegotiation: boolean): Promise<McsResult> {
  if (deadline - Date.now() < 150 || ctx.signal.aborted) return { ok: false, detail: 'time budget used up before this exchange' };
  let stream: Stream | undefined;
  try {
    stream = await ctx.io.connect(ctx.address, ctx.port, { timeoutMs: stepMs(ctx, deadline), signal: ctx.signal });
    await stream.write(encodeConnectionRequest({ requestedProtocols: PROTOCOL_RDP, ...(withNegotiation ? {} : { withoutNegotiation: true }) }));
    const cc = parseConnectionConfirm(await stream.readMessage(tpktLength, stepMs(ctx, deadline), 4096));
    if (!cc.ok) return { ok: false, detail: `Connection Confirm: ${cc.error}` };
    const n = cc.value.negotiation;
    if (n.type === 'failure' || (n.type === 'response' && n.selectedProtocol !== PROTOCOL_RDP)) {
      return { ok: false, detail: `the server no longer selects Standard RDP Security (${describeNeg(n)})` };
    }
    await stream.write(encodeConnectInitial({ encryptionMethods: methods, selectedProtocol: PROTOCOL_RDP }));
    const raw = await stream.readMessage(tpktLength, stepMs(ctx, deadline), 16_384);
    const r = parseConnectResponse(raw);
    return r.ok ? { ok: true, response: r.value, received: hexBytes(raw) } : { ok: false, detail: r.error, received: hexBytes(raw) };
  } catch (e) {
    const partial = e instanceof IoError && e.partial?.length ? hexBytes(e.partial) : undefined;
    return { ok: false, detail: e instanceof IoError ? `${e.kind}: ${e.message}` : String(e), ...(partial ? { received: partial } : {}) };
  } finally {
    stream?.close();
  }
}

const ALL_METHODS = ENCRYPTION_METHOD_40BIT | ENCRYPTION_METHOD_56BIT | ENCRYPTION_METHOD_128BIT | ENCRYPTION_METHOD_FIPS;
const WEAK_METHODS = ENCRYPTION_METHOD_40BIT | ENCRYPTION_METHOD_56BIT;

function sessionWithoutCredSsp(offer: number, r: NegResult): boolean {
  if (!r.ok) return false;
  const n = r.negotiation;
  if (n.type === 'none') return true;
  // Only a selection we offered starts a session; RDP (0) and SSL (1) both run without CredSSP.
  return n.type === 'response' && (n.selectedProtocol === PROTOCOL_RDP || n.selectedProtocol === PROTOCOL_SSL) && (n.selectedProtocol & ~offer) === 0;
}

async function encryptionVerdict(ctx: ProbeContext, deadline: number, legacyOnly: boolean): Promise<Verdict> {
  const id = 'rdp-encryption-level-low';
  const sent = `X.224 CR (${legacyOnly ? 'no negotiation' : 'PROTOCOL_RDP'}) then MCS Connect-Initial with CS_CORE, CS_SECURITY encryptionMethods=40|56|128-bit|FIPS (0x1b), CS_NET`;
  const first = await connectInitial(ctx, deadline, ALL_METHODS, !legacyOnly);
  if (!first.ok) return { check: id, status: 'error', evidence: { summary: `MCS Connect-Initial exchange failed: ${first.detail}`, sent, ...(first.received ? { received: first.received } : {}) } };
  const resp = first.response;
  if (resp.result !== 0) return { check: id, status: 'error', evidence: { summary: `MCS Connect-Response result ${mcsResultName(resp.result)}`, sent, received: first.received } };
  const sec = resp.security;
  if (!sec) return { check: id, status: 'error', evidence: { summary: 'Connect-Response has no SC_SECURITY block', sent, received: first.received } };
  const items = [
    { label: 'encryptionLevel', value: ENCRYPTION_LEVELS[sec.encryptionLevel] ?? String(sec.encryptionLevel) },
    { label: 'encryptionMethod', value: encryptionMethodName(sec.encryptionMethod) },
    ...(resp.core ? [{ label: 'server version (SC_CORE)', value: rdpVersionName(resp.core.version) }] : []),
  ];
  const received = `SC_SECURITY encryptionMethod=${encryptionMethodName(sec.encryptionMethod)}, encryptionLevel=${ENCRYPTION_LEVELS[sec.encryptionLevel] ?? sec.encryptionLevel}`;
  if (sec.encryptionLevel <= 2 || (sec.encryptionMethod & WEAK_METHODS) !== 0) {
    return { check: id, status: 'fail', evidence: { summary: `Standard RDP Security with ${received}`, sent, received, items } };
  }
  // High/FIPS with a strong method: does a client offering only 40/56-bit still get in?
  const weak = await connectInitial(ctx, deadline, WEAK_METHODS, !legacyOnly);
  const sentBoth = `${sent}; then the same offering only 40|56-bit (0x09)`;
  if (weak.ok && weak.response.result === 0 && weak.response.security && (weak.response.security.encryptionMethod & WEAK_METHODS) !== 0) {
    return {
      check: id,
      status: 'fail',
      evidence: { summary: `level ${ENCRYPTION_LEVELS[sec.encryptionLevel]} announced, yet a 40/56-bit-only client was accepted with ${encryptionMethodName(weak.response.security.encryptionMethod)}`, sent: sentBoth, received, items },
    };
  }
  const weakNote = weak.ok ? `40/56-bit-only offer answered with ${weak.response.security ? encryptionMethodName(weak.response.security.encryptionMethod) : mcsResultName(weak.response.result)}` : `40/56-bit-only offer refused (${weak.detail})`;
  return { check: id, status: 'pass', evidence: { summary: `Standard RDP Security at ${ENCRYPTION_LEVELS[sec.encryptionLevel]} with ${encryptionMethodName(sec.encryptionMethod)}; ${weakNote}`, sent: sentBoth, received, items } };
}

export const rdpProbe = defineProbe({
  id: 'rdp',
  title: 'RDP security layer, NLA, encryption level, port and TLS',
  protocol: 'rdp',
  transport: 'tcp',
  ports: [3389],
  safety: 'safe',
  timeoutMs: 40_000,
  checks: [...RDP_CHECKS, ...TLS_CHECKS],
  appliesTo: (svc) => svc?.name === 'rdp',
  async run(ctx) {
    const deadline = Date.now() + ctx.timeoutMs - 200;
    const verdicts: Verdict[] = [];

    // One fresh connection per offer (PROTOCOLS.md §RDP).
    const rdpOnly = await negotiate(ctx, deadline, PROTOCOL_RDP);
    if (rdpOnly.ok) rdpOnly.stream.close();
    const sslOnly = await negotiate(ctx, deadline, PROTOCOL_SSL);

    // rdp-default-port: judged only when RDP answered in this run (a Connection Confirm parsed).
    if (rdpOnly.ok || sslOnly.ok) {
      verdicts.push({
        check: 'rdp-default-port',
        status: ctx.port === 3389 ? 'fail' : 'pass',
        evidence: { summary: ctx.port === 3389 ? 'RDP (X.224 Connection Confirm) answers on TCP 3389' : `RDP answers on TCP ${ctx.port}, not the default 3389`, items: [{ label: 'port', value: ctx.port }] },
      });
    } else {
      verdicts.push({ check: 'rdp-default-port', status: 'error', evidence: { summary: `no X.224 Connection Confirm in this run, so RDP on port ${ctx.port} is not confirmed: ${rdpOnly.detail}` } });
    }
    const sentRdp = 'X.224 Connection Request with RDP_NEG_REQ requestedProtocols=PROTOCOL_RDP (0)';
    const sentSsl = 'X.224 Connection Request with RDP_NEG_REQ requestedProtocols=PROTOCOL_SSL (1)';
    const rdpText = rdpOnly.ok ? describeNeg(rdpOnly.negotiation) : `error: ${rdpOnly.detail}`;
    const sslText = sslOnly.ok ? describeNeg(sslOnly.negotiation) : `error: ${sslOnly.detail}`;

    // rdp-standard-security-allowed
    const standardAllowed = rdpOnly.ok && (rdpOnly.negotiation.type === 'none' || (rdpOnly.negotiation.type === 'response' && rdpOnly.negotiation.selectedProtocol === PROTOCOL_RDP));
    if (!rdpOnly.ok) {
      verdicts.push({ check: 'rdp-standard-security-allowed', status: 'error', evidence: { summary: `the PROTOCOL_RDP offer could not be judged: ${rdpOnly.detail}`, sent: sentRdp, ...(rdpOnly.received ? { received: rdpOnly.received } : {}) } });
    } else {
      verdicts.push({
        check: 'rdp-standard-security-allowed',
        status: standardAllowed ? 'fail' : 'pass',
        evidence: {
          summary: standardAllowed ? `offered only PROTOCOL_RDP, the server answered ${rdpText}` : `offered only PROTOCOL_RDP, the server refused: ${rdpText}`,
          sent: sentRdp,
          received: rdpOnly.received,
          items: [{ label: 'answer to PROTOCOL_RDP', value: rdpText }],
        },
      });
    }

    // rdp-nla-not-required: any offer without CredSSP that starts a session fails it.
    {
      const failing = [sessionWithoutCredSsp(PROTOCOL_RDP, rdpOnly) ? `PROTOCOL_RDP → ${rdpText}` : null, sessionWithoutCredSsp(PROTOCOL_SSL, sslOnly) ? `PROTOCOL_SSL → ${sslText}` : null].filter(
        (x): x is string => x !== null,
      );
      const items = [
        { label: 'answer to PROTOCOL_RDP', value: rdpText },
        { label: 'answer to PROTOCOL_SSL', value: sslText },
      ];
      const sent = `${sentRdp}; ${sentSsl} (separate connections)`;
      if (failing.length) {
        verdicts.push({ check: 'rdp-nla-not-required', status: 'fail', evidence: { summary: `a client without CredSSP gets a session start: ${failing.join('; ')}`, sent, items } });
      } else if (!rdpOnly.ok || !sslOnly.ok) {
        verdicts.push({ check: 'rdp-nla-not-required', status: 'error', evidence: { summary: `could not judge every offer: ${!rdpOnly.ok ? `PROTOCOL_RDP: ${rdpOnly.detail}` : ''}${!sslOnly.ok ? ` PROTOCOL_SSL: ${sslOnly.detail}` : ''}`.trim(), sent, items } });
      } else {
        verdicts.push({ check: 'rdp-nla-not-required', status: 'pass', evidence: { summary: `both non-CredSSP offers refused: PROTOCOL_RDP → ${rdpText}; PROTOCOL_SSL → ${sslText}`, sent, items } });
      }
    }

    // rdp-encryption-level-low: only meaningful where Standard RDP Security is allowed.
    if (!rdpOnly.ok) {
      verdicts.push({ check: 'rdp-encryption-level-low', status: 'error', evidence: { summary: `cannot tell whether Standard RDP Security is used: ${rdpOnly.detail}` } });
    } else if (!standardAllowed) {
      verdicts.push({ check: 'rdp-encryption-level-low', status: 'not-applicable', evidence: { summary: `Standard RDP Security is refused (${rdpText}); TLS carries the encryption`, sent: sentRdp } });
    } else {
      verdicts.push(await encryptionVerdict(ctx, deadline, rdpOnly.negotiation.type === 'none'));
    }

    // TLS after negotiation, on the same socket the server agreed to upgrade.
    let tlsProtocols = 0;
    let info: TlsInfo | undefined;
    let tlsError = '';
    let tlsRefusedCleanly = false;
    let upgradeStream: Stream | undefined;
    if (sslOnly.ok && sslOnly.negotiation.type === 'response' && sslOnly.negotiation.selectedProtocol === PROTOCOL_SSL) {
      tlsProtocols = PROTOCOL_SSL;
      upgradeStream = sslOnly.stream;
    } else {
      if (sslOnly.ok) sslOnly.stream.close();
      // NLA-enforcing servers still speak TLS first (CredSSP runs inside it): offer SSL|HYBRID.
      const hybrid = await negotiate(ctx, deadline, PROTOCOL_SSL | PROTOCOL_HYBRID);
      if (hybrid.ok && hybrid.negotiation.type === 'response' && (hybrid.negotiation.selectedProtocol === PROTOCOL_SSL || hybrid.negotiation.selectedProtocol === PROTOCOL_HYBRID)) {
        tlsProtocols = PROTOCOL_SSL | PROTOCOL_HYBRID;
        upgradeStream = hybrid.stream;
      } else {
        if (hybrid.ok) hybrid.stream.close();
        // A readable answer that selects no TLS protocol (e.g. PROTOCOL_RDP to every offer) means the listener has no TLS.
        tlsRefusedCleanly = hybrid.ok && sslOnly.ok;
        tlsError = hybrid.ok ? `PROTOCOL_SSL|PROTOCOL_HYBRID → ${describeNeg(hybrid.negotiation)}` : `PROTOCOL_SSL|PROTOCOL_HYBRID → error: ${hybrid.detail}`;
      }
    }
    if (upgradeStream) {
      try {
        const sni = ctx.hostNames.find((n) => !/^[0-9.:]+$/.test(n));
        info = await upgradeStream.startTls({ timeoutMs: stepMs(ctx, deadline), minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0', ...(sni ? { servername: sni } : {}) });
      } catch (e) {
        tlsError = `TLS upgrade after negotiation failed: ${(e as Error).message}`;
      } finally {
        upgradeStream.close();
      }
    }
    if (tlsProtocols === 0) {
      for (const c of TLS_CHECKS) {
        verdicts.push(
          tlsRefusedCleanly
            ? { check: c.id, status: 'not-applicable', evidence: { summary: `the listener negotiates no TLS: PROTOCOL_SSL → ${sslText}; ${tlsError}` } }
            : { check: c.id, status: 'error', evidence: { summary: `no TLS session could be negotiated: ${tlsError || sslText}` } },
        );
      }
      return verdicts;
    }
    const via = `after RDP negotiation (${protocolNames(tlsProtocols)})`;
    const left = deadline - Date.now();
    verdicts.push(
      ...(await tlsChecks(
        { ...ctx, timeoutMs: Math.max(500, left) },
        {
          via,
          ...(info ? { certificate: info } : {}),
          open: async () => {
            const r = await negotiate(ctx, deadline, tlsProtocols);
            if (!r.ok) throw new IoError('other', `RDP negotiation before TLS failed: ${r.detail}`);
            if (r.negotiation.type !== 'response' || r.negotiation.selectedProtocol === PROTOCOL_RDP) {
              r.stream.close();
              throw new IoError('other', `RDP negotiation before TLS: ${describeNeg(r.negotiation)}`);
            }
            return r.stream;
          },
        },
      )),
    );
    return verdicts;
  },
});

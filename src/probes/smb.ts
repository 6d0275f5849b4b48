// Probe `smb`: SMB1 still accepted, and SMB signing not required (MS-SMB2 2.2.3/2.2.4, MS-CIFS
// 2.2.4.52). Two fresh connections: an SMB2 NEGOTIATE offering 2.0.2–3.1.1 with the 3.1.1 contexts,
// and an SMB1 NEGOTIATE offering only "NT LM 0.12". On 139 each starts with a NetBIOS session request.
//
// Trap (PROTOCOLS.md §SMB): the SMB1 security mode says nothing about a server where SMB1 is off.
// Signing is judged from the SMB2 answer whenever the server speaks SMB2; the SMB1 bit 0x08 is read
// only for SMB1-only servers.
import type { Stream } from '../io/transport.js';
import { IoError } from '../io/transport.js';
import type { CheckMeta, ProbeContext, Verdict } from './define.js';
import { defineProbe, hexBytes } from './define.js';
import type { Smb1NegotiateResponse, Smb2NegotiateResponse } from '../protocols/smb.js';
import {
  CIPHERS,
  MAX_SMB_MESSAGE,
  SIGNING_ALGORITHMS,
  dialectName,
  encodeSessionRequest,
  encodeSmb1Negotiate,
  encodeSmb2Negotiate,
  parseSessionResponse,
  parseSmb1Negotiate,
  parseSmb2Negotiate,
  sessionMessageLength,
  smbKind,
} from '../protocols/smb.js';

const LANMAN = 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters';

const SMB_CHECKS = [
  {
    id: 'smb-v1-enabled',
    title: 'SMB server accepts SMB1 (NT LM 0.12)',
    severity: 'high',
    remediation: `Turn SMB1 off on the server: Set-SmbServerConfiguration -EnableSMB1Protocol $false (registry ${LANMAN}\\SMB1=0, DWORD), and remove the FS-SMB1 feature (Uninstall-WindowsFeature FS-SMB1 / Disable-WindowsOptionalFeature -Online -FeatureName SMB1Protocol).`,
    references: ['https://learn.microsoft.com/en-us/windows-server/storage/file-server/troubleshoot/detect-enable-and-disable-smbv1-v2-v3'],
  },
  {
    id: 'smb-signing-not-required',
    title: 'SMB server does not require signing',
    severity: 'medium',
    remediation: `Require SMB signing on the server: ${LANMAN}\\RequireSecuritySignature=1 (policy "Microsoft network server: Digitally sign communications (always)" = Enabled; secedit MACHINE\\System\\CurrentControlSet\\Services\\LanManServer\\Parameters\\RequireSecuritySignature=4,1), or Set-SmbServerConfiguration -RequireSecuritySignature $true.`,
    references: ['https://learn.microsoft.com/en-us/troubleshoot/windows-server/networking/overview-server-message-block-signing'],
  },
] as const satisfies readonly CheckMeta[];

type Answer<T> =
  | { kind: 'answer'; value: T; received: string }
  /** The server ended the connection or answered with the other SMB generation: a refusal. */
  | { kind: 'refused'; detail: string; received?: string }
  | { kind: 'error'; detail: string; received?: string };

function stepMs(deadline: number): number {
  return Math.max(100, Math.min(5_000, deadline - Date.now() - 100));
}

/** Open a connection ready for SMB: on 139 (NetBIOS session service) after a positive session response. */
export async function openSmbSession(ctx: Pick<ProbeContext, 'io' | 'address' | 'port' | 'signal'>, netbios: boolean, timeoutMs: number): Promise<Stream> {
  const stream = await ctx.io.connect(ctx.address, ctx.port, { timeoutMs, signal: ctx.signal });
  if (!netbios) return stream;
  try {
    await stream.write(encodeSessionRequest());
    const raw = await stream.readMessage(sessionMessageLength, timeoutMs, 1024);
    const r = parseSessionResponse(raw);
    if (!r.ok) throw new IoError('other', `NetBIOS session request: ${r.error}`, raw);
    if (!r.value.positive) throw new IoError('other', `NetBIOS session refused: ${r.value.reason}`, raw);
    return stream;
  } catch (e) {
    stream.close();
    throw e;
  }
}

async function exchange<T>(
  ctx: ProbeContext,
  deadline: number,
  netbios: boolean,
  request: Buffer,
  want: 'smb1' | 'smb2',
  parse: (payload: Buffer) => { ok: true; value: T } | { ok: false; error: string },
): Promise<Answer<T>> {
  if (deadline - Date.now() < 150 || ctx.signal.aborted) return { kind: 'error', detail: 'time budget used up before this exchange' };
  let stream: Stream | undefined;
  try {
    stream = await openSmbSession(ctx, netbios, stepMs(deadline));
  } catch (e) {
    return { kind: 'error', detail: `could not open an SMB session: ${(e as Error).message}` };
  }
  try {
    await stream.write(request);
    // Session keep-alives (0x85) may precede the answer; skip a few.
    for (let i = 0; i < 4; i++) {
      const raw = await stream.readMessage(sessionMessageLength, stepMs(deadline), MAX_SMB_MESSAGE);
      if (raw[0] === 0x85) continue;
      if (raw[0] !== 0x00) return { kind: 'error', detail: `session packet type 0x${(raw[0] ?? 0).toString(16)} where an SMB message was expected`, received: hexBytes(raw) };
      const payload = raw.subarray(4);
      const kind = smbKind(payload);
      if (kind === 'other') return { kind: 'error', detail: 'the answer is not SMB', received: hexBytes(raw) };
      if (kind !== want) return { kind: 'refused', detail: `answered with ${kind === 'smb2' ? 'SMB2' : 'SMB1'} instead`, received: hexBytes(raw) };
      const p = parse(payload);
      return p.ok ? { kind: 'answer', value: p.value, received: hexBytes(raw) } : { kind: 'error', detail: p.error, received: hexBytes(raw) };
    }
    return { kind: 'error', detail: 'only keep-alives, no SMB answer' };
  } catch (e) {
    const partial = e instanceof IoError && e.partial?.length ? hexBytes(e.partial) : undefined;
    if (e instanceof IoError && (e.kind === 'closed' || e.kind === 'reset') && !partial) {
      return { kind: 'refused', detail: `the server ${e.kind === 'reset' ? 'reset' : 'closed'} the connection without answering` };
    }
    return { kind: 'error', detail: e instanceof IoError ? `${e.kind}: ${e.message}` : String(e), ...(partial ? { received: partial } : {}) };
  } finally {
    stream.close();
  }
}

function smb2Items(r: Smb2NegotiateResponse): Array<{ label: string; value: string | number | boolean | null }> {
  return [
    { label: 'highest dialect', value: dialectName(r.dialect) },
    { label: 'SecurityMode', value: `0x${r.securityMode.toString(16).padStart(2, '0')} (signing ${r.securityMode & 0x02 ? 'required' : r.securityMode & 0x01 ? 'enabled, not required' : 'off'})` },
    ...(r.cipher !== undefined ? [{ label: '3.1.1 cipher', value: CIPHERS[r.cipher] ?? `0x${r.cipher.toString(16)}` }] : []),
    ...(r.signingAlgorithm !== undefined ? [{ label: '3.1.1 signing algorithm', value: SIGNING_ALGORITHMS[r.signingAlgorithm] ?? `0x${r.signingAlgorithm.toString(16)}` }] : []),
    { label: 'ServerGuid', value: r.serverGuid },
    ...(r.systemTime ? [{ label: 'server clock', value: r.systemTime }] : []),
  ];
}

function smb1Mode(m: number): string {
  return `0x${m.toString(16).padStart(2, '0')} (${m & 0x01 ? 'user' : 'share'}-level, signing ${m & 0x08 ? 'required' : m & 0x04 ? 'enabled, not required' : 'off'})`;
}

export const smbProbe = defineProbe({
  id: 'smb',
  title: 'SMB1 acceptance and signing requirement',
  protocol: 'smb',
  transport: 'tcp',
  ports: [445, 139],
  safety: 'safe',
  timeoutMs: 15_000,
  checks: SMB_CHECKS,
  appliesTo: (svc) => svc?.name === 'smb' || svc?.name === 'netbios-ssn',
  async run(ctx) {
    const deadline = Date.now() + ctx.timeoutMs - 200;
    const netbios = ctx.service?.name === 'netbios-ssn' || (ctx.service?.name !== 'smb' && ctx.port === 139);
    const via = netbios ? ' after a NetBIOS session request to *SMBSERVER' : '';
    const sent2 = `SMB2 NEGOTIATE offering ${['2.0.2', '2.1', '3.0', '3.0.2', '3.1.1'].join(', ')} with PREAUTH_INTEGRITY, ENCRYPTION and SIGNING contexts${via}`;
    const sent1 = `SMB1 NEGOTIATE offering only "NT LM 0.12"${via} (separate connection)`;
    const smb2 = await exchange(ctx, deadline, netbios, encodeSmb2Negotiate(), 'smb2', parseSmb2Negotiate);
    const smb1 = await exchange(ctx, deadline, netbios, encodeSmb1Negotiate(), 'smb1', parseSmb1Negotiate);
    const verdicts: Verdict[] = [];

    const smb2Ok = smb2.kind === 'answer' && smb2.value.status === 0;
    const smb1Accepted = smb1.kind === 'answer' && smb1.value.status === 0 && smb1.value.dialectIndex === 0;
    const smb1Text =
      smb1.kind === 'answer'
        ? `SMB1 NEGOTIATE response, status 0x${smb1.value.status.toString(16).padStart(8, '0')}, DialectIndex ${smb1.value.dialectIndex === 0xffff ? '0xFFFF (none)' : smb1.value.dialectIndex}${smb1.value.securityMode !== undefined ? `, SecurityMode ${smb1Mode(smb1.value.securityMode)}` : ''}`
        : smb1.detail;

    if (smb1.kind === 'answer' && smb1.value.domainName) {
      ctx.learn({ kind: 'domain', value: smb1.value.domainName.toLowerCase(), source: `SMB1 NEGOTIATE DomainName on port ${ctx.port}` });
    }

    // smb-v1-enabled
    if (smb1Accepted) {
      const v = smb1.value as Smb1NegotiateResponse;
      verdicts.push({
        check: 'smb-v1-enabled',
        status: 'fail',
        evidence: {
          summary: `SMB1 accepted: ${smb1Text}`,
          sent: sent1,
          received: smb1.kind === 'answer' ? smb1.received : '',
          items: [
            { label: 'dialect', value: 'NT LM 0.12' },
            ...(v.domainName ? [{ label: 'domain/workgroup', value: v.domainName }] : []),
            ...(v.serverName ? [{ label: 'server name', value: v.serverName }] : []),
          ],
        },
      });
    } else if (smb1.kind === 'answer' || (smb1.kind === 'refused' && smb2Ok)) {
      // An explicit SMB1 refusal stands alone; a silent close counts only when the same server speaks SMB2.
      verdicts.push({
        check: 'smb-v1-enabled',
        status: 'pass',
        evidence: { summary: `SMB1 refused: ${smb1Text}${smb1.kind === 'refused' ? ' (the server answers SMB2, so SMB1 is off)' : ''}`, sent: sent1, ...(smb1.received ? { received: smb1.received } : {}) },
      });
    } else {
      verdicts.push({
        check: 'smb-v1-enabled',
        status: 'error',
        evidence: { summary: `no usable answer: SMB1 ${smb1Text}; SMB2 ${smb2.kind === 'answer' ? `status 0x${smb2.value.status.toString(16)}` : smb2.detail}`, sent: sent1, ...(smb1.received ? { received: smb1.received } : {}) },
      });
    }

    // smb-signing-not-required
    if (smb2Ok) {
      const r = smb2.value;
      const required = (r.securityMode & 0x02) !== 0;
      verdicts.push({
        check: 'smb-signing-not-required',
        status: required ? 'pass' : 'fail',
        evidence: {
          summary: `SMB2 NEGOTIATE response (dialect ${dialectName(r.dialect)}): SecurityMode 0x${r.securityMode.toString(16).padStart(2, '0')} — signing ${required ? 'required' : r.securityMode & 0x01 ? 'enabled but not required' : 'not enabled'}`,
          sent: sent2,
          received: smb2.received,
          items: smb2Items(r),
        },
      });
    } else if (smb1Accepted && smb1.value.securityMode !== undefined && (smb2.kind === 'refused' || (smb2.kind === 'answer' && smb2.value.status !== 0))) {
      const m = smb1.value.securityMode;
      const required = (m & 0x08) !== 0;
      verdicts.push({
        check: 'smb-signing-not-required',
        status: required ? 'pass' : 'fail',
        evidence: {
          summary: `SMB1-only server (SMB2 ${smb2.kind === 'refused' ? smb2.detail : 'refused'}): SMB1 SecurityMode ${smb1Mode(m)}`,
          sent: `${sent2}; ${sent1}`,
          received: smb1.received,
          items: [{ label: 'SMB1 SecurityMode', value: smb1Mode(m) }],
        },
      });
    } else {
      verdicts.push({
        check: 'smb-signing-not-required',
        status: 'error',
        evidence: {
          summary: `no SMB2 NEGOTIATE answer to judge (${smb2.kind === 'answer' ? `status 0x${smb2.value.status.toString(16).padStart(8, '0')}` : smb2.detail}) and no SMB1-only answer to fall back on`,
          sent: sent2,
          ...(smb2.kind !== 'answer' && smb2.received ? { received: smb2.received } : {}),
        },
      });
    }
    return verdicts;
  },
});

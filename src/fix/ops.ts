// Fix operations as plain data. A rule only *describes* the change; a later stage renders each
// operation to PowerShell with -WhatIf, a backup of the value it replaces and a rollback step.
// Every operation therefore names exactly what it touches (key + value name, INF section + key,
// config section + attribute + location …) so the renderer can read the current value first.
//
// Conventions:
// - Registry keys are full paths with the hive abbreviation: `HKLM\SYSTEM\CurrentControlSet\...`.
// - Principals are either SIDs written the way secedit writes them (`*S-1-5-32-544`) or names.
// - `reason` is one short sentence the rendered script prints as a comment before the change.

export type RegistryValueKind = 'REG_DWORD' | 'REG_QWORD' | 'REG_SZ' | 'REG_EXPAND_SZ' | 'REG_MULTI_SZ' | 'REG_BINARY';

export interface SetRegistryValue {
  op: 'setRegistryValue';
  key: string;
  name: string;
  kind: RegistryValueKind;
  /** Numbers for DWORD/QWORD, strings for SZ/EXPAND_SZ, string lists for MULTI_SZ, hex for BINARY. */
  value: number | string | readonly string[];
  reason: string;
}

export interface DeleteRegistryValue {
  op: 'deleteRegistryValue';
  key: string;
  name: string;
  reason: string;
}

/** Sections of a `secedit /export` INF that a fix may write. */
export type SecurityPolicySection = 'System Access' | 'Event Audit' | 'Registry Values' | 'Service General Setting';

export interface SetSecurityPolicy {
  op: 'setSecurityPolicy';
  section: SecurityPolicySection;
  /** The INF key, e.g. `EnableGuestAccount` or, under Registry Values, `MACHINE\System\...\RequireSecuritySignature`. */
  key: string;
  /** The value exactly as the INF line carries it after `=` (e.g. `0`, `"Admin2"`, `4,1`). */
  value: string;
  reason: string;
}

export interface SetPrivilegeRight {
  op: 'setPrivilegeRight';
  /** The user-right constant, e.g. `SeRemoteInteractiveLogonRight`. */
  right: string;
  /** `replace` writes exactly `principals`; `add` / `remove` edit the current list. */
  mode: 'replace' | 'add' | 'remove';
  principals: readonly string[];
  reason: string;
}

export interface DisableService {
  op: 'disableService';
  /** Short (key) name as in `HKLM\SYSTEM\CurrentControlSet\Services\<name>`. */
  service: string;
  displayName?: string;
  /**
   * Services known (from the bundle) to depend on this one. The rendered script must list the live
   * dependents again (`Get-Service -DependentServices`) and stop before changing anything when any
   * of them is running and not also being disabled.
   */
  dependentsToCheck: readonly string[];
  /** Stop the service now as well as setting its start type to Disabled. */
  stop: boolean;
  reason: string;
}

export type ServiceStartMode = 'automatic' | 'automatic-delayed' | 'manual' | 'disabled';

export interface SetServiceStartMode {
  op: 'setServiceStartMode';
  service: string;
  startMode: ServiceStartMode;
  reason: string;
}

/** IIS configuration edit at a commit path (`appcmd set config <location> -section:… /attr:value`). */
export interface IisSetConfig {
  op: 'iisSetConfig';
  /** Section path, e.g. `system.webServer/directoryBrowse`. */
  section: string;
  /** Element path below the section (`requestLimits`, `denyByRequestRate`); empty for the section element. */
  element: string;
  attribute: string;
  value: string | number | boolean;
  /**
   * `<location path>` the change is written under: `''` = server level (applicationHost.config
   * root), otherwise `Site` or `Site/app`.
   */
  location: string;
  reason: string;
}

export interface IisDenyVerb {
  op: 'iisDenyVerb';
  verb: string;
  /** `''` = server level, otherwise `Site` or `Site/app`. */
  location: string;
  reason: string;
}

export interface IisRemoveModule {
  op: 'iisRemoveModule';
  module: string;
  /** `global` removes the native module from globalModules (server-wide); `site` removes it from `modules` at a location. */
  scope: 'global' | 'site';
  location: string;
  reason: string;
}

/** `Set-DnsServerPrimaryZone -SecureSecondaries`; `dnscmd /ZoneResetSecondaries`. */
export type ZoneTransferPolicy = 'NoTransfer' | 'TransferToZoneNameServer' | 'TransferToSecureServers';

export interface SetDnsZoneTransferPolicy {
  op: 'setDnsZoneTransferPolicy';
  zone: string;
  policy: ZoneTransferPolicy;
  /** Required with TransferToSecureServers: the servers allowed to transfer. */
  secondaryServers: readonly string[];
  reason: string;
}

export interface SetDnsServerSetting {
  op: 'setDnsServerSetting';
  /** The `dnscmd /Config` property name (`EnableVersionQuery`, `NoRecursion`, `SecureResponses`, `ListenAddresses`). */
  setting: string;
  value: number | boolean | readonly string[];
  /** Per-zone setting (`AllowUpdate`) when present; server-wide otherwise. */
  zone?: string;
  reason: string;
}

export type FirewallProfile = 'Domain' | 'Private' | 'Public';

export interface SetFirewallRule {
  op: 'setFirewallRule';
  /** Rule display name; an existing rule with this name is updated, otherwise one is created. */
  name: string;
  direction: 'inbound' | 'outbound';
  action: 'allow' | 'block';
  protocol: 'TCP' | 'UDP';
  localPorts: readonly number[];
  /** `[]` means "ask the operator": the renderer must not open a port to Any by default. */
  remoteAddresses: readonly string[];
  profiles: readonly FirewallProfile[];
  enabled: boolean;
  reason: string;
}

export interface SetFirewallProfile {
  op: 'setFirewallProfile';
  profile: FirewallProfile;
  enabled: boolean;
  defaultInboundAction: 'block' | 'allow';
  reason: string;
}

export interface SetAuditPolicy {
  op: 'setAuditPolicy';
  /** Subcategory GUID in braces, the language-independent key `auditpol /set /subcategory:{GUID}` accepts. */
  subcategoryGuid: string;
  /** English name, for the comment only. */
  subcategory: string;
  success: boolean;
  failure: boolean;
  reason: string;
}

export interface RenameAccount {
  op: 'renameAccount';
  /** Relative id of a well-known account (500 Administrator, 501 Guest), when the account is one. */
  rid?: number;
  currentName: string;
  /** Absent: the renderer must ask the operator for a name (never invent one). */
  newName?: string;
  reason: string;
}

export interface DisableAccount {
  op: 'disableAccount';
  name: string;
  rid?: number;
  reason: string;
}

export type AclRight = 'FullControl' | 'Modify' | 'ReadAndExecute' | 'Read' | 'Write';

export interface AclGrant {
  principal: string;
  rights: AclRight;
  /** Containers and objects inherit the entry (`(OI)(CI)`). */
  inherit: boolean;
}

export interface SetAcl {
  op: 'setAcl';
  target: 'file' | 'registry';
  /** Folder/file path, or a full registry key path. */
  path: string;
  /** Stop inheriting from the parent and copy nothing: the ACL becomes exactly `grants`. */
  protect: boolean;
  grants: readonly AclGrant[];
  /** Principals whose entries are removed. */
  removePrincipals: readonly string[];
  reason: string;
}

export interface InstallUpdates {
  op: 'installUpdates';
  /** Specific KB numbers (`KB5034439`); empty = every applicable security update. */
  kbs: readonly string[];
  reason: string;
}

/** A step no script should take on its own (a judgement, a reboot, a change of the server's role). */
export interface ManualStep {
  op: 'manualStep';
  text: string;
  /** Commands that show the current state or perform the step once a person has decided. */
  commands: readonly string[];
}

export type FixOp =
  | SetRegistryValue
  | DeleteRegistryValue
  | SetSecurityPolicy
  | SetPrivilegeRight
  | DisableService
  | SetServiceStartMode
  | IisSetConfig
  | IisDenyVerb
  | IisRemoveModule
  | SetDnsZoneTransferPolicy
  | SetDnsServerSetting
  | SetFirewallRule
  | SetFirewallProfile
  | SetAuditPolicy
  | RenameAccount
  | DisableAccount
  | SetAcl
  | InstallUpdates
  | ManualStep;

export type FixOpKind = FixOp['op'];

type Args<T extends FixOp> = Omit<T, 'op'>;

// Constructors keep call sites short and let TypeScript check every field.
export const setRegistryValue = (a: Args<SetRegistryValue>): SetRegistryValue => ({ op: 'setRegistryValue', ...a });
export const deleteRegistryValue = (a: Args<DeleteRegistryValue>): DeleteRegistryValue => ({ op: 'deleteRegistryValue', ...a });
export const setSecurityPolicy = (a: Args<SetSecurityPolicy>): SetSecurityPolicy => ({ op: 'setSecurityPolicy', ...a });
export const setPrivilegeRight = (a: Args<SetPrivilegeRight>): SetPrivilegeRight => ({ op: 'setPrivilegeRight', ...a });
export const disableService = (a: Args<DisableService>): DisableService => ({ op: 'disableService', ...a });
export const setServiceStartMode = (a: Args<SetServiceStartMode>): SetServiceStartMode => ({ op: 'setServiceStartMode', ...a });
export const iisSetConfig = (a: Args<IisSetConfig>): IisSetConfig => ({ op: 'iisSetConfig', ...a });
export const iisDenyVerb = (a: Args<IisDenyVerb>): IisDenyVerb => ({ op: 'iisDenyVerb', ...a });
export const iisRemoveModule = (a: Args<IisRemoveModule>): IisRemoveModule => ({ op: 'iisRemoveModule', ...a });
export const setDnsZoneTransferPolicy = (a: Args<SetDnsZoneTransferPolicy>): SetDnsZoneTransferPolicy => ({ op: 'setDnsZoneTransferPolicy', ...a });
export const setDnsServerSetting = (a: Args<SetDnsServerSetting>): SetDnsServerSetting => ({ op: 'setDnsServerSetting', ...a });
export const setFirewallRule = (a: Args<SetFirewallRule>): SetFirewallRule => ({ op: 'setFirewallRule', ...a });
export const setFirewallProfile = (a: Args<SetFirewallProfile>): SetFirewallProfile => ({ op: 'setFirewallProfile', ...a });
export const setAuditPolicy = (a: Args<SetAuditPolicy>): SetAuditPolicy => ({ op: 'setAuditPolicy', ...a });
export const renameAccount = (a: Args<RenameAccount>): RenameAccount => ({ op: 'renameAccount', ...a });
export const disableAccount = (a: Args<DisableAccount>): DisableAccount => ({ op: 'disableAccount', ...a });
export const setAcl = (a: Args<SetAcl>): SetAcl => ({ op: 'setAcl', ...a });
export const installUpdates = (a: Args<InstallUpdates>): InstallUpdates => ({ op: 'installUpdates', ...a });
export const manualStep = (text: string, commands: readonly string[] = []): ManualStep => ({ op: 'manualStep', text, commands });

/**
 * The thing an operation changes, as one string: two operations with the same target conflict
 * unless they are identical. The fix renderer refuses conflicting sets instead of merging them.
 */
export function fixTarget(op: FixOp): string {
  switch (op.op) {
    case 'setRegistryValue':
    case 'deleteRegistryValue':
      return `registry:${op.key.toLowerCase()}\\${op.name.toLowerCase()}`;
    case 'setSecurityPolicy':
      return `secpol:${op.section}:${op.key.toLowerCase()}`;
    case 'setPrivilegeRight':
      return `right:${op.right}`;
    case 'disableService':
    case 'setServiceStartMode':
      return `service:${op.service.toLowerCase()}`;
    case 'iisSetConfig':
      return `iis:${op.location}:${op.section}/${op.element}@${op.attribute}`;
    case 'iisDenyVerb':
      return `iis-verb:${op.location}:${op.verb.toUpperCase()}`;
    case 'iisRemoveModule':
      return `iis-module:${op.scope}:${op.location}:${op.module}`;
    case 'setDnsZoneTransferPolicy':
      return `dns-zone-transfer:${op.zone.toLowerCase()}`;
    case 'setDnsServerSetting':
      return `dns:${op.zone ?? ''}:${op.setting}`;
    case 'setFirewallRule':
      return `firewall-rule:${op.name}`;
    case 'setFirewallProfile':
      return `firewall-profile:${op.profile}`;
    case 'setAuditPolicy':
      return `audit:${op.subcategoryGuid.toLowerCase()}`;
    case 'renameAccount':
    case 'disableAccount':
      return `account:${op.rid !== undefined ? `rid-${op.rid}` : (op.op === 'renameAccount' ? op.currentName : op.name).toLowerCase()}:${op.op}`;
    case 'setAcl':
      return `acl:${op.target}:${op.path.toLowerCase()}`;
    case 'installUpdates':
      return `updates:${[...op.kbs].sort().join(',')}`;
    case 'manualStep':
      return `manual:${op.text}`;
  }
}

/** Pairs of operations that change the same thing in different ways. */
export function conflictingOps(ops: readonly FixOp[]): Array<[FixOp, FixOp]> {
  const byTarget = new Map<string, FixOp>();
  const out: Array<[FixOp, FixOp]> = [];
  for (const op of ops) {
    const t = fixTarget(op);
    const prev = byTarget.get(t);
    if (prev === undefined) byTarget.set(t, op);
    else if (JSON.stringify({ ...prev, reason: '' }) !== JSON.stringify({ ...op, reason: '' })) out.push([prev, op]);
  }
  return out;
}

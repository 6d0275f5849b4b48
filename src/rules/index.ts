// The rule catalog: a static, type-checked list (no folder scanning at run time). Adding a rule
// means adding its module here; the catalog test checks that ids equal file names and are unique.
import type { AnyRule } from './define.js';
import { anonymousEnumerationRestricted } from './network/anonymous-enumeration-restricted.js';
import { firewallEnabledAllProfiles } from './network/firewall-enabled-all-profiles.js';
import { netbiosDisabledOnPublicAdapters } from './network/netbios-disabled-on-public-adapters.js';
import { noRiskyListeners } from './network/no-risky-listeners.js';
import { nullSessionAccessRestricted } from './network/null-session-access-restricted.js';
import { smbNotBoundToPublicAdapters } from './network/smb-not-bound-to-public-adapters.js';
import { smbSigningRequired } from './network/smb-signing-required.js';
import { smb1ClientDriverDisabled } from './network/smb1-client-driver-disabled.js';
import { smb1ServerDisabled } from './network/smb1-server-disabled.js';
import { ftpServiceDisabled } from './services/ftp-service-disabled.js';
import { indexingServiceDisabled } from './services/indexing-service-disabled.js';
import { internetConnectionSharingDisabled } from './services/internet-connection-sharing-disabled.js';
import { netmeetingSharingAbsent } from './services/netmeeting-sharing-absent.js';
import { nntpServiceDisabled } from './services/nntp-service-disabled.js';
import { printSpoolerDisabled } from './services/print-spooler-disabled.js';
import { rarelyNeededServicesDisabled } from './services/rarely-needed-services-disabled.js';
import { remoteRegistryDisabled } from './services/remote-registry-disabled.js';
import { serverServiceDisabled } from './services/server-service-disabled.js';
import { smtpServiceDisabled } from './services/smtp-service-disabled.js';
import { snmpDefaultCommunityAbsent } from './services/snmp-default-community-absent.js';
import { snmpServiceDisabled } from './services/snmp-service-disabled.js';
import { telnetServiceDisabled } from './services/telnet-service-disabled.js';
import { aspnetCustomErrorsEnabled } from './iis/aspnet-custom-errors-enabled.js';
import { aspnetDebugDisabled } from './iis/aspnet-debug-disabled.js';
import { aspnetTraceDisabled } from './iis/aspnet-trace-disabled.js';
import { aspnetVersionHeaderDisabled } from './iis/aspnet-version-header-disabled.js';
import { iisAnonymousIdentity } from './iis/iis-anonymous-identity.js';
import { iisAppPoolIdentity } from './iis/iis-app-pool-identity.js';
import { iisAppPoolPerSite } from './iis/iis-app-pool-per-site.js';
import { iisConfigFolderAcl } from './iis/iis-config-folder-acl.js';
import { iisContentNotWritable } from './iis/iis-content-not-writable.js';
import { iisContentOffSystemDrive } from './iis/iis-content-off-system-drive.js';
import { iisDetailedErrorsHidden } from './iis/iis-detailed-errors-hidden.js';
import { iisDirectoryBrowsingDisabled } from './iis/iis-directory-browsing-disabled.js';
import { iisDoubleEscapingDenied } from './iis/iis-double-escaping-denied.js';
import { iisDynamicIpRestrictions } from './iis/iis-dynamic-ip-restrictions.js';
import { iisFilesystemobjectDisabled } from './iis/iis-filesystemobject-disabled.js';
import { iisHighBitCharactersDenied } from './iis/iis-high-bit-characters-denied.js';
import { iisHstsEnabled } from './iis/iis-hsts-enabled.js';
import { iisHttpsBinding } from './iis/iis-https-binding.js';
import { iisIsapiCgiRestricted } from './iis/iis-isapi-cgi-restricted.js';
import { iisNoWriteWithScriptAccess } from './iis/iis-no-write-with-script-access.js';
import { iisOptionsVerbDenied } from './iis/iis-options-verb-denied.js';
import { iisRequestLimitsNotRaised } from './iis/iis-request-limits-not-raised.js';
import { iisServerHeaderRemoved } from './iis/iis-server-header-removed.js';
import { iisSslRequired } from './iis/iis-ssl-required.js';
import { iisTraceVerbDenied } from './iis/iis-trace-verb-denied.js';
import { iisUnneededModulesRemoved } from './iis/iis-unneeded-modules-removed.js';
import { iisUrlSequencesDenied } from './iis/iis-url-sequences-denied.js';
import { iisWebdavDisabled } from './iis/iis-webdav-disabled.js';
import { iisXPoweredByRemoved } from './iis/iis-x-powered-by-removed.js';
import { iis6WebServiceExtensionsRestricted } from './iis/iis6-web-service-extensions-restricted.js';
import { iis6WriteAccessDisabled } from './iis/iis6-write-access-disabled.js';
import { accountLockoutThreshold } from './accounts/account-lockout-threshold.js';
import { administratorAccountRenamed } from './accounts/administrator-account-renamed.js';
import { administratorsGroupReviewed } from './accounts/administrators-group-reviewed.js';
import { guestAccountDisabled } from './accounts/guest-account-disabled.js';
import { iis6AnonymousAccountRenamed } from './accounts/iis6-anonymous-account-renamed.js';
import { maximumPasswordAge } from './accounts/maximum-password-age.js';
import { passwordComplexityEnabled } from './accounts/password-complexity-enabled.js';
import { passwordHistorySize } from './accounts/password-history-size.js';
import { passwordMinimumLength } from './accounts/password-minimum-length.js';
import { rdpLogonDeniedToGuests } from './accounts/rdp-logon-denied-to-guests.js';
import { rdpLogonRightRestricted } from './accounts/rdp-logon-right-restricted.js';
import { reversiblePasswordEncryptionDisabled } from './accounts/reversible-password-encryption-disabled.js';
import { unusedAccountsDisabled } from './accounts/unused-accounts-disabled.js';
import { credsspEncryptionOracleMitigated } from './rdp/credssp-encryption-oracle-mitigated.js';
import { rdpAlwaysPromptPassword } from './rdp/rdp-always-prompt-password.js';
import { rdpEncryptionLevelHigh } from './rdp/rdp-encryption-level-high.js';
import { rdpNlaRequired } from './rdp/rdp-nla-required.js';
import { rdpNonDefaultPort } from './rdp/rdp-non-default-port.js';
import { rdpPasswordSavingDisabled } from './rdp/rdp-password-saving-disabled.js';
import { rdpSecureRpcRequired } from './rdp/rdp-secure-rpc-required.js';
import { rdpSecurityLayerTls } from './rdp/rdp-security-layer-tls.js';
import { dnsCachePollutionProtection } from './dns/dns-cache-pollution-protection.js';
import { dnsListenAddressesExplicit } from './dns/dns-listen-addresses-explicit.js';
import { dnsRecursionDisabled } from './dns/dns-recursion-disabled.js';
import { dnsRootHintsCurrent } from './dns/dns-root-hints-current.js';
import { dnsSecureDynamicUpdates } from './dns/dns-secure-dynamic-updates.js';
import { dnsVersionQueryDisabled } from './dns/dns-version-query-disabled.js';
import { dnsZoneTransfersRestricted } from './dns/dns-zone-transfers-restricted.js';
import { dotnetStrongCryptoEnabled } from './tls/dotnet-strong-crypto-enabled.js';
import { schannelSsl2Disabled } from './tls/schannel-ssl2-disabled.js';
import { schannelSsl3Disabled } from './tls/schannel-ssl3-disabled.js';
import { schannelTls10Disabled } from './tls/schannel-tls10-disabled.js';
import { schannelTls11Disabled } from './tls/schannel-tls11-disabled.js';
import { schannelTls12Enabled } from './tls/schannel-tls12-enabled.js';
import { schannelWeakCiphersDisabled } from './tls/schannel-weak-ciphers-disabled.js';
import { osSupported } from './patching/os-supported.js';
import { requiredUpdatesInstalled } from './patching/required-updates-installed.js';
import { updatesRecent } from './patching/updates-recent.js';
import { auditAccountLogon } from './logging/audit-account-logon.js';
import { auditAccountManagement } from './logging/audit-account-management.js';
import { auditLogonEvents } from './logging/audit-logon-events.js';
import { auditPolicyChange } from './logging/audit-policy-change.js';
import { auditPrivilegeUse } from './logging/audit-privilege-use.js';
import { iisLogFolderAcl } from './logging/iis-log-folder-acl.js';
import { iisLoggingEnabled } from './logging/iis-logging-enabled.js';
import { iisLogsOffSystemDrive } from './logging/iis-logs-off-system-drive.js';
import { antivirusRealtimeEnabled } from './management/antivirus-realtime-enabled.js';
import { antivirusSignaturesCurrent } from './management/antivirus-signatures-current.js';

export const RULES = [
  anonymousEnumerationRestricted,
  firewallEnabledAllProfiles,
  netbiosDisabledOnPublicAdapters,
  noRiskyListeners,
  nullSessionAccessRestricted,
  smbNotBoundToPublicAdapters,
  smbSigningRequired,
  smb1ClientDriverDisabled,
  smb1ServerDisabled,
  ftpServiceDisabled,
  indexingServiceDisabled,
  internetConnectionSharingDisabled,
  netmeetingSharingAbsent,
  nntpServiceDisabled,
  printSpoolerDisabled,
  rarelyNeededServicesDisabled,
  remoteRegistryDisabled,
  serverServiceDisabled,
  smtpServiceDisabled,
  snmpDefaultCommunityAbsent,
  snmpServiceDisabled,
  telnetServiceDisabled,
  aspnetCustomErrorsEnabled,
  aspnetDebugDisabled,
  aspnetTraceDisabled,
  aspnetVersionHeaderDisabled,
  iisAnonymousIdentity,
  iisAppPoolIdentity,
  iisAppPoolPerSite,
  iisConfigFolderAcl,
  iisContentNotWritable,
  iisContentOffSystemDrive,
  iisDetailedErrorsHidden,
  iisDirectoryBrowsingDisabled,
  iisDoubleEscapingDenied,
  iisDynamicIpRestrictions,
  iisFilesystemobjectDisabled,
  iisHighBitCharactersDenied,
  iisHstsEnabled,
  iisHttpsBinding,
  iisIsapiCgiRestricted,
  iisNoWriteWithScriptAccess,
  iisOptionsVerbDenied,
  iisRequestLimitsNotRaised,
  iisServerHeaderRemoved,
  iisSslRequired,
  iisTraceVerbDenied,
  iisUnneededModulesRemoved,
  iisUrlSequencesDenied,
  iisWebdavDisabled,
  iisXPoweredByRemoved,
  iis6WebServiceExtensionsRestricted,
  iis6WriteAccessDisabled,
  accountLockoutThreshold,
  administratorAccountRenamed,
  administratorsGroupReviewed,
  guestAccountDisabled,
  iis6AnonymousAccountRenamed,
  maximumPasswordAge,
  passwordComplexityEnabled,
  passwordHistorySize,
  passwordMinimumLength,
  rdpLogonDeniedToGuests,
  rdpLogonRightRestricted,
  reversiblePasswordEncryptionDisabled,
  unusedAccountsDisabled,
  credsspEncryptionOracleMitigated,
  rdpAlwaysPromptPassword,
  rdpEncryptionLevelHigh,
  rdpNlaRequired,
  rdpNonDefaultPort,
  rdpPasswordSavingDisabled,
  rdpSecureRpcRequired,
  rdpSecurityLayerTls,
  dnsCachePollutionProtection,
  dnsListenAddressesExplicit,
  dnsRecursionDisabled,
  dnsRootHintsCurrent,
  dnsSecureDynamicUpdates,
  dnsVersionQueryDisabled,
  dnsZoneTransfersRestricted,
  dotnetStrongCryptoEnabled,
  schannelSsl2Disabled,
  schannelSsl3Disabled,
  schannelTls10Disabled,
  schannelTls11Disabled,
  schannelTls12Enabled,
  schannelWeakCiphersDisabled,
  osSupported,
  requiredUpdatesInstalled,
  updatesRecent,
  auditAccountLogon,
  auditAccountManagement,
  auditLogonEvents,
  auditPolicyChange,
  auditPrivilegeUse,
  iisLogFolderAcl,
  iisLoggingEnabled,
  iisLogsOffSystemDrive,
  antivirusRealtimeEnabled,
  antivirusSignaturesCurrent,
] as const satisfies readonly AnyRule[];

/** Rule id → rule. */
export const RULES_BY_ID: ReadonlyMap<string, AnyRule> = new Map(RULES.map((r) => [r.id, r]));

export type { AnyRule, Rule, RuleArea } from './define.js';

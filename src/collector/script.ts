// The collector: a Windows PowerShell 5.1 script (Server 2012 R2 and later) that runs only
// Windows' own read/export commands, writes each output into a folder with a manifest.json that
// records the command, its exit code and any error, then zips the folder. It changes nothing on
// the host: every write goes under -OutputPath. A command that fails (missing role, older OS,
// not elevated) is recorded and the script goes on.
import { VERSION } from '../core/version.js';
import type { ArtifactKind } from '../host/state.js';

/** Registry keys the controls read (CONTROLS.md §1, §4, §5, §6, §7), one export each. */
export const COLLECTED_REGISTRY_KEYS: { file: string; key: string }[] = [
  { file: 'registry/terminal-server.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server' },
  { file: 'registry/terminal-services-policy.reg', key: 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services' },
  { file: 'registry/schannel.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL' },
  { file: 'registry/lanmanserver.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanServer\\Parameters' },
  { file: 'registry/lanmanworkstation.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\LanmanWorkstation\\Parameters' },
  { file: 'registry/lsa.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Lsa' },
  { file: 'registry/netbt.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\NetBT\\Parameters' },
  { file: 'registry/mrxsmb10.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\mrxsmb10' },
  { file: 'registry/winreg.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurePipeServers\\winreg' },
  { file: 'registry/policies-system.reg', key: 'HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System' },
  { file: 'registry/dotnet4.reg', key: 'HKLM\\SOFTWARE\\Microsoft\\.NETFramework\\v4.0.30319' },
  { file: 'registry/dotnet4-wow64.reg', key: 'HKLM\\SOFTWARE\\WOW6432Node\\Microsoft\\.NETFramework\\v4.0.30319' },
  { file: 'registry/dns-parameters.reg', key: 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\DNS\\Parameters' },
  { file: 'registry/dns-zones.reg', key: 'HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\DNS Server\\Zones' },
  { file: 'registry/filesystemobject.reg', key: 'HKCR\\CLSID\\{0D43FE01-F093-11CF-8940-00A0C9054228}' },
];

/** Fixed-name outputs: file in the bundle, the kind bundle.ts parses it as, and the command. */
export const COLLECTED_FILES: { file: string; kind: ArtifactKind; command: string }[] = [
  { file: 'secpol.inf', kind: 'secedit-inf', command: 'secedit /export /cfg secpol.inf /areas SECURITYPOLICY USER_RIGHTS REGKEYS SERVICES' },
  { file: 'iis/applicationHost.config', kind: 'iis-applicationhost', command: 'copy %windir%\\System32\\inetsrv\\config\\applicationHost.config' },
  { file: 'iis/MetaBase.xml', kind: 'iis6-metabase', command: 'copy %windir%\\System32\\inetsrv\\MetaBase.xml' },
  { file: 'network/netstat-anob.txt', kind: 'netstat', command: 'netstat -anob' },
  { file: 'network/netstat-ano.txt', kind: 'netstat', command: 'netstat -ano' },
  { file: 'system/systeminfo.txt', kind: 'systeminfo', command: 'systeminfo' },
  { file: 'system/qfe.csv', kind: 'hotfix-wmic', command: 'wmic qfe list full /format:csv' },
  { file: 'system/hotfix.json', kind: 'hotfix-json', command: 'Get-HotFix | ConvertTo-Json' },
  { file: 'accounts/net-user.txt', kind: 'net-user-list', command: 'net user' },
  { file: 'accounts/net-localgroup.txt', kind: 'net-localgroup-list', command: 'net localgroup' },
  { file: 'accounts/net-localgroup-administrators.txt', kind: 'net-localgroup', command: 'net localgroup Administrators' },
  { file: 'accounts/net-localgroup-remote-desktop-users.txt', kind: 'net-localgroup', command: 'net localgroup "Remote Desktop Users"' },
  { file: 'system/auditpol.csv', kind: 'auditpol-csv', command: 'auditpol /get /category:* /r' },
  { file: 'dns/dnscmd-info.txt', kind: 'dnscmd-info', command: 'dnscmd /Info' },
  { file: 'dns/dnscmd-enumzones.txt', kind: 'dnscmd-enumzones', command: 'dnscmd /EnumZones' },
  { file: 'dns/dns-server-setting.json', kind: 'dns-cmdlet', command: 'Get-DnsServerSetting -All | ConvertTo-Json' },
  { file: 'dns/dns-server-recursion.json', kind: 'dns-cmdlet', command: 'Get-DnsServerRecursion | ConvertTo-Json' },
  { file: 'dns/dns-server-zone.json', kind: 'dns-cmdlet', command: 'Get-DnsServerZone | ConvertTo-Json' },
  { file: 'dns/dns-server-roothint.json', kind: 'dns-cmdlet', command: 'Get-DnsServerRootHint | ConvertTo-Json' },
  { file: 'services/sc-queryex.txt', kind: 'services-sc', command: 'sc queryex type= service state= all' },
  { file: 'services/get-service.json', kind: 'services-json', command: 'Get-Service | ConvertTo-Json' },
  { file: 'services/win32-service.json', kind: 'services-json', command: 'Get-CimInstance Win32_Service | ConvertTo-Json' },
  { file: 'network/advfirewall.txt', kind: 'firewall-netsh', command: 'netsh advfirewall show allprofiles' },
  { file: 'network/nicconfig.csv', kind: 'adapters-nicconfig', command: 'wmic nicconfig get Description,Index,IPAddress,IPEnabled,SettingID,TcpipNetbiosOptions /format:csv' },
  { file: 'network/adapter-binding.json', kind: 'adapters-json', command: 'Get-NetAdapterBinding -ComponentID ms_server,ms_msclient,ms_netbt | ConvertTo-Json' },
  { file: 'system/mpcomputerstatus.json', kind: 'defender-json', command: 'Get-MpComputerStatus | ConvertTo-Json' },
];

/** Per-item outputs the script names at run time (prefix + safe name). */
export const COLLECTED_PATTERNS: { prefix: string; kind: ArtifactKind; command: string }[] = [
  { prefix: 'accounts/net-user-', kind: 'net-user', command: 'net user <name>' },
  { prefix: 'dns/dnscmd-zoneinfo-', kind: 'dnscmd-zoneinfo', command: 'dnscmd /ZoneInfo <zone>' },
  { prefix: 'iis/sites/', kind: 'iis-webconfig', command: 'copy <physicalPath>\\web.config' },
  { prefix: 'acl/icacls-', kind: 'icacls', command: 'icacls <folder>' },
];

function psString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** The PowerShell script text. */
export function collectorScript(): string {
  const regLines = COLLECTED_REGISTRY_KEYS.map((r) => `Save-RegKey ${psString(r.file)} ${psString(r.key)}`).join('\n');
  const f = (file: string): string => {
    const e = COLLECTED_FILES.find((x) => x.file === file);
    if (!e) throw new Error(`collector: ${file} is not in COLLECTED_FILES`);
    return `${psString(e.file)} ${psString(e.kind)}`;
  };
  return `# portcullis collector ${VERSION}
# Exports this server's configuration with Windows' own commands for an offline audit:
#   portcullis audit <the zip this script writes>
# Requirements: Windows PowerShell 5.1 (Server 2012 R2 or later), run as Administrator.
# It only reads: every file it writes goes under -OutputPath. A command that is missing or fails
# is recorded in manifest.json (exit code and error) and the script goes on.
[CmdletBinding()]
param(
    [string]$OutputPath = (Join-Path $env:TEMP ('portcullis-' + $env:COMPUTERNAME + '-' + (Get-Date -Format 'yyyyMMdd-HHmmss')))
)

Set-StrictMode -Off
$ErrorActionPreference = 'Continue'
$null = New-Item -ItemType Directory -Force -Path $OutputPath
$script:Entries = New-Object System.Collections.ArrayList
$script:Utf8Bom = New-Object System.Text.UTF8Encoding $true
$script:Utf16 = New-Object System.Text.UnicodeEncoding $false, $true

function Get-SafeName([string]$Name) {
    $clean = ($Name -replace '[^A-Za-z0-9._-]', '_').Trim('_')
    if ($clean -eq '') { $clean = 'root' }
    return $clean
}

function New-OutputFile([string]$File) {
    $path = Join-Path $OutputPath ($File -replace '/', '\\')
    $dir = Split-Path -Parent $path
    if (-not (Test-Path -LiteralPath $dir)) { $null = New-Item -ItemType Directory -Force -Path $dir }
    return $path
}

function Add-Entry([string]$File, [string]$Kind, [string]$Command, $ExitCode, $ErrorText, $Extra) {
    $e = [ordered]@{ file = $File; kind = $Kind; command = $Command; exitCode = $ExitCode; error = $ErrorText }
    if ($Extra) { foreach ($k in $Extra.Keys) { $e[$k] = $Extra[$k] } }
    [void]$script:Entries.Add([pscustomobject]$e)
}

# A native command's output, written as UTF-16LE with BOM and CRLF (what cmd.exe redirection of
# these tools gives), with its exit code.
function Save-Native([string]$File, [string]$Kind, [string]$Exe, [string[]]$Arguments, $Extra) {
    $display = ($Exe + ' ' + ($Arguments -join ' ')).Trim()
    try {
        $path = New-OutputFile $File
        $out = & $Exe @Arguments 2>&1
        $code = $LASTEXITCODE
        $text = (@($out) | ForEach-Object { [string]$_ }) -join "\`r\`n"
        [System.IO.File]::WriteAllText($path, $text + "\`r\`n", $script:Utf16)
        $err = $null
        if ($code -ne 0) { $err = ('exit code ' + $code + ': ' + ((@($out) | Select-Object -First 3 | ForEach-Object { [string]$_ }) -join ' ')).Trim() }
        Add-Entry $File $Kind $display $code $err $Extra
    } catch {
        Add-Entry $File $Kind $display $null $_.Exception.Message $Extra
    }
}

# A PowerShell pipeline whose text result (usually ConvertTo-Json) is saved as UTF-8 with BOM.
function Save-Pipeline([string]$File, [string]$Kind, [string]$Display, [scriptblock]$Block, $Extra) {
    try {
        $path = New-OutputFile $File
        $ErrorActionPreference = 'Stop'
        $text = & $Block | Out-String -Width 4096
        [System.IO.File]::WriteAllText($path, $text, $script:Utf8Bom)
        Add-Entry $File $Kind $Display 0 $null $Extra
    } catch {
        Add-Entry $File $Kind $Display 1 $_.Exception.Message $Extra
    } finally {
        $ErrorActionPreference = 'Continue'
    }
}

function Save-Copy([string]$File, [string]$Kind, [string]$Source, $Extra) {
    try {
        $path = New-OutputFile $File
        Copy-Item -LiteralPath $Source -Destination $path -ErrorAction Stop
        Add-Entry $File $Kind ('copy ' + $Source) 0 $null $Extra
    } catch {
        Add-Entry $File $Kind ('copy ' + $Source) 1 $_.Exception.Message $Extra
    }
}

# reg export writes the file itself. A key that does not exist gives exit code 1 and an error
# that portcullis reads as "this key is absent on the host".
function Save-RegKey([string]$File, [string]$Key) {
    $display = 'reg export "' + $Key + '" ' + $File + ' /y'
    try {
        $path = New-OutputFile $File
        $out = & reg.exe export $Key $path /y 2>&1
        $code = $LASTEXITCODE
        $err = $null
        if ($code -ne 0) { $err = ((@($out) | ForEach-Object { [string]$_ }) -join ' ').Trim() }
        Add-Entry $File 'reg-export' $display $code $err @{ key = $Key }
    } catch {
        Add-Entry $File 'reg-export' $display $null $_.Exception.Message @{ key = $Key }
    }
}

Write-Host "portcullis: collecting into $OutputPath"

# --- Security policy and registry -------------------------------------------------------------
try {
    $secpol = New-OutputFile 'secpol.inf'
    $out = & secedit.exe /export /cfg $secpol /areas SECURITYPOLICY USER_RIGHTS REGKEYS SERVICES /quiet 2>&1
    $code = $LASTEXITCODE
    $err = $null
    if ($code -ne 0) { $err = ((@($out) | ForEach-Object { [string]$_ }) -join ' ').Trim() }
    Add-Entry 'secpol.inf' 'secedit-inf' 'secedit /export /cfg secpol.inf /areas SECURITYPOLICY USER_RIGHTS REGKEYS SERVICES' $code $err $null
} catch {
    Add-Entry 'secpol.inf' 'secedit-inf' 'secedit /export /cfg secpol.inf' $null $_.Exception.Message $null
}
${regLines}

# --- System, patches, accounts, audit policy --------------------------------------------------
Save-Native ${f('system/systeminfo.txt')} 'systeminfo.exe' @()
Save-Native ${f('system/qfe.csv')} 'wmic.exe' @('qfe', 'list', 'full', '/format:csv')
Save-Pipeline ${f('system/hotfix.json')} 'Get-HotFix | ConvertTo-Json' { Get-HotFix | Select-Object HotFixID, Description, InstalledBy, @{ n = 'InstalledOn'; e = { if ($_.InstalledOn) { $_.InstalledOn.ToString('yyyy-MM-dd') } } } | ConvertTo-Json -Depth 3 }
Save-Native ${f('accounts/net-user.txt')} 'net.exe' @('user')
Save-Native ${f('accounts/net-localgroup.txt')} 'net.exe' @('localgroup')
Save-Native ${f('accounts/net-localgroup-administrators.txt')} 'net.exe' @('localgroup', 'Administrators')
Save-Native ${f('accounts/net-localgroup-remote-desktop-users.txt')} 'net.exe' @('localgroup', 'Remote Desktop Users')
$localUsers = @()
try {
    $localUsers = @(Get-CimInstance -ClassName Win32_UserAccount -Filter 'LocalAccount=True' -ErrorAction Stop | ForEach-Object { $_.Name })
} catch {
    Add-Entry 'accounts/net-user-*.txt' 'net-user' 'Get-CimInstance Win32_UserAccount' 1 $_.Exception.Message $null
}
foreach ($u in $localUsers) {
    Save-Native ('accounts/net-user-' + (Get-SafeName $u) + '.txt') 'net-user' 'net.exe' @('user', $u)
}
Save-Native ${f('system/auditpol.csv')} 'auditpol.exe' @('/get', '/category:*', '/r')
Save-Pipeline ${f('system/mpcomputerstatus.json')} 'Get-MpComputerStatus | ConvertTo-Json' { Get-MpComputerStatus | Select-Object AMServiceEnabled, AntivirusEnabled, RealTimeProtectionEnabled, AntivirusSignatureAge, AntivirusSignatureVersion, @{ n = 'AntivirusSignatureLastUpdated'; e = { $_.AntivirusSignatureLastUpdated.ToString('yyyy-MM-dd') } }, AMProductVersion | ConvertTo-Json }

# --- Services ---------------------------------------------------------------------------------
Save-Native ${f('services/sc-queryex.txt')} 'sc.exe' @('queryex', 'type=', 'service', 'state=', 'all')
Save-Pipeline ${f('services/get-service.json')} 'Get-Service | ConvertTo-Json' { Get-Service | Select-Object Name, DisplayName, @{ n = 'Status'; e = { [int]$_.Status } }, @{ n = 'StartType'; e = { [int]$_.StartType } }, @{ n = 'DependentServices'; e = { @($_.DependentServices | ForEach-Object { $_.Name }) } } | ConvertTo-Json -Depth 3 }
Save-Pipeline ${f('services/win32-service.json')} 'Get-CimInstance Win32_Service | ConvertTo-Json' { Get-CimInstance -ClassName Win32_Service | Select-Object Name, DisplayName, State, StartMode, ProcessId, DelayedAutoStart | ConvertTo-Json }

# --- Network ----------------------------------------------------------------------------------
Save-Native ${f('network/netstat-anob.txt')} 'netstat.exe' @('-anob')
Save-Native ${f('network/netstat-ano.txt')} 'netstat.exe' @('-ano')
Save-Native ${f('network/advfirewall.txt')} 'netsh.exe' @('advfirewall', 'show', 'allprofiles')
Save-Native ${f('network/nicconfig.csv')} 'wmic.exe' @('nicconfig', 'get', 'Description,Index,IPAddress,IPEnabled,SettingID,TcpipNetbiosOptions', '/format:csv')
Save-Pipeline ${f('network/adapter-binding.json')} 'Get-NetAdapterBinding | ConvertTo-Json' { Get-NetAdapterBinding -ComponentID ms_server, ms_msclient, ms_netbt -ErrorAction Stop | Select-Object Name, InterfaceDescription, ComponentID, Enabled | ConvertTo-Json }

# --- DNS Server role --------------------------------------------------------------------------
if (Get-Command dnscmd.exe -ErrorAction SilentlyContinue) {
    Save-Native ${f('dns/dnscmd-info.txt')} 'dnscmd.exe' @('/Info')
    Save-Native ${f('dns/dnscmd-enumzones.txt')} 'dnscmd.exe' @('/EnumZones')
} else {
    Add-Entry 'dns/dnscmd-info.txt' 'dnscmd-info' 'dnscmd /Info' $null 'dnscmd.exe not found (DNS Server role or its tools not installed)' $null
}
Save-Pipeline ${f('dns/dns-server-setting.json')} 'Get-DnsServerSetting -All | ConvertTo-Json' { Get-DnsServerSetting -All | ConvertTo-Json -Depth 3 }
Save-Pipeline ${f('dns/dns-server-recursion.json')} 'Get-DnsServerRecursion | ConvertTo-Json' { Get-DnsServerRecursion | ConvertTo-Json -Depth 3 }
Save-Pipeline ${f('dns/dns-server-zone.json')} 'Get-DnsServerZone | ConvertTo-Json' { Get-DnsServerZone | Select-Object ZoneName, ZoneType, IsDsIntegrated, IsReverseLookupZone, IsAutoCreated, @{ n = 'SecureSecondaries'; e = { [string]$_.SecureSecondaries } }, @{ n = 'DynamicUpdate'; e = { [string]$_.DynamicUpdate } }, @{ n = 'SecondaryServers'; e = { @($_.SecondaryServers | ForEach-Object { $_.IPAddressToString }) } } | ConvertTo-Json -Depth 3 }
Save-Pipeline ${f('dns/dns-server-roothint.json')} 'Get-DnsServerRootHint | ConvertTo-Json' { Get-DnsServerRootHint | ForEach-Object { [pscustomobject]@{ NameServer = $_.NameServer.RecordData.NameServer; IPAddress = @($_.IPAddress | ForEach-Object { [string]$_.RecordData.IPv4Address; [string]$_.RecordData.IPv6Address } | Where-Object { $_ }) } } | ConvertTo-Json -Depth 3 }
$zones = @()
try {
    $zones = @(Get-DnsServerZone -ErrorAction Stop | ForEach-Object { $_.ZoneName })
} catch {
    if (Get-Command dnscmd.exe -ErrorAction SilentlyContinue) {
        $zones = @(& dnscmd.exe /EnumZones 2>$null | Where-Object { $_ -match '^\\s+(\\S+)\\s+(Primary|Secondary|Stub|Forwarder|Cache)\\s' } | ForEach-Object { $Matches[1] })
    }
}
foreach ($z in $zones) {
    if ($z -eq '.' -or $z -eq 'TrustAnchors') { continue }
    if (Get-Command dnscmd.exe -ErrorAction SilentlyContinue) {
        Save-Native ('dns/dnscmd-zoneinfo-' + (Get-SafeName $z) + '.txt') 'dnscmd-zoneinfo' 'dnscmd.exe' @('/ZoneInfo', $z) @{ zone = $z }
    }
}

# --- IIS --------------------------------------------------------------------------------------
$inetsrv = Join-Path $env:windir 'System32\\inetsrv'
$appHost = Join-Path $inetsrv 'config\\applicationHost.config'
$aclTargets = New-Object System.Collections.ArrayList
if (Test-Path -LiteralPath $appHost) {
    Save-Copy ${f('iis/applicationHost.config')} $appHost $null
    [void]$aclTargets.Add((Join-Path $inetsrv 'config'))
    try {
        $xml = New-Object System.Xml.XmlDocument
        $xml.XmlResolver = $null
        $xml.Load($appHost)
        $sitesNode = $xml.SelectSingleNode('/configuration/system.applicationHost/sites')
        $logDir = $null
        $defaultsLog = $xml.SelectSingleNode('/configuration/system.applicationHost/sites/siteDefaults/logFile')
        if ($defaultsLog -and $defaultsLog.GetAttribute('directory')) { $logDir = [Environment]::ExpandEnvironmentVariables($defaultsLog.GetAttribute('directory')) }
        if (-not $logDir) { $logDir = Join-Path $env:SystemDrive 'inetpub\\logs\\LogFiles' }
        [void]$aclTargets.Add($logDir)
        foreach ($site in $sitesNode.SelectNodes('site')) {
            $siteName = $site.GetAttribute('name')
            $siteLog = $site.SelectSingleNode('logFile')
            if ($siteLog -and $siteLog.GetAttribute('directory')) { [void]$aclTargets.Add([Environment]::ExpandEnvironmentVariables($siteLog.GetAttribute('directory'))) }
            foreach ($app in $site.SelectNodes('application')) {
                $appPath = $app.GetAttribute('path')
                $vdir = $app.SelectSingleNode("virtualDirectory[@path='/']")
                if (-not $vdir) { continue }
                $phys = [Environment]::ExpandEnvironmentVariables($vdir.GetAttribute('physicalPath'))
                [void]$aclTargets.Add($phys)
                $webConfig = Join-Path $phys 'web.config'
                if (Test-Path -LiteralPath $webConfig) {
                    $rel = 'iis/sites/' + (Get-SafeName $siteName) + '/' + (Get-SafeName $appPath) + '/web.config'
                    Save-Copy $rel 'iis-webconfig' $webConfig @{ site = $siteName; virtualPath = $appPath }
                }
            }
        }
    } catch {
        Add-Entry 'iis/sites' 'iis-webconfig' 'read site list from applicationHost.config' 1 $_.Exception.Message $null
    }
} else {
    Add-Entry 'iis/applicationHost.config' 'iis-applicationhost' ('copy ' + $appHost) $null 'applicationHost.config not found (IIS not installed)' $null
}
$metabase = Join-Path $inetsrv 'MetaBase.xml'
if (Test-Path -LiteralPath $metabase) { Save-Copy ${f('iis/MetaBase.xml')} $metabase $null }
foreach ($target in ($aclTargets | Select-Object -Unique)) {
    if ($target -and (Test-Path -LiteralPath $target)) {
        Save-Native ('acl/icacls-' + (Get-SafeName $target) + '.txt') 'icacls' 'icacls.exe' @($target)
    }
}

# --- Manifest and archive ---------------------------------------------------------------------
$manifest = [ordered]@{
    schema      = 'portcullis-bundle/1'
    host        = $env:COMPUTERNAME
    collectedAt = (Get-Date).ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ')
    collector   = 'portcullis ${VERSION}'
    powershell  = $PSVersionTable.PSVersion.ToString()
    files       = @($script:Entries)
}
[System.IO.File]::WriteAllText((Join-Path $OutputPath 'manifest.json'), ($manifest | ConvertTo-Json -Depth 5), (New-Object System.Text.UTF8Encoding $false))

$zip = $OutputPath.TrimEnd('\\') + '.zip'
$zipped = $false
try {
    Compress-Archive -Path (Join-Path $OutputPath '*') -DestinationPath $zip -Force -ErrorAction Stop
    $zipped = $true
} catch {
    try {
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        if (Test-Path -LiteralPath $zip) { Remove-Item -LiteralPath $zip }
        [System.IO.Compression.ZipFile]::CreateFromDirectory($OutputPath, $zip)
        $zipped = $true
    } catch {
        Write-Warning ('portcullis: could not zip the folder: ' + $_.Exception.Message)
    }
}
if ($zipped) { Write-Host "portcullis: bundle written to $zip" } else { Write-Host "portcullis: bundle folder is $OutputPath" }
`;
}

// Probes for RDP, SMB, NetBIOS, TLS and SQL Server.
import type { ProbeDefinition } from './define.js';
import { rdpProbe } from './rdp.js';
import { smbProbe } from './smb.js';
import { netbiosProbe } from './netbios.js';
import { tlsProbe } from './tls.js';
import { mssqlProbe } from './mssql.js';

export const WINDOWS_PROBES: readonly ProbeDefinition[] = [rdpProbe, smbProbe, netbiosProbe, tlsProbe, mssqlProbe];

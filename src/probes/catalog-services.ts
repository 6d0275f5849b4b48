// Probes for DNS, HTTP, FTP, Telnet, SNMP, VNC, MySQL/PostgreSQL/Redis and SMTP.
import type { ProbeDefinition } from './define.js';
import { dnsServer } from './dns-server.js';
import { dnsServerTcp } from './dns-server-tcp.js';
import { dnsZoneTransfer } from './dns-zone-transfer.js';
import { httpServer } from './http-server.js';
import { httpWriteMethods } from './http-write-methods.js';
import { ftpServer } from './ftp-server.js';
import { telnetServer } from './telnet-server.js';
import { snmpCommunity } from './snmp-community.js';
import { vncAuth } from './vnc-auth.js';
import { databaseExposure } from './database-exposure.js';
import { smtpRelay } from './smtp-relay.js';
import { smtpStartTls } from './smtp-starttls.js';

export const SERVICE_PROBES: readonly ProbeDefinition[] = [
  dnsServer,
  dnsServerTcp,
  dnsZoneTransfer,
  httpServer,
  httpWriteMethods,
  ftpServer,
  telnetServer,
  snmpCommunity,
  vncAuth,
  databaseExposure,
  smtpRelay,
  smtpStartTls,
];

// Port profiles: which ports a scan touches, and why each one is worth a look.
//
//   windows  (default) the ports of Windows Server roles and the risky services the source
//            documents name (seed 002: services a web server should not run; seed 003: the
//            practitioner's port list, whose hand notes say "investigate unless says OK")
//   common   a broader list curated here, grouped by purpose: everything in `windows` plus the
//            services commonly found listening on servers of any kind
//   all      1-65535
//   or an explicit list: `22,80,8000-8100`, mixable with profile names: `windows,8443`
//
// These lists are our own: chosen from the protocols' registrations and from what administrators
// meet on real servers, with a reason per port. They are not taken from any scanner's data files.
import { PortcullisError } from '../core/errors.js';
import { MAX_PORT, MIN_PORT, parsePortItem, parsePortList } from '../targets/ports.js';
import { UDP_PAYLOAD_PORTS } from './udp.js';

export interface PortEntry {
  port: number;
  /** Short service label (what usually listens there). */
  service: string;
  /** One line: why a scan of a Windows server should look at this port. */
  reason: string;
}

type Row = readonly [number, string, string];
const rows = (list: readonly Row[]): PortEntry[] => list.map(([port, service, reason]) => ({ port, service, reason }));

// ------------------------------------------------------------------ windows (TCP)

const WINDOWS_ROLES: readonly Row[] = [
  // Remote administration
  [22, 'ssh', 'OpenSSH Server, an optional Windows feature: remote shell'],
  [3389, 'rdp', 'Remote Desktop / Terminal Services: check NLA, TLS and who may log on'],
  [5985, 'winrm', 'WinRM over HTTP: PowerShell remoting'],
  [5986, 'winrm-https', 'WinRM over HTTPS: PowerShell remoting'],
  [47001, 'winrm-local', 'WinRM default listener some Windows components open on all addresses'],
  [6516, 'wac', 'Windows Admin Center gateway (installed on a server)'],
  [2179, 'vmrdp', 'Hyper-V Virtual Machine Connection: console of guest VMs'],
  [2701, 'sccm-rc', 'Configuration Manager remote control agent'],
  // File, print and RPC
  [135, 'msrpc', 'RPC endpoint mapper: the entry to DCOM, WMI and many management interfaces'],
  [139, 'netbios-ssn', 'SMB over NetBIOS session service: file sharing, Remote Registry pipes'],
  [445, 'smb', 'SMB: file and printer sharing, named pipes (Remote Registry, service control)'],
  [593, 'http-rpc-epmap', 'RPC over HTTP endpoint mapper (Outlook Anywhere, RD Gateway)'],
  [515, 'lpd', 'LPD print service (Windows "LPD Print Service" role feature)'],
  [631, 'ipp', 'Internet Printing Protocol (print server over HTTP)'],
  [9100, 'jetdirect', 'raw TCP printing (print servers and printers)'],
  [5357, 'wsdapi', 'Web Services for Devices (network discovery of devices and printers)'],
  [5358, 'wsdapi-s', 'Web Services for Devices over TLS'],
  [1801, 'msmq', 'Message Queuing'],
  [2103, 'msmq-rpc', 'Message Queuing RPC'],
  [2105, 'msmq-rpc', 'Message Queuing RPC (remote read)'],
  [2107, 'msmq-mgmt', 'Message Queuing management'],
  [5722, 'dfsr', 'DFS Replication RPC on domain controllers and file servers'],
  [3343, 'mscluster', 'Failover Clustering heartbeat and cluster service'],
  // Directory and authentication (domain controllers)
  [53, 'dns', 'DNS Server role: zone transfers, recursion and version disclosure to check'],
  [88, 'kerberos', 'Kerberos KDC: the host is a domain controller'],
  [389, 'ldap', 'LDAP: Active Directory (anonymous binds, signing)'],
  [464, 'kpasswd', 'Kerberos password change'],
  [636, 'ldaps', 'LDAP over TLS'],
  [3268, 'globalcat', 'Active Directory global catalog'],
  [3269, 'globalcat-ssl', 'Active Directory global catalog over TLS'],
  [9389, 'adws', 'Active Directory Web Services (PowerShell AD module)'],
  [42, 'wins-repl', 'WINS replication: a WINS server, legacy name service'],
  [1688, 'kms', 'Key Management Service activation host'],
  // Web
  [80, 'http', 'IIS: web sites, default pages, verbs and headers to check'],
  [443, 'https', 'IIS over TLS: protocol versions, ciphers and certificate'],
  [8080, 'http-alt', 'alternate HTTP: test sites, proxies, admin consoles'],
  [8443, 'https-alt', 'alternate HTTPS: admin consoles'],
  [8000, 'http-alt', 'alternate HTTP: development servers and appliances'],
  [8530, 'wsus', 'Windows Server Update Services over HTTP'],
  [8531, 'wsus-ssl', 'Windows Server Update Services over HTTPS'],
  // Mail and news (IIS SMTP/NNTP, Exchange)
  [25, 'smtp', 'SMTP (IIS SMTP, Exchange): relay rules; seed 002 says disable when not needed'],
  [110, 'pop3', 'POP3 mailbox access, often cleartext'],
  [143, 'imap', 'IMAP mailbox access, often cleartext'],
  [465, 'smtps', 'SMTP over TLS'],
  [587, 'submission', 'mail submission'],
  [993, 'imaps', 'IMAP over TLS'],
  [995, 'pop3s', 'POP3 over TLS'],
  [119, 'nntp', 'IIS NNTP service: rarely needed, seed 002 lists it for removal'],
  [563, 'nntps', 'NNTP over TLS'],
  [102, 'x400', 'Exchange X.400 MTA (and Siemens S7 on industrial hosts)'],
  [379, 'srs', 'Exchange Site Replication Service'],
  // Databases and data services
  [1433, 'ms-sql-s', 'SQL Server: a database reachable from the network'],
  [1434, 'ms-sql-dac', 'SQL Server dedicated admin connection (TCP)'],
  [2383, 'ssas', 'SQL Server Analysis Services'],
  [4022, 'ssb', 'SQL Server Service Broker endpoint'],
  [5022, 'sql-hadr', 'SQL Server mirroring / Always On endpoint'],
  [1521, 'oracle', 'Oracle listener: seed 003 "check (database)"'],
  [3306, 'mysql', 'MySQL / MariaDB: seed 003 "check (database)"'],
  [5432, 'postgresql', 'PostgreSQL'],
  // Remote access and VPN
  [1723, 'pptp', 'PPTP VPN (Routing and Remote Access): weak by design'],
  [1701, 'l2tp', 'L2TP VPN (normally UDP; listed in seed 003)'],
  // Third-party remote control that should not be on a server unnoticed
  [5900, 'vnc', 'VNC: seed 003 warns it is among the first ports attackers try'],
  [5800, 'vnc-http', 'VNC Java viewer over HTTP'],
  [5500, 'vnc-listen', 'VNC listening viewer / DualDesk (seed 003)'],
  [5631, 'pcanywhere', 'pcAnywhere host (seed 003)'],
  // Risky or unexpected services from seeds 002/003
  [21, 'ftp', 'FTP: cleartext logins and anonymous access; seed 002 says disable'],
  [23, 'telnet', 'Telnet: cleartext remote shell; seed 002 says disable'],
  [1503, 't120', 'NetMeeting Remote Desktop Sharing (T.120); seed 002 says disable'],
  [1720, 'h323', 'H.323 conferencing (NetMeeting and video systems)'],
  [1080, 'socks', 'SOCKS proxy: an open proxy relays anyone'],
  [1026, 'win-rpc', 'a low dynamic RPC port (Task Scheduler on old Windows, seed 003)'],
  [43, 'whois', 'whois service: unexpected on a Windows server (seed 003)'],
  [79, 'finger', 'finger: discloses user information (seed 003)'],
  [115, 'sftp-legacy', 'Simple File Transfer Protocol (seed 003)'],
  [179, 'bgp', 'BGP: routing daemons do not belong on application servers (seed 003)'],
  [1090, 'realaudio', 'streaming media service (seed 003)'],
  [1677, 'groupwise', 'Novell GroupWise agent (seed 003)'],
  [3101, 'bes', 'BlackBerry Enterprise Server (seed 003)'],
  [3390, 'mce', 'Media Center Extender remote desktop (seed 003)'],
  [3535, 'smtp-alt', 'alternate SMTP relay port (seed 003)'],
  [4321, 'rwhois', 'referral whois (seed 003)'],
  [4664, 'gds', 'desktop search web interface (seed 003)'],
  [5190, 'aim', 'instant messenger (seed 003)'],
  [7070, 'realserver', 'streaming media / remote support agents (seed 003)'],
  [7100, 'groupwise-mta', 'Novell GroupWise MTA (seed 003)'],
  [8799, 'proxy', 'HTTP proxy port (seed 003)'],
  [8880, 'http-alt', 'alternate HTTP (seed 003)'],
  [39720, 'p2p', 'peer-to-peer file sharing client (seed 003)'],
];

// UDP: the Windows services we have a protocol payload for (udp.ts). Seed 003 also lists 67
// (DHCP), 2409, 5632 and 19430 over UDP; no payload exists for them, so they are not probed.
const WINDOWS_UDP_ROWS: readonly Row[] = [
  [53, 'dns', 'DNS Server role'],
  [123, 'ntp', 'Windows Time service answering as a time server'],
  [137, 'netbios-ns', 'NetBIOS name service: discloses computer, domain and user names'],
  [161, 'snmp', 'SNMP service: default communities expose the whole system'],
  [500, 'ike', 'IPsec IKE (Routing and Remote Access, IPsec policies)'],
  [1434, 'ms-sql-m', 'SQL Server Browser: lists instances and their ports'],
  [1900, 'ssdp', 'SSDP discovery (UPnP Device Host)'],
  [5353, 'mdns', 'multicast DNS responder'],
  [5355, 'llmnr', 'LLMNR: name poisoning target on a LAN'],
];

// ------------------------------------------------------------------ common (TCP, beyond windows)

const COMMON_GROUPS: Record<string, readonly Row[]> = {
  'remote access': [
    [512, 'rexec', 'BSD rexec: password in cleartext'],
    [513, 'rlogin', 'BSD rlogin: host-based trust'],
    [514, 'rsh', 'BSD rsh: host-based trust, no password'],
    [992, 'telnets', 'Telnet over TLS'],
    [2222, 'ssh-alt', 'SSH on an alternate port'],
    [2200, 'ssh-alt', 'SSH on an alternate port'],
    [8022, 'ssh-alt', 'SSH on an alternate port'],
    [5901, 'vnc-1', 'VNC display :1'],
    [5902, 'vnc-2', 'VNC display :2'],
    [5903, 'vnc-3', 'VNC display :3'],
    [5938, 'teamviewer', 'TeamViewer remote control'],
    [4899, 'radmin', 'Radmin remote control'],
    [3283, 'ard', 'Apple Remote Desktop'],
    [6000, 'x11', 'X11 display server: unauthenticated screens and keystrokes'],
    [6001, 'x11-1', 'X11 display :1'],
    [6568, 'anydesk', 'AnyDesk remote control'],
    [3391, 'rdg', 'RD Gateway alternate / RDP transport'],
    [3392, 'rdp-alt', 'RDP moved to a nearby port'],
    [13389, 'rdp-alt', 'RDP moved to a high port'],
    [33890, 'rdp-alt', 'RDP moved to a high port'],
  ],
  'file sharing and storage': [
    [111, 'rpcbind', 'ONC RPC portmapper: the map to NFS and other RPC services'],
    [548, 'afp', 'Apple Filing Protocol'],
    [873, 'rsync', 'rsync daemon: modules readable without a password'],
    [990, 'ftps', 'FTP over TLS'],
    [989, 'ftps-data', 'FTP over TLS data channel'],
    [2049, 'nfs', 'NFS file service'],
    [2121, 'ftp-alt', 'FTP on an alternate port'],
    [3260, 'iscsi', 'iSCSI target: block storage on the network'],
    [3205, 'isns', 'iSNS storage name service'],
    [20048, 'mountd', 'NFS mount daemon'],
    [22000, 'syncthing', 'Syncthing file synchronisation'],
    [8384, 'syncthing-gui', 'Syncthing web interface'],
    [9000, 'minio', 'S3-compatible object stores, PHP-FPM, SonarQube, ClickHouse'],
    [5001, 'nas-https', 'NAS web interfaces over HTTPS'],
    [10000, 'webmin-ndmp', 'Webmin admin console; NDMP backup'],
  ],
  'directory and authentication': [
    [49, 'tacacs', 'TACACS+ device administration'],
    [749, 'kerberos-adm', 'Kerberos administration (MIT kadmind)'],
    [754, 'krb-prop', 'Kerberos database propagation'],
    [1812, 'radius', 'RADIUS authentication (TCP, RFC 6613)'],
    [2083, 'radsec', 'RADIUS over TLS; web hosting panels'],
  ],
  web: [
    [81, 'http-alt', 'alternate HTTP'],
    [591, 'http-alt', 'FileMaker web publishing'],
    [8008, 'http-alt', 'alternate HTTP'],
    [8081, 'http-alt', 'alternate HTTP: repository managers, proxies'],
    [8082, 'http-alt', 'alternate HTTP'],
    [8083, 'http-alt', 'alternate HTTP'],
    [8088, 'http-alt', 'alternate HTTP: Hadoop YARN, test sites'],
    [8090, 'http-alt', 'alternate HTTP: wikis and consoles'],
    [8180, 'http-alt', 'alternate HTTP: application servers'],
    [8181, 'http-alt', 'alternate HTTP'],
    [8280, 'http-alt', 'alternate HTTP'],
    [8888, 'http-alt', 'alternate HTTP: notebooks and dev servers'],
    [9080, 'http-alt', 'application server HTTP (WebSphere)'],
    [9090, 'http-alt', 'admin consoles, Prometheus, Cockpit'],
    [9443, 'https-alt', 'application server or appliance HTTPS'],
    [4443, 'https-alt', 'alternate HTTPS'],
    [7443, 'https-alt', 'alternate HTTPS'],
    [10443, 'https-alt', 'alternate HTTPS (VPN portals)'],
    [3000, 'http-dev', 'Node.js / Grafana / developer servers'],
    [4200, 'http-dev', 'front-end development servers'],
    [5000, 'http-dev', 'Flask and container registries; UPnP'],
    [8001, 'http-alt', 'alternate HTTP; kubectl proxy'],
    [8009, 'ajp', 'AJP connector: must never face the network (Ghostcat)'],
    [7001, 'weblogic', 'Oracle WebLogic'],
    [7002, 'weblogic-ssl', 'Oracle WebLogic over TLS'],
    [4848, 'glassfish', 'GlassFish admin console'],
    [9990, 'wildfly-admin', 'WildFly admin console'],
    [8161, 'activemq-web', 'ActiveMQ web console'],
    [3128, 'squid', 'HTTP proxy: an open proxy relays anyone'],
    [8118, 'privoxy', 'HTTP proxy'],
    [8123, 'http-alt', 'home automation, ClickHouse HTTP, proxies'],
    [2082, 'cpanel', 'hosting control panel'],
    [2086, 'whm', 'hosting control panel'],
    [2087, 'whm-ssl', 'hosting control panel over TLS'],
    [16080, 'http-alt', 'alternate HTTP'],
    [8200, 'vault', 'HashiCorp Vault API'],
  ],
  mail: [
    [2525, 'smtp-alt', 'SMTP on an alternate port'],
    [4190, 'sieve', 'ManageSieve mail filters'],
    [106, 'poppassd', 'mail password change'],
    [109, 'pop2', 'POP2: obsolete'],
    [209, 'qmtp', 'QMTP mail transfer'],
    [691, 'msexch-routing', 'Exchange link-state routing'],
  ],
  'naming, time and network infrastructure': [
    [853, 'dns-tls', 'DNS over TLS'],
    [5380, 'dns-admin', 'DNS server web consoles'],
    [646, 'ldp', 'MPLS label distribution'],
    [2000, 'sccp', 'Cisco SCCP telephony; routers'],
    [4786, 'smart-install', 'Cisco Smart Install: remote configuration without authentication'],
    [8291, 'winbox', 'MikroTik Winbox'],
    [8728, 'mikrotik-api', 'MikroTik API'],
    [8729, 'mikrotik-api-ssl', 'MikroTik API over TLS'],
    [2601, 'zebra', 'Quagga/FRR zebra vty'],
    [2604, 'ospfd', 'Quagga/FRR ospfd vty'],
    [2605, 'bgpd', 'Quagga/FRR bgpd vty'],
    [830, 'netconf', 'NETCONF over SSH'],
    [9339, 'gnmi', 'gNMI network telemetry'],
  ],
  databases: [
    [1526, 'oracle-alt', 'Oracle listener alternate port'],
    [2483, 'oracle-tcps', 'Oracle listener over TLS'],
    [2484, 'oracle-tcps', 'Oracle listener over TLS'],
    [33060, 'mysqlx', 'MySQL X protocol'],
    [6379, 'redis', 'Redis: often without authentication'],
    [6380, 'redis-alt', 'Redis second instance / TLS'],
    [26379, 'redis-sentinel', 'Redis Sentinel'],
    [9042, 'cassandra', 'Cassandra CQL'],
    [7000, 'cassandra-node', 'Cassandra inter-node traffic'],
    [7199, 'cassandra-jmx', 'Cassandra JMX'],
    [8086, 'influxdb', 'InfluxDB HTTP API'],
    [8091, 'couchbase', 'Couchbase admin'],
    [5984, 'couchdb', 'CouchDB HTTP API'],
    [9200, 'elasticsearch', 'Elasticsearch HTTP API: data readable without auth'],
    [9300, 'elasticsearch-transport', 'Elasticsearch node transport'],
    [27017, 'mongodb', 'MongoDB'],
    [27018, 'mongodb-shard', 'MongoDB shard'],
    [27019, 'mongodb-config', 'MongoDB config server'],
    [11211, 'memcached', 'memcached: no authentication, amplification'],
    [28015, 'rethinkdb', 'RethinkDB'],
    [50000, 'db2', 'IBM Db2; Jenkins agents'],
    [3050, 'firebird', 'Firebird / InterBase'],
    [1583, 'pervasive', 'Pervasive / Actian Zen'],
    [8529, 'arangodb', 'ArangoDB'],
    [7474, 'neo4j', 'Neo4j HTTP'],
    [7687, 'neo4j-bolt', 'Neo4j Bolt'],
    [2379, 'etcd', 'etcd client API: cluster secrets'],
    [2380, 'etcd-peer', 'etcd peer traffic'],
    [26257, 'cockroachdb', 'CockroachDB'],
    [6432, 'pgbouncer', 'PostgreSQL connection pooler'],
    [5433, 'postgresql-alt', 'PostgreSQL second instance'],
    [1830, 'oracle-net8', 'Oracle Net8 cman'],
    [4100, 'sybase', 'Sybase / SAP ASE'],
    [5050, 'sybase-alt', 'SAP ASE alternate; Mesos'],
    [8087, 'riak', 'Riak'],
    [9160, 'cassandra-thrift', 'Cassandra Thrift'],
    [16379, 'redis-cluster', 'Redis cluster bus'],
  ],
  'messaging and queues': [
    [1883, 'mqtt', 'MQTT broker: often anonymous'],
    [8883, 'mqtts', 'MQTT over TLS'],
    [5672, 'amqp', 'AMQP broker (RabbitMQ)'],
    [5671, 'amqps', 'AMQP over TLS'],
    [15672, 'rabbitmq-mgmt', 'RabbitMQ management UI'],
    [61616, 'activemq', 'ActiveMQ OpenWire'],
    [61613, 'stomp', 'STOMP messaging'],
    [9092, 'kafka', 'Kafka broker'],
    [2181, 'zookeeper', 'ZooKeeper: cluster state, often unauthenticated'],
    [4222, 'nats', 'NATS messaging'],
    [5222, 'xmpp', 'XMPP client connections'],
    [5269, 'xmpp-s2s', 'XMPP server-to-server'],
    [6667, 'irc', 'IRC: also a classic botnet channel'],
    [6697, 'ircs', 'IRC over TLS'],
    [4369, 'epmd', 'Erlang port mapper (RabbitMQ, CouchDB clusters)'],
    [25672, 'rabbitmq-dist', 'RabbitMQ inter-node traffic'],
  ],
  'monitoring and management': [
    [199, 'smux', 'SNMP multiplexer'],
    [5666, 'nrpe', 'Nagios remote plugin executor'],
    [5667, 'nsca', 'Nagios passive checks'],
    [10050, 'zabbix-agent', 'Zabbix agent: remote commands when enabled'],
    [10051, 'zabbix-server', 'Zabbix server/proxy'],
    [9091, 'http-alt', 'Prometheus pushgateway; transmission'],
    [9093, 'alertmanager', 'Prometheus Alertmanager'],
    [9182, 'windows-exporter', 'Prometheus Windows exporter'],
    [601, 'syslog-conn', 'syslog over TCP'],
    [6514, 'syslog-tls', 'syslog over TLS'],
    [2003, 'graphite', 'Graphite plaintext metrics'],
    [2004, 'graphite-pickle', 'Graphite pickle receiver: code execution risk'],
    [4949, 'munin', 'Munin node'],
    [5601, 'kibana', 'Kibana'],
    [16992, 'amt', 'Intel AMT web interface'],
    [16993, 'amt-tls', 'Intel AMT over TLS'],
    [5988, 'wbem', 'WBEM/CIM over HTTP (server management)'],
    [5989, 'wbem-https', 'WBEM/CIM over HTTPS'],
    [2381, 'hp-smh', 'HPE System Management Homepage'],
    [1311, 'dell-omsa', 'Dell OpenManage Server Administrator'],
    [17988, 'ilo-vm', 'HPE iLO virtual media'],
    [8089, 'splunkd', 'Splunk management API'],
    [9997, 'splunk-fwd', 'Splunk forwarder receiver'],
    [8834, 'nessus', 'vulnerability scanner console'],
    [9392, 'veeam', 'Veeam Backup service / OpenVAS'],
  ],
  'virtualisation and containers': [
    [902, 'vmware-auth', 'VMware ESXi/Workstation authentication daemon'],
    [903, 'vmware-console', 'VMware remote console'],
    [5480, 'vami', 'VMware appliance management'],
    [2375, 'docker', 'Docker API without TLS: root on the host'],
    [2376, 'docker-tls', 'Docker API over TLS'],
    [2377, 'swarm', 'Docker Swarm management'],
    [4243, 'docker-alt', 'Docker API on a legacy port'],
    [6443, 'kube-api', 'Kubernetes API server'],
    [10250, 'kubelet', 'kubelet API: exec into pods when misconfigured'],
    [10255, 'kubelet-ro', 'kubelet read-only API'],
    [10256, 'kube-proxy', 'kube-proxy health'],
    [8500, 'consul', 'Consul HTTP API'],
    [8300, 'consul-rpc', 'Consul server RPC'],
    [4646, 'nomad', 'Nomad HTTP API'],
    [16509, 'libvirt', 'libvirt daemon (TCP)'],
    [16514, 'libvirt-tls', 'libvirt daemon over TLS'],
    [8006, 'proxmox', 'Proxmox VE web interface'],
    [6080, 'novnc', 'noVNC console proxy'],
  ],
  'VPN and tunnels': [
    [1194, 'openvpn', 'OpenVPN over TCP'],
    [1293, 'ipsec-tcp', 'IPsec over TCP'],
    [4500, 'ipsec-nat-t', 'IKE NAT traversal (TCP encapsulation, RFC 8229)'],
    [943, 'openvpn-as', 'OpenVPN Access Server web'],
    [8388, 'shadowsocks', 'Shadowsocks proxy'],
  ],
  'printing and devices': [
    [9101, 'jetdirect-2', 'raw printing, second port'],
    [9102, 'jetdirect-3', 'raw printing, third port; Bacula'],
    [9103, 'bacula-sd', 'Bacula storage daemon'],
    [3702, 'ws-discovery', 'WS-Discovery (TCP side)'],
  ],
  'telephony and media': [
    [5060, 'sip', 'SIP signalling'],
    [5061, 'sips', 'SIP over TLS'],
    [554, 'rtsp', 'RTSP cameras and media servers'],
    [1935, 'rtmp', 'RTMP streaming'],
    [8554, 'rtsp-alt', 'RTSP alternate'],
    [5004, 'rtp', 'RTP media'],
    [3478, 'stun', 'STUN/TURN relay'],
    [32400, 'plex', 'Plex media server'],
  ],
  'development and build tools': [
    [9418, 'git', 'git daemon: repositories readable by anyone'],
    [3690, 'svn', 'Subversion server'],
    [8085, 'http-alt', 'build servers'],
    [8111, 'teamcity', 'TeamCity'],
    [8929, 'gitlab-alt', 'GitLab alternate HTTP'],
    [9229, 'node-inspector', 'Node.js debugger: remote code execution if reachable'],
    [5005, 'jdwp', 'Java debug wire protocol: remote code execution if reachable'],
    [1099, 'java-rmi', 'Java RMI registry: deserialisation attacks'],
    [9010, 'jmx', 'JMX remote management'],
    [4040, 'spark-ui', 'Apache Spark UI'],
    [7077, 'spark-master', 'Apache Spark master'],
    [8020, 'hdfs-nn', 'HDFS NameNode RPC'],
    [9870, 'hdfs-web', 'HDFS NameNode web'],
    [50070, 'hdfs-web-old', 'HDFS NameNode web (Hadoop 2)'],
    [8787, 'rstudio', 'RStudio Server'],
    [6006, 'tensorboard', 'TensorBoard'],
    [11434, 'llm-api', 'local model server API without authentication'],
    [5555, 'adb', 'Android debug bridge over TCP'],
    [8983, 'solr', 'Apache Solr admin'],
    [9001, 'supervisor', 'Supervisor / Tor ORPort / app servers'],
    [3001, 'http-dev', 'developer servers'],
    [4000, 'http-dev', 'developer servers'],
    [8002, 'http-alt', 'alternate HTTP'],
    [8003, 'http-alt', 'alternate HTTP'],
  ],
  'backup and storage management': [
    [13724, 'netbackup-vnetd', 'Veritas NetBackup'],
    [13782, 'netbackup-bpcd', 'Veritas NetBackup client'],
    [1556, 'netbackup-pbx', 'Veritas NetBackup PBX'],
    [8400, 'commvault', 'Commvault communications'],
    [6160, 'veeam-install', 'Veeam installer service'],
    [6162, 'veeam-transport', 'Veeam data mover'],
    [9401, 'veeam-mount', 'Veeam mount service'],
    [10001, 'backup-agent', 'backup agents, Ubiquiti discovery'],
  ],
  'industrial and building control': [
    [502, 'modbus', 'Modbus/TCP: unauthenticated control of equipment'],
    [20000, 'dnp3', 'DNP3 SCADA'],
    [44818, 'ethernet-ip', 'EtherNet/IP (CIP)'],
    [1911, 'niagara-fox', 'Tridium Niagara Fox'],
    [4911, 'niagara-fox-tls', 'Tridium Niagara Fox over TLS'],
    [2404, 'iec-104', 'IEC 60870-5-104 telecontrol'],
    [789, 'redlion', 'Red Lion Crimson'],
    [1962, 'pcworx', 'Phoenix Contact PCWorx'],
    [9600, 'omron-fins', 'OMRON FINS'],
    [18245, 'ge-srtp', 'GE SRTP'],
    [47808, 'bacnet', 'BACnet (TCP side)'],
  ],
  'legacy, test and backdoor ports': [
    [7, 'echo', 'echo: legacy test service'],
    [9, 'discard', 'discard: legacy test service'],
    [13, 'daytime', 'daytime: legacy, discloses time'],
    [17, 'qotd', 'quote of the day: legacy'],
    [19, 'chargen', 'character generator: legacy, abused for floods'],
    [37, 'time', 'time protocol: legacy'],
    [70, 'gopher', 'gopher: legacy'],
    [113, 'ident', 'ident: discloses process owners'],
    [6660, 'irc-alt', 'IRC alternate'],
    [6665, 'irc-alt', 'IRC alternate'],
    [6666, 'irc-alt', 'IRC alternate'],
    [6668, 'irc-alt', 'IRC alternate'],
    [6669, 'irc-alt', 'IRC alternate'],
    [4444, 'shell', 'default listener of exploitation tools: investigate'],
    [31337, 'backdoor', 'classic backdoor port: investigate'],
    [12345, 'backdoor', 'classic backdoor port: investigate'],
    [1337, 'backdoor', 'commonly chosen by malware and test shells'],
    [6969, 'bittorrent', 'BitTorrent tracker'],
    [6881, 'bittorrent', 'BitTorrent peer'],
    [8333, 'bitcoin', 'Bitcoin node: unexpected on a server'],
    [3333, 'miner', 'mining pool / miners: unexpected on a server'],
    [49152, 'win-dyn', 'first dynamic RPC port on Windows; UPnP devices'],
    [49153, 'win-dyn', 'dynamic RPC port (often a Windows service)'],
    [49154, 'win-dyn', 'dynamic RPC port (often a Windows service)'],
  ],
};

// ------------------------------------------------------------------ assembled lists

function dedupe(entries: PortEntry[]): PortEntry[] {
  const seen = new Map<number, PortEntry>();
  for (const e of entries) if (!seen.has(e.port)) seen.set(e.port, e);
  return [...seen.values()].sort((a, b) => a.port - b.port);
}

export const WINDOWS_TCP: readonly PortEntry[] = dedupe(rows(WINDOWS_ROLES));
export const WINDOWS_UDP: readonly PortEntry[] = dedupe(rows(WINDOWS_UDP_ROWS));
/** `common`: all of `windows` (its reasons win) plus the groups above. */
export const COMMON_TCP: readonly PortEntry[] = dedupe([...WINDOWS_TCP, ...Object.values(COMMON_GROUPS).flatMap((g) => rows(g))]);
export const COMMON_UDP: readonly PortEntry[] = WINDOWS_UDP;
/** Group name of each `common` port (for `portcullis rules`-style listings). */
export const COMMON_GROUP_OF: ReadonlyMap<number, string> = new Map(
  Object.entries(COMMON_GROUPS).flatMap(([group, list]) => list.map(([port]) => [port, group] as [number, string])),
);

export const PROFILE_NAMES = ['windows', 'common', 'top', 'all'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface ResolvedPorts {
  tcp: number[];
  /** UDP ports to probe (only ports with a UDP payload; see udp.ts). */
  udp: number[];
  /** Profiles named in the spec (empty for a plain list). */
  profiles: ProfileName[];
  /** True when the spec names `windows`: its UDP ports are probed unless the user says --no-udp. */
  udpByDefault: boolean;
}

export interface ResolveOptions {
  /** `--exclude-ports` text; applies to TCP and UDP. */
  excludePorts?: string;
  /** Name of the option the spec came from, for messages. Default `--ports`. */
  label?: string;
}

const ALL_PORTS_COUNT = MAX_PORT - MIN_PORT + 1;

/**
 * Resolve a `--ports` value: profile names and port items separated by commas. Throws
 * PortcullisError E_USAGE naming the bad item, or when nothing is left after the exclusions.
 */
export function resolvePorts(spec: string, options: ResolveOptions = {}): ResolvedPorts {
  const label = options.label ?? '--ports';
  const text = spec.trim();
  if (text === '') throw new PortcullisError('E_USAGE', `${label} is empty; give a profile (${PROFILE_NAMES.join(', ')}) or ports like 22,80,8000-8100`);
  const tcp = new Set<number>();
  const udp = new Set<number>();
  const profiles: ProfileName[] = [];
  let all = false;
  const listed: number[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim().toLowerCase();
    if ((PROFILE_NAMES as readonly string[]).includes(item)) {
      const name = item as ProfileName;
      if (!profiles.includes(name)) profiles.push(name);
      if (name === 'all') all = true;
      const t = name === 'windows' ? WINDOWS_TCP : name === 'all' ? [] : COMMON_TCP;
      const u = name === 'windows' ? WINDOWS_UDP : COMMON_UDP;
      for (const e of t) tcp.add(e.port);
      for (const e of u) udp.add(e.port);
      continue;
    }
    const r = parsePortItem(raw);
    if (!r.ok) {
      const hint = /^[a-z]+$/.test(item) ? ` (profiles: ${PROFILE_NAMES.join(', ')})` : '';
      throw new PortcullisError('E_USAGE', `bad ${label} '${spec}': ${r.why}${hint}`);
    }
    for (let p = r.value.first; p <= r.value.last; p++) listed.push(p);
  }
  const payloadPorts = new Set(UDP_PAYLOAD_PORTS);
  for (const p of listed) {
    tcp.add(p);
    if (payloadPorts.has(p)) udp.add(p);
  }
  const excluded = new Set(options.excludePorts !== undefined && options.excludePorts.trim() !== '' ? parsePortList(options.excludePorts, { label: '--exclude-ports' }) : []);
  let tcpList: number[];
  if (all) {
    tcpList = [];
    for (let p = MIN_PORT; p <= MAX_PORT; p++) if (!excluded.has(p)) tcpList.push(p);
  } else tcpList = [...tcp].filter((p) => !excluded.has(p)).sort((a, b) => a - b);
  const udpList = [...udp].filter((p) => !excluded.has(p)).sort((a, b) => a - b);
  if (tcpList.length === 0 && udpList.length === 0) {
    throw new PortcullisError('E_USAGE', `no ports left to scan: --exclude-ports removes every port of ${label} '${spec}'`);
  }
  return { tcp: tcpList, udp: udpList, profiles, udpByDefault: profiles.includes('windows') };
}

/** Why a port is in our profiles (for reports and `rules`), or undefined for unlisted ports. */
export function portReason(port: number, protocol: 'tcp' | 'udp' = 'tcp'): PortEntry | undefined {
  const list = protocol === 'udp' ? COMMON_UDP : COMMON_TCP;
  return list.find((e) => e.port === port);
}

/** Number of ports in `all`. */
export const ALL_PORTS = ALL_PORTS_COUNT;

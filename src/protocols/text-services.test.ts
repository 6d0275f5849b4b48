// Byte transcripts for the line-oriented service codecs: FTP, SMTP, POP3, IMAP, Telnet, SSH.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FTP, featuresOfferTls, ftpProduct, numericReplyLength, parseFeatures, parseNumericReply } from './ftp.js';
import { SMTP, parseEhlo, smtpProduct } from './smtp.js';
import { multilineLength, parseMultiline, parsePop3Status } from './pop3.js';
import { parseImapGreeting } from './imap.js';
import { isTelnetNegotiation, parseTelnet, refuseAll, describeNegotiations } from './telnet.js';
import { parseSshIdentification, softwareProduct } from './ssh.js';
import { MalformedReply } from './malformed.js';

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

test('ftp: single and multi-line replies (RFC 959 free-text middle lines)', () => {
  const one = b('220 (vsFTPd 3.0.3)\r\nleftover');
  assert.equal(numericReplyLength(one, FTP), 20);
  const r = parseNumericReply(one.subarray(0, 20), FTP);
  assert.equal(r.code, 220);
  assert.deepEqual(ftpProduct(r.lines.join(' ')), { product: 'vsftpd', version: '3.0.3' });
  const feat = b('211-Features:\r\n EPRT\r\n AUTH TLS\r\n PBSZ\r\n211 End\r\n');
  assert.equal(numericReplyLength(feat, FTP), feat.length);
  const features = parseFeatures(parseNumericReply(feat, FTP));
  assert.deepEqual(features, ['EPRT', 'AUTH TLS', 'PBSZ']);
  assert.equal(featuresOfferTls(features), true);
  assert.equal(featuresOfferTls(['EPRT', 'PASV', 'AUTHX']), false);
  // Incomplete multi-line reply: wait for more.
  assert.equal(numericReplyLength(b('211-Features:\r\n EPRT\r\n'), FTP), 0);
  // 211 followed by a line starting with "211-" is still inside the reply.
  assert.equal(numericReplyLength(b('211-a\r\n211-b\r\n211 c\r\n'), FTP), 21);
});

test('ftp/smtp: non-reply bytes fail fast; endless replies stop at the cap', () => {
  for (const junk of ['SSH-2.0-x\r\n', 'HTTP/1.1 200 OK\r\n', '\xff\xfd\x18', '999 nope\r\n', '22x hi\r\n', '2']) {
    if (junk === '2') {
      assert.equal(numericReplyLength(b(junk), FTP), 0); // could still become "220 …"
      continue;
    }
    assert.throws(() => numericReplyLength(b(junk), FTP), MalformedReply, JSON.stringify(junk));
  }
  const endless = Buffer.concat([b('220-'), Buffer.alloc(70_000, 0x61)]);
  assert.throws(() => numericReplyLength(endless, FTP), /no end of reply/);
  const manyLines = b(`220-x\r\n${'more\r\n'.repeat(1200)}`);
  assert.throws(() => numericReplyLength(manyLines, FTP), /lines/);
});

test('smtp: EHLO capabilities; continuation lines must carry the code', () => {
  const ehlo = b('250-mail.example.net\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-STARTTLS\r\n250 8BITMIME\r\n');
  assert.equal(numericReplyLength(ehlo, SMTP), ehlo.length);
  const e = parseEhlo(parseNumericReply(ehlo, SMTP));
  assert.equal(e.domain, 'mail.example.net');
  assert.deepEqual(e.capabilities.get('SIZE'), ['10240000']);
  assert.ok(e.capabilities.has('STARTTLS'));
  assert.throws(() => numericReplyLength(b('250-a\r\nfree text\r\n250 b\r\n'), SMTP), /continuation line/);
  assert.deepEqual(smtpProduct('mx.example.org ESMTP Postfix (Debian/GNU)'), { product: 'Postfix' });
  assert.deepEqual(smtpProduct('host Microsoft ESMTP MAIL Service, Version: 10.0.17763.1 ready'), { product: 'Microsoft ESMTP', version: '10.0.17763.1' });
});

test('pop3 and imap greetings', () => {
  assert.deepEqual(parsePop3Status('+OK Dovecot ready.'), { ok: true, text: 'Dovecot ready.' });
  assert.deepEqual(parsePop3Status('-ERR go away'), { ok: false, text: 'go away' });
  assert.throws(() => parsePop3Status('* OK IMAP'), MalformedReply);
  const capa = b('TOP\r\nUSER\r\n..dot\r\n.\r\nrest');
  assert.equal(multilineLength(capa), capa.indexOf('rest'));
  assert.deepEqual(parseMultiline(capa.subarray(0, multilineLength(capa))), ['TOP', 'USER', '.dot']);
  assert.equal(multilineLength(b('TOP\r\nUSER\r\n')), 0);
  assert.throws(() => multilineLength(Buffer.alloc(70_000, 0x61)), MalformedReply);
  const g = parseImapGreeting('* OK [CAPABILITY IMAP4rev1 STARTTLS AUTH=PLAIN] Dovecot ready.');
  assert.equal(g.status, 'OK');
  assert.deepEqual(g.capabilities, ['IMAP4REV1', 'STARTTLS', 'AUTH=PLAIN']);
  assert.equal(g.text, 'Dovecot ready.');
  assert.equal(parseImapGreeting('* PREAUTH IMAP4rev1 server logged in as x').status, 'PREAUTH');
  assert.throws(() => parseImapGreeting('+OK pop3'), MalformedReply);
});

test('telnet: negotiation parse, escapes, subnegotiation, truncation', () => {
  // inetutils telnetd opening: DO TERMINAL-TYPE, DO TSPEED, DO XDISPLOC, DO NEW-ENVIRON …
  const open = Buffer.from([0xff, 0xfd, 0x18, 0xff, 0xfd, 0x20, 0xff, 0xfd, 0x23, 0xff, 0xfd, 0x27]);
  const p = parseTelnet(open);
  assert.equal(p.negotiations.length, 4);
  assert.equal(describeNegotiations(p), 'DO TERMINAL-TYPE, DO TERMINAL-SPEED, DO X-DISPLAY-LOCATION, DO NEW-ENVIRON');
  assert.equal(isTelnetNegotiation(open), true);
  assert.deepEqual([...refuseAll(p.negotiations)], [0xff, 0xfc, 0x18, 0xff, 0xfc, 0x20, 0xff, 0xfc, 0x23, 0xff, 0xfc, 0x27]);
  const mixed = parseTelnet(Buffer.from([0x61, 0xff, 0xff, 0x62, 0xff, 0xfa, 0x18, 0x01, 0xff, 0xff, 0xff, 0xf0, 0x63, 0xff, 0xfb, 0x01]));
  assert.equal(mixed.text.toString('latin1'), 'a\xffbc');
  assert.deepEqual(mixed.subnegotiations, [0x18]);
  assert.deepEqual(mixed.negotiations, [{ verb: 'WILL', option: 1 }]);
  assert.equal(parseTelnet(Buffer.from([0xff, 0xfd])).truncated, true);
  assert.equal(parseTelnet(Buffer.from([0xff, 0xfa, 0x18, 0x01, 0x02])).truncated, true);
  // Random bytes that merely start with 0xFF are not negotiation.
  assert.equal(isTelnetNegotiation(Buffer.from([0xff, 0x00, 0x12, 0x34])), false);
  assert.equal(isTelnetNegotiation(b('login: ')), false);
});

test('ssh: identification string, prelude lines, limits', () => {
  const id = parseSshIdentification(b('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n'));
  assert.ok(id);
  assert.equal(id.product, 'OpenSSH');
  assert.equal(id.version, '9.2p1');
  assert.equal(id.comments, 'Debian-2+deb12u3');
  assert.deepEqual(softwareProduct('OpenSSH_for_Windows_8.1'), { product: 'OpenSSH for Windows', version: '8.1' });
  assert.deepEqual(softwareProduct('dropbear_2022.83'), { product: 'dropbear', version: '2022.83' });
  const pre = parseSshIdentification(b('Welcome\r\nSSH-1.99-Cisco-1.25\r\n'));
  assert.equal(pre?.protoVersion, '1.99');
  assert.equal(pre?.product, 'Cisco');
  assert.equal(parseSshIdentification(b('SSH-2.0-Open')), null); // wait for the line end
  assert.throws(() => parseSshIdentification(b(`SSH-2.0-${'x'.repeat(300)}\r\n`)), /longer than 255/);
  assert.throws(() => parseSshIdentification(b('SSH-2.0\r\n')), MalformedReply);
  assert.throws(() => parseSshIdentification(b('x\n'.repeat(30))), /within 20 lines/);
});

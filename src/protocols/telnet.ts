// Telnet (RFC 854 / 855): the server opens with IAC option negotiation (IAC = 0xFF followed by
// WILL/WONT/DO/DONT and an option byte, or SB … IAC SE for subnegotiation). Seeing well-formed
// negotiation in the first bytes is what identifies a Telnet server.

export const IAC = 0xff;
const SE = 240;
const SB = 250;
const VERBS: Record<number, 'WILL' | 'WONT' | 'DO' | 'DONT'> = { 251: 'WILL', 252: 'WONT', 253: 'DO', 254: 'DONT' };

/** Option names (IANA "Telnet Options") for evidence; numbers outside the list print as numbers. */
const OPTION_NAMES: Record<number, string> = {
  0: 'BINARY', 1: 'ECHO', 3: 'SUPPRESS-GO-AHEAD', 5: 'STATUS', 6: 'TIMING-MARK', 24: 'TERMINAL-TYPE',
  31: 'NAWS', 32: 'TERMINAL-SPEED', 33: 'TOGGLE-FLOW-CONTROL', 34: 'LINEMODE', 35: 'X-DISPLAY-LOCATION',
  36: 'OLD-ENVIRON', 37: 'AUTHENTICATION', 38: 'ENCRYPT', 39: 'NEW-ENVIRON', 46: 'START-TLS',
};

export function optionName(option: number): string {
  return OPTION_NAMES[option] ?? `option-${option}`;
}

export interface Negotiation {
  verb: 'WILL' | 'WONT' | 'DO' | 'DONT';
  option: number;
}

export interface TelnetParse {
  negotiations: Negotiation[];
  /** Options that opened a subnegotiation (SB <option> … IAC SE). */
  subnegotiations: number[];
  /** The data bytes with commands removed (IAC IAC unescaped). */
  text: Buffer;
  /** The buffer ended inside a command (more bytes needed to finish it). */
  truncated: boolean;
  /** Commands that are not part of RFC 854 (a sign this is not Telnet). */
  invalid: number;
}

/** Walk the bytes once; bounded by the input length, never allocating more than it. */
export function parseTelnet(buf: Buffer): TelnetParse {
  const negotiations: Negotiation[] = [];
  const subnegotiations: number[] = [];
  const text: number[] = [];
  let invalid = 0;
  let i = 0;
  while (i < buf.length) {
    const b = buf[i] as number;
    if (b !== IAC) {
      text.push(b);
      i++;
      continue;
    }
    if (i + 1 >= buf.length) return { negotiations, subnegotiations, text: Buffer.from(text), truncated: true, invalid };
    const cmd = buf[i + 1] as number;
    if (cmd === IAC) {
      text.push(IAC);
      i += 2;
    } else if (VERBS[cmd]) {
      if (i + 2 >= buf.length) return { negotiations, subnegotiations, text: Buffer.from(text), truncated: true, invalid };
      negotiations.push({ verb: VERBS[cmd], option: buf[i + 2] as number });
      i += 3;
    } else if (cmd === SB) {
      if (i + 2 >= buf.length) return { negotiations, subnegotiations, text: Buffer.from(text), truncated: true, invalid };
      subnegotiations.push(buf[i + 2] as number);
      // Skip to IAC SE, honouring IAC IAC escapes inside the parameters.
      let j = i + 3;
      let closed = false;
      while (j < buf.length - 1) {
        if (buf[j] === IAC && buf[j + 1] === SE) {
          closed = true;
          break;
        }
        j += buf[j] === IAC && buf[j + 1] === IAC ? 2 : 1;
      }
      if (!closed) return { negotiations, subnegotiations, text: Buffer.from(text), truncated: true, invalid };
      i = j + 2;
    } else if (cmd >= 241 && cmd <= 249) {
      // NOP, Data Mark, Break, IP, AO, AYT, EC, EL, GA: two-byte commands.
      i += 2;
    } else {
      invalid++;
      i += 2;
    }
  }
  return { negotiations, subnegotiations, text: Buffer.from(text), truncated: false, invalid };
}

/** True when the first bytes open with well-formed option negotiation. */
export function isTelnetNegotiation(buf: Buffer): boolean {
  if (buf.length < 3 || buf[0] !== IAC) return false;
  const p = parseTelnet(buf.subarray(0, 512));
  return p.invalid === 0 && (p.negotiations.length > 0 || p.subnegotiations.length > 0);
}

export function describeNegotiations(p: TelnetParse, max = 12): string {
  const items = p.negotiations.slice(0, max).map((n) => `${n.verb} ${optionName(n.option)}`);
  if (p.negotiations.length > max) items.push(`… ${p.negotiations.length - max} more`);
  for (const o of p.subnegotiations.slice(0, 4)) items.push(`SB ${optionName(o)}`);
  return items.join(', ');
}

/**
 * The refusal a cautious client sends (RFC 854 "DON'T/WON'T" for everything asked), which lets
 * the server continue to its login prompt without us agreeing to anything.
 */
export function refuseAll(negotiations: readonly Negotiation[]): Buffer {
  const out: number[] = [];
  for (const n of negotiations.slice(0, 64)) {
    if (n.verb === 'DO') out.push(IAC, 252, n.option);
    else if (n.verb === 'WILL') out.push(IAC, 254, n.option);
  }
  return Buffer.from(out);
}

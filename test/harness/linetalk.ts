// A tiny line-oriented TCP conversation helper for the self-tests (FTP, SMTP): send a line, read
// the reply up to the final line of a multi-line answer. Bounded in time and bytes.
import net from 'node:net';

export interface Talk {
  /** Reads one complete reply ("123 text" or the last line of a "123-" block). */
  reply(timeoutMs?: number): Promise<string>;
  send(line: string, timeoutMs?: number): Promise<string>;
  close(): void;
}

export function talk(host: string, port: number, timeoutMs = 5_000): Promise<Talk> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, host);
    let buf = '';
    let waiter: (() => void) | null = null;
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      if (buf.length > 1 << 20) s.destroy();
      waiter?.();
    });
    s.on('close', () => waiter?.());
    s.on('error', () => {});
    const t = setTimeout(() => reject(new Error(`connect ${host}:${port} timed out`)), timeoutMs);
    s.once('error', (e) => {
      clearTimeout(t);
      reject(e);
    });
    s.once('connect', () => {
      clearTimeout(t);
      const complete = (): string | null => {
        const lines = buf.split('\r\n');
        for (let i = 0; i < lines.length - 1; i++) {
          if (/^\d{3} /.test(lines[i]!)) {
            const out = lines.slice(0, i + 1).join('\n');
            buf = lines.slice(i + 1).join('\r\n');
            return out;
          }
        }
        return null;
      };
      const reply = (ms = timeoutMs) =>
        new Promise<string>((res, rej) => {
          const now = complete();
          if (now !== null) return res(now);
          const timer = setTimeout(() => {
            waiter = null;
            rej(new Error(`no complete reply within ${ms} ms; got ${JSON.stringify(buf.slice(0, 200))}`));
          }, ms);
          waiter = () => {
            const r = complete();
            if (r !== null) {
              clearTimeout(timer);
              waiter = null;
              res(r);
            } else if (s.destroyed) {
              clearTimeout(timer);
              waiter = null;
              rej(new Error(`connection closed; got ${JSON.stringify(buf.slice(0, 200))}`));
            }
          };
        });
      resolve({
        reply,
        send: (line, ms) => {
          s.write(line + '\r\n');
          return reply(ms);
        },
        close: () => s.destroy(),
      });
    });
  });
}

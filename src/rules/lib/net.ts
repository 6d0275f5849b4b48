// Address classes for "Internet-facing": an adapter carries a public address when any of its
// addresses is outside the private, link-local, loopback, CGNAT and documentation ranges.
import { isIPv4, isIPv6 } from 'node:net';

function v4(ip: string): number[] | undefined {
  if (!isIPv4(ip)) return undefined;
  return ip.split('.').map(Number);
}

export function isPublicAddress(raw: string): boolean {
  const ip = raw.trim().replace(/%.*$/, '').replace(/^\[|\]$/g, '');
  const a = v4(ip);
  if (a) {
    const [x, y] = [a[0]!, a[1]!];
    if (x === 10 || x === 127 || x === 0 || x >= 224) return false;
    if (x === 172 && y >= 16 && y <= 31) return false;
    if (x === 192 && y === 168) return false;
    if (x === 169 && y === 254) return false;
    if (x === 100 && y >= 64 && y <= 127) return false; // RFC 6598 shared address space
    if (x === 198 && (y === 18 || y === 19)) return false; // RFC 2544 benchmarking
    if ((x === 192 && y === 0 && a[2] === 2) || (x === 198 && y === 51 && a[2] === 100) || (x === 203 && y === 0 && a[2] === 113)) return false; // documentation
    return true;
  }
  if (isIPv6(ip)) {
    const l = ip.toLowerCase();
    if (l === '::1' || l === '::') return false;
    if (/^fe[89ab]/.test(l)) return false; // link-local
    if (/^f[cd]/.test(l)) return false; // unique local
    if (l.startsWith('2001:db8:') || l.startsWith('2001:0db8:')) return false;
    if (l.startsWith('::ffff:')) return isPublicAddress(l.slice(7));
    return /^[23]/.test(l); // global unicast 2000::/3
  }
  return false;
}

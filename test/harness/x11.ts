// A private virtual X display (Xvfb) for the peers that share a screen (FreeRDP shadow, x11vnc).
// `-displayfd 1` lets Xvfb pick a free display number itself and print it once it accepts
// clients, so parallel tests never race for :N and readiness needs no polling of sockets.
import { HarnessError, type ServerProcess } from './process.js';
import { waitUntil } from './net.js';
import type { PeerBuilder } from './peer.js';

export interface Display {
  /** e.g. ":7" */
  name: string;
  process: ServerProcess;
}

/** Starts Xvfb at 1024x768, 24-bit, no TCP listener; stopped with the peer. */
export async function startXvfb(b: PeerBuilder): Promise<Display> {
  const sp = await b.spawn('Xvfb', 'Xvfb', ['-displayfd', '1', '-nolisten', 'tcp', '-screen', '0', '1024x768x24', '-noreset']);
  let display: number | null = null;
  await waitUntil(
    'Xvfb display',
    () => {
      const m = /^(\d+)$/m.exec(sp.log());
      if (m) display = Number(m[1]);
      return display !== null;
    },
    b.remaining(),
    [sp],
  );
  if (display === null) throw new HarnessError('Xvfb did not report a display number');
  return { name: `:${display}`, process: sp };
}

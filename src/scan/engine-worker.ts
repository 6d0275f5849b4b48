// A worker thread running one Scheduler. The connect scan on loopback or a LAN is bound by the CPU
// cost of socket()/connect()/close(); spreading units over a few threads uses the other cores.
// Protocol (structured clone): in {init}|{unit}|{abort}|{close}; out {done}|{fatal}.
import { parentPort } from 'node:worker_threads';
import { defaultConnector } from './engine-connector.js';
import { Scheduler, type SchedulerOptions, type UnitSpec } from './engine-scheduler.js';

export type WorkerIn =
  | { type: 'init'; options: SchedulerOptions }
  | { type: 'unit'; unit: UnitSpec }
  | { type: 'abort' }
  | { type: 'close' };
export type WorkerOut =
  | { type: 'done'; id: number; codes: Uint8Array; aborted: boolean; probes: number }
  | { type: 'fatal'; message: string };

const port = parentPort;
if (port) {
  let scheduler: Scheduler | null = null;
  const post = (m: WorkerOut, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer ?? []);
  port.on('message', (m: WorkerIn) => {
    switch (m.type) {
      case 'init':
        scheduler = new Scheduler(
          defaultConnector(),
          m.options,
          (d) => {
            // Copy into a fresh buffer we can transfer: the unit's own array is a view the
            // scheduler no longer needs, but it may share an allocation pool.
            const codes = new Uint8Array(d.codes);
            post({ type: 'done', id: d.id, codes, aborted: d.aborted, probes: d.probes }, [codes.buffer as ArrayBuffer]);
          },
          (e) => post({ type: 'fatal', message: e.message }),
        );
        break;
      case 'unit':
        if (!scheduler) throw new Error('engine worker: unit before init');
        scheduler.submit(m.unit);
        break;
      case 'abort':
        scheduler?.abort();
        break;
      case 'close':
        scheduler?.close();
        port.close();
        break;
    }
  });
}

// `--format jsonl`: JSON Lines, written while the scan runs so a pipeline sees each host as soon
// as it is finished. Lines: one `begin`, then one `host` per host, then one `end`
// (schema/scan-jsonl.schema.json). JSON.stringify never emits a raw newline, so every record
// is exactly one line.
import { PortcullisError } from '../core/errors.js';
import type { HostResult, ScanDocument } from '../core/result.js';

/** What is known when the run starts. */
export type JsonlBegin = Pick<ScanDocument, 'tool' | 'command' | 'startedAt' | 'options'> & Partial<Pick<ScanDocument, 'portsScanned'>>;
/** What is known when it ends. */
export type JsonlEnd = Pick<ScanDocument, 'finishedAt' | 'summary'>;

export type JsonlRecord = ({ type: 'begin' } & JsonlBegin) | ({ type: 'host' } & HostResult) | ({ type: 'end' } & JsonlEnd);

/** Anything with a `write` (a Writable, process.stdout, or a collector in tests). */
export interface LineSink {
  write(chunk: string): boolean | void;
}

/**
 * Streams the records. Each method returns what the sink's `write` returned (false means a
 * Writable wants the caller to wait for 'drain'). Calls out of order are a programming error.
 */
export class JsonlWriter {
  private phase: 'new' | 'open' | 'closed' = 'new';

  constructor(private readonly sink: LineSink) {}

  begin(meta: JsonlBegin): boolean {
    if (this.phase !== 'new') throw new PortcullisError('E_INTERNAL', 'jsonl: begin() called twice');
    this.phase = 'open';
    const { tool, command, startedAt, options, portsScanned } = meta;
    return this.line({ type: 'begin', tool, command, startedAt, options, ...(portsScanned ? { portsScanned } : {}) });
  }

  host(h: HostResult): boolean {
    if (this.phase !== 'open') throw new PortcullisError('E_INTERNAL', `jsonl: host() called ${this.phase === 'new' ? 'before begin()' : 'after end()'}`);
    return this.line({ type: 'host', ...h });
  }

  end(end: JsonlEnd): boolean {
    if (this.phase !== 'open') throw new PortcullisError('E_INTERNAL', `jsonl: end() called ${this.phase === 'new' ? 'before begin()' : 'twice'}`);
    this.phase = 'closed';
    return this.line({ type: 'end', finishedAt: end.finishedAt, summary: end.summary });
  }

  private line(rec: JsonlRecord): boolean {
    return this.sink.write(`${JSON.stringify(rec)}\n`) !== false;
  }
}

/** A finished document as JSON Lines, for when the hosts are already all known (e.g. import). */
export function renderJsonl(doc: ScanDocument): string {
  const lines: string[] = [];
  const w = new JsonlWriter({ write: (s) => void lines.push(s) });
  w.begin(doc);
  for (const h of doc.hosts) w.host(h);
  w.end(doc);
  return lines.join('');
}

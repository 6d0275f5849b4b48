// The renderers, in one static, type-checked list: `--format` takes its choices from the keys.
// Every renderer reads only the result document.
import type { ScanDocument } from '../core/result.js';
import { usageError } from '../core/errors.js';
import { renderJson } from './json.js';
import { renderJsonl } from './jsonl.js';
import { renderNmapXml } from './nmap-xml.js';
import type { NmapXmlOptions } from './nmap-xml.js';
import { renderTable } from './table.js';
import type { TableOptions } from './table.js';

/** Options every renderer accepts; each uses the ones that concern it. */
export interface RenderOptions extends TableOptions, NmapXmlOptions {}

const RENDERERS = {
  table: (doc: ScanDocument, o: RenderOptions) => renderTable(doc, o),
  json: (doc: ScanDocument) => renderJson(doc),
  /** The whole document at once; a running scan streams with `JsonlWriter` instead. */
  jsonl: (doc: ScanDocument) => renderJsonl(doc),
  'nmap-xml': (doc: ScanDocument, o: RenderOptions) => renderNmapXml(doc, o),
} satisfies Record<string, (doc: ScanDocument, o: RenderOptions) => string>;

export type Format = keyof typeof RENDERERS;
export const FORMATS = Object.keys(RENDERERS) as Format[];

export function isFormat(s: string): s is Format {
  return Object.hasOwn(RENDERERS, s);
}

/** `--format` text → Format, or a usage error naming the choices. */
export function parseFormat(s: string): Format {
  if (isFormat(s)) return s;
  throw usageError(`unknown output format '${s}' (choose one of: ${FORMATS.join(', ')})`);
}

/** Formats meant for programs: the CLI keeps progress off stdout and never colours them. */
export function isMachineFormat(f: Format): boolean {
  return f !== 'table';
}

export function render(format: Format, doc: ScanDocument, options: RenderOptions = { color: false }): string {
  return RENDERERS[format](doc, options);
}

export { renderTable, colorWanted } from './table.js';
export type { TableOptions } from './table.js';
export { renderJson } from './json.js';
export { JsonlWriter, renderJsonl } from './jsonl.js';
export type { JsonlBegin, JsonlEnd, JsonlRecord, LineSink } from './jsonl.js';
export { renderNmapXml } from './nmap-xml.js';
export type { NmapXmlOptions } from './nmap-xml.js';

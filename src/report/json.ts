// `--format json`: the result document exactly as the command built it, pretty-printed.
// The shape is published in schema/scan-result.schema.json.
import type { ScanDocument } from '../core/result.js';

export function renderJson(doc: ScanDocument): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

#!/usr/bin/env node
// Thin launcher: the compiled CLI lives in dist/ (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('portcullis: not built yet — run `npm install` (or `npm run build`) in ' +
    fileURLToPath(new URL('..', import.meta.url)) + '\n');
  process.exit(2);
}
const { main } = await import(entry.href);
const code = await main(process.argv.slice(2));
// The work is done and written: leave now, even if a peer is still trickling bytes into a socket
// a timed-out probe opened. stdout is flushed first so piped output is never cut short.
process.stdout.write('', () => process.exit(code));

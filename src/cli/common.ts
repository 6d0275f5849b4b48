// What every command shares: the I/O context, option helpers, and output that is never
// half-written (a file is written to a temporary name and renamed when complete).
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isSeverity, type Severity } from '../core/finding.js';
import { PortcullisError, usageError } from '../core/errors.js';

export interface CliContext {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** stderr is a terminal: progress may be drawn there. */
  isTTY: boolean;
  /** Aborted on Ctrl-C: commands flush what they know and return. */
  signal?: AbortSignal;
  env?: NodeJS.ProcessEnv;
}

export type Command = (args: string[], ctx: CliContext) => Promise<number>;

export const EXIT = { ok: 0, findings: 1, usage: 2, interrupted: 130 } as const;

/** node:util parseArgs with errors turned into usage errors that name the option. */
export function parseOptions<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, command: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    throw usageError(`${command}: ${msg} (see \`portcullis ${command} --help\`)`);
  }
}

export function parseSeverity(value: string | undefined, option: string, fallback: Severity): Severity {
  if (value === undefined) return fallback;
  const v = value.toLowerCase();
  if (!isSeverity(v)) throw usageError(`${option}: '${value}' is not a severity (critical, high, medium, low, info)`);
  return v;
}

export function parseChoice<C extends string>(value: string | undefined, option: string, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (!(choices as readonly string[]).includes(value)) throw usageError(`${option}: '${value}' is not one of ${choices.join(', ')}`);
  return value as C;
}

export function parsePositiveInt(value: string | undefined, option: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw usageError(`${option}: '${value}' is not a whole number between 1 and ${max}`);
  }
  return Number(value);
}

/**
 * A sink for a command's machine output: stdout, or a file that appears only when complete.
 * `commit()` renames the temporary file into place; `abort()` removes it.
 */
export class OutputSink {
  private fd: number | null = null;
  private tmp: string | null = null;

  constructor(
    private readonly ctx: CliContext,
    private readonly path: string | undefined,
  ) {
    if (path) {
      this.tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      try {
        this.fd = openSync(this.tmp, 'w');
      } catch (e) {
        throw new PortcullisError('E_OUTPUT', `cannot write ${path}: ${(e as Error).message}`);
      }
    }
  }

  write(text: string): void {
    if (this.fd !== null) writeSync(this.fd, text);
    else this.ctx.stdout.write(text);
  }

  commit(): void {
    if (this.fd === null || !this.tmp || !this.path) return;
    fsyncSync(this.fd);
    closeSync(this.fd);
    this.fd = null;
    renameSync(this.tmp, this.path);
  }

  abort(): void {
    if (this.fd === null || !this.tmp) return;
    closeSync(this.fd);
    this.fd = null;
    rmSync(this.tmp, { force: true });
  }
}

/** Progress on stderr, drawn only on a terminal and only when not quiet. */
export class Progress {
  private last = 0;
  private drawn = false;
  constructor(
    private readonly ctx: CliContext,
    private readonly enabled: boolean,
  ) {}

  update(text: string): void {
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.last < 100) return;
    this.last = now;
    this.ctx.stderr.write(`\r\x1b[2K${text}`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.ctx.stderr.write('\r\x1b[2K');
    this.drawn = false;
  }
}

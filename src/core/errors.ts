// Errors with a stable code. Anything a user can cause (a bad option, an unreadable file,
// an invalid target) is a PortcullisError and ends the command with exit code 2 and a
// message that names what and why. Findings are never thrown.

export const ERROR_CODES = {
  E_USAGE: 'bad command line',
  E_TARGET: 'bad target expression',
  E_TARGET_LIMIT: 'target set refused',
  E_INVENTORY: 'bad inventory',
  E_WAIVERS: 'bad waiver file',
  E_INPUT: 'unreadable or malformed input',
  E_OUTPUT: 'cannot write output',
  E_INTERNAL: 'internal error',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class PortcullisError extends Error {
  override readonly name = 'PortcullisError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** File (and line) the problem is in, when there is one. */
    readonly where?: { file?: string; line?: number; column?: number },
  ) {
    super(message);
  }

  /** `file:line: message` the way compilers print it. */
  describe(): string {
    const w = this.where;
    if (!w?.file) return this.message;
    const pos = w.line !== undefined ? `:${w.line}${w.column !== undefined ? `:${w.column}` : ''}` : '';
    return `${w.file}${pos}: ${this.message}`;
  }
}

export function usageError(message: string): PortcullisError {
  return new PortcullisError('E_USAGE', message);
}

export function errorMessage(e: unknown): string {
  if (e instanceof PortcullisError) return e.describe();
  if (e instanceof Error) return e.message;
  return String(e);
}

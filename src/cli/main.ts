// The `portcullis` command: picks the sub-command, runs it, and turns user errors into exit 2
// with a message that names the problem. Nothing else lives here.
import { setMaxListeners } from 'node:events';
import { errorMessage, PortcullisError } from '../core/errors.js';
import { VERSION } from '../core/version.js';
import type { CliContext, Command } from './common.js';
import { EXIT } from './common.js';

const COMMANDS = {
  scan: { load: async () => (await import('./scan.js')).run, about: 'find hosts and open services, identify them, probe the controls' },
  audit: { load: async () => (await import('./audit.js')).run, about: 'judge a host from its exported artifacts (a bundle or loose files)' },
  collector: { load: async () => (await import('./collector.js')).run, about: 'print the PowerShell script that exports a host\'s artifacts' },
  rules: { load: async () => (await import('./rules.js')).run, about: 'list every rule and probe with id, severity, safety and references' },
  import: { load: async () => (await import('./import.js')).run, about: 'judge an existing scan (`import nmap FILE.xml`)' },
} satisfies Record<string, { load: () => Promise<Command>; about: string }>;

type CommandName = keyof typeof COMMANDS;

const HELP = `portcullis ${VERSION} — close the doors on your Windows servers

Usage: portcullis <command> [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.about}`)
  .join('\n')}

Examples:
  portcullis scan 127.0.0.1                      scan this machine's loopback with the windows profile
  portcullis scan 10.0.0.0/24 --inventory inv.yaml --format json -o scan.json
  portcullis audit host01-bundle.zip             audit the artifacts the collector exported
  portcullis import nmap old-scan.xml --inventory inv.yaml

Exit codes: 0 nothing at or above --fail-on (default high), 1 findings at or above it,
2 usage or input error, 130 interrupted (what was known is still written),
70 internal error (a bug — please report it with the command line).
Run \`portcullis <command> --help\` for the options of a command.
`;

function isCommand(name: string): name is CommandName {
  return Object.hasOwn(COMMANDS, name);
}

export async function main(argv: string[], ctx?: Partial<CliContext>): Promise<number> {
  const controller = new AbortController();
  // Every in-flight connection and probe listens to the one Ctrl-C signal.
  setMaxListeners(0, controller.signal);
  const full: CliContext = {
    stdout: ctx?.stdout ?? process.stdout,
    stderr: ctx?.stderr ?? process.stderr,
    isTTY: ctx?.isTTY ?? Boolean(process.stderr.isTTY),
    signal: ctx?.signal ?? controller.signal,
    env: ctx?.env ?? process.env,
  };
  const [first, ...rest] = argv;
  if (first === undefined || first === '-h' || first === '--help' || first === 'help') {
    full.stdout.write(HELP);
    return first === undefined ? EXIT.usage : EXIT.ok;
  }
  if (first === '--version' || first === '-V') {
    full.stdout.write(`portcullis ${VERSION}\n`);
    return EXIT.ok;
  }
  if (!isCommand(first)) {
    full.stderr.write(`portcullis: unknown command '${first}' (commands: ${Object.keys(COMMANDS).join(', ')})\n`);
    return EXIT.usage;
  }
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) process.exit(EXIT.interrupted);
    full.stderr.write('\nportcullis: interrupted — writing what is known so far (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  if (!ctx?.signal) process.on('SIGINT', onSigint);
  try {
    const run = await COMMANDS[first].load();
    return await run(rest, full);
  } catch (e) {
    if (e instanceof PortcullisError) {
      full.stderr.write(`portcullis ${first}: ${errorMessage(e)}\n`);
      return EXIT.usage;
    }
    full.stderr.write(`portcullis ${first}: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 70;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

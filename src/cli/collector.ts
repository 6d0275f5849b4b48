// `portcullis collector`: print the PowerShell script that exports a host's artifacts.
import { collectorScript } from '../collector/script.js';
import type { CliContext } from './common.js';
import { EXIT, OutputSink, parseOptions } from './common.js';

const HELP = `Usage: portcullis collector [-o FILE]

Prints a Windows PowerShell 5.1 script that runs only Windows' own export commands
(secedit, reg export, netstat, systeminfo, auditpol, dnscmd, Get-* cmdlets …) on a server,
records each command's exit code and errors in manifest.json, and zips the folder.
It changes nothing on the host. Copy the zip back and run \`portcullis audit FILE.zip\`.

  -o, --output FILE   write the script to FILE instead of stdout

Example (on the server, as Administrator):
  powershell -ExecutionPolicy Bypass -File collect.ps1 -OutputPath C:\\portcullis
`;

export async function run(args: string[], ctx: CliContext): Promise<number> {
  const { values, positionals } = parseOptions(args, { output: { type: 'string', short: 'o' }, help: { type: 'boolean', short: 'h' } } as const, 'collector');
  if (values.help) {
    ctx.stdout.write(HELP);
    return EXIT.ok;
  }
  if (positionals.length > 0) {
    ctx.stderr.write(`portcullis collector: unexpected argument '${positionals[0]}' (see --help)\n`);
    return EXIT.usage;
  }
  const sink = new OutputSink(ctx, values.output);
  sink.write(collectorScript());
  sink.commit();
  return EXIT.ok;
}

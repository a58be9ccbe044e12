/**
 * `uenv-kb <command> [args]`: dispatches to one module per command. Exit codes shared by every command:
 * 0 success, 1 a finding (invalid data, no match), 2 bad usage or unreadable input.
 */
import { defaultIO, type CliIO, type Command } from './io';

/** Each command lives in its own module; add one line here per command. */
const commands: Record<string, { summary: string; load: () => Promise<{ run: Command }> }> = {
  affected: { summary: 'list the known issues that apply to a built stack (spack.lock) or to versions', load: () => import('./affected') },
  'check-data': { summary: 'validate the issue and package records in content/', load: () => import('./check-data') },
  'check-recipe': { summary: 'validate the stackinator recipe and cluster configuration', load: () => import('./check-recipe') },
  diagnose: { summary: 'match a log against the known issues (exit 0 match, 1 none, 2 bad input)', load: () => import('./diagnose') },
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(14)} ${c.summary}`);
  return `usage: uenv-kb <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun 'uenv-kb <command> --help' for a command's options.`;
}

export async function main(argv: string[], io: CliIO = defaultIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    (name ? io.out : io.err)(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`uenv-kb: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest, io);
}

/**
 * What each benchmark needs from the machine, checked before anything runs, so a missing tool is one line
 * saying what to install or which benchmark to skip, never a stack trace halfway through.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface Tool {
  command: string;
  /** The Debian package that provides it. */
  debian: string;
}

export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path.split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/** One line per missing tool, naming the package and how to skip the benchmark that needs it. */
export function missingTools(bench: string, tools: Tool[], path?: string): string[] {
  return tools
    .filter((t) => !onPath(t.command, path))
    .map((t) => `bench ${bench} needs \`${t.command}\`: apt-get install ${t.debian} (or leave it out: npm run bench -- <the other benchmarks>)`);
}

/** `uenv-kb check-data [CONTENT_DIR]`: the same checks the site build runs on issues and packages. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from './main';
import { KnowledgeBaseError, loadKnowledgeBase, contentDir } from '../lib/knowledge-base-fs';

export const run: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out('usage: uenv-kb check-data [CONTENT_DIR]\n\nValidates content/issues/*.yaml and content/packages/*.yaml.');
    return 0;
  }
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    io.err(`uenv-kb check-data: unexpected argument "${args.find((a) => a.startsWith('-')) ?? args[1]}"`);
    return 2;
  }
  const dir = args[0] ?? contentDir();
  if (!existsSync(dir)) {
    io.err(`uenv-kb check-data: no such directory: ${dir}`);
    return 2;
  }
  try {
    const kb = loadKnowledgeBase(dir, fileURLToPath(new URL('../..', import.meta.url)));
    io.out(`ok: ${kb.issues.length} issues, ${kb.packages.length} packages`);
    return 0;
  } catch (err) {
    if (!(err instanceof KnowledgeBaseError)) throw err;
    io.err(err.lines.join('\n'));
    return 1;
  }
};

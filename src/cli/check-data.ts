/** `uenv-kb check-data [CONTENT_DIR]`: the same checks the site build runs on issues and packages. */
import type { Command } from './io';
import { loadKnowledgeBase, contentDir } from '../lib/records/knowledge-base-fs';
import { DataError } from '../lib/yaml-source';
import { InputError } from '../lib/input-error';

export const run: Command = async (args, io) => {
  if (args.includes('--help') || args.includes('-h')) {
    io.out('usage: uenv-kb check-data [CONTENT_DIR]\n\nValidates content/issues/*.yaml and content/packages/*.yaml.');
    return 0;
  }
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) {
    io.err(`uenv-kb check-data: unexpected argument "${args.find((a) => a.startsWith('-')) ?? args[1]}"`);
    return 2;
  }
  try {
    const kb = loadKnowledgeBase(args[0] ?? contentDir());
    io.out(`ok: ${kb.issues.length} issues, ${kb.packages.length} packages`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      io.err(`uenv-kb check-data: ${err.message}`);
      return 2;
    }
    if (!(err instanceof DataError)) throw err;
    io.err(err.lines.join('\n'));
    return 1;
  }
};

/**
 * Re-indexes the built site so that identifiers survive tokenizing. Starlight runs Pagefind with
 * default options, which split `FI_CXI_RDZV_GET_MIN` or `libcurl.so.4` into plain words; it exposes
 * no `includeCharacters`, so this integration (listed after Starlight) writes the index again.
 */
import type { AstroIntegration } from 'astro';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';

/** Characters kept inside words: snake_case, dotted sonames, hyphenated tags. */
export const IDENTIFIER_CHARACTERS = '_.-@';

function assertOk<T extends { errors: string[] }>(response: T): T {
  if (response.errors.length) throw new Error(`Pagefind: ${response.errors.join('; ')}`);
  return response;
}

export function identifierSearch(): AstroIntegration {
  return {
    name: 'uenv-kb:identifier-search',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        try {
          const { index } = assertOk(await pagefind.createIndex({ includeCharacters: IDENTIFIER_CHARACTERS }));
          if (!index) throw new Error('Pagefind returned no index');
          const { page_count } = assertOk(await index.addDirectory({ path: fileURLToPath(dir) }));
          assertOk(await index.writeFiles({ outputPath: fileURLToPath(new URL('./pagefind/', dir)) }));
          logger.info(`Re-indexed ${page_count} pages keeping "${IDENTIFIER_CHARACTERS}" inside words.`);
        } catch (cause) {
          throw new Error('Identifier search index failed.', { cause });
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}

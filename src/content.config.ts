import { defineCollection } from 'astro:content';
import { docsLoader } from '@astrojs/starlight/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { issueSchema } from './schemas/issue';
import { packageSchema } from './schemas/package';
import { loadKnowledgeBase } from './lib/records/knowledge-base-fs';
import { packageSpecSchema } from './schemas/recipe';
import { recipeLoader } from './lib/recipe/collection-fs';

/**
 * Issues and packages are validated together (cross-references, duplicate ids, signatures), so one
 * loader reads both and the build stops with `file:line:col: field: message` on bad data.
 */
function recordsLoader(kind: 'issues' | 'packages') {
  return {
    name: `uenv-kb-${kind}`,
    load: async ({ store, parseData }: Parameters<import('astro/loaders').Loader['load']>[0]) => {
      const kb = loadKnowledgeBase();
      store.clear();
      for (const { record } of kb[kind]) {
        store.set({ id: record.id, data: await parseData({ id: record.id, data: record }) });
      }
    },
  };
}

export const collections = {
  docs: defineCollection({ loader: docsLoader(), schema: docsSchema() }),
  issues: defineCollection({ loader: recordsLoader('issues'), schema: issueSchema }),
  packages: defineCollection({ loader: recordsLoader('packages'), schema: packageSchema }),
  recipe: defineCollection({ loader: recipeLoader(), schema: packageSpecSchema }),
};

/**
 * Prints the corpus split (`dev` or `test`) of a public report, so the split of a log is fixed by where it
 * comes from, before anyone sees what the engine does with it, and one report never sits in both splits.
 * Usage: npx tsx scripts/corpus-split.ts URL [URL …]
 */
import { corpusSplit } from '../tests/unit/corpus-split';

const urls = process.argv.slice(2);
if (urls.length === 0) {
  console.error('usage: npx tsx scripts/corpus-split.ts URL [URL …]');
  process.exit(2);
}
for (const url of urls) console.log(`${corpusSplit(url)}\t${url}`);

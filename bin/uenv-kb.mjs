#!/usr/bin/env node
// Entry point of `npx uenv-kb`: loads the TypeScript CLI through tsx, so the CLI imports the very
// schemas and pure modules the site uses.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));

import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (modules, one test file per module, mirroring src/; the hostile-input suite in
 * tests/unit/hostile/), `data` (invariants of the repository's own data: recipe versions, overrides, stackinator on
 * the recipe). `npx vitest run` runs all; `--project unit` one.
 */
export default defineConfig({
  test: {
    testTimeout: 120_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'data', include: ['tests/data/**/*.test.ts'] } },
    ],
  },
});

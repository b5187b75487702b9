import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources through this export condition,
// so tests and typechecks never need a build first.
const sourceCondition = '@statespace/source';
// Vite's defaults, which an explicit `conditions` list replaces.
const clientConditions = ['module', 'browser', 'development|production'];
const serverConditions = ['module', 'node', 'development|production'];

/** One vitest project per workspace package or app that has a `test/` folder. */
function workspaceProjects() {
  return ['packages', 'apps'].flatMap((group) =>
    readdirSync(group)
      .filter((name) => existsSync(join(group, name, 'test')))
      .map((name) => ({
        extends: true as const,
        test: {
          name,
          root: join(group, name),
          include: ['test/**/*.test.ts'],
        },
      })),
  );
}

export default defineConfig({
  resolve: { conditions: [sourceCondition, ...clientConditions] },
  ssr: { resolve: { conditions: [sourceCondition, ...serverConditions] } },
  test: {
    pool: 'forks',
    testTimeout: 60_000,
    projects: workspaceProjects(),
  },
});

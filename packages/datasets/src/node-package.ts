/** Text files of an installed npm package. */
export interface PackageFiles {
  /** The UTF-8 text of a file, by its path inside the package. */
  read(relativePath: string): string;
}

type NodeProcess = { getBuiltinModule?: (id: string) => unknown };

/**
 * Reads the files of an npm package installed beside this one, with Node's fs. The node: modules are
 * reached through `process.getBuiltinModule` when called, never imported at the top level, so the
 * package still bundles for browsers; there this throws, naming `browserAlternative`.
 */
export function packageFiles(packageName: string, task: string, browserAlternative: string): PackageFiles {
  const process = (globalThis as { process?: NodeProcess }).process;
  if (typeof process?.getBuiltinModule !== 'function') {
    throw new Error(
      `${task} reads the files of the npm package '${packageName}' and needs Node.js ≥ 20.16; ${browserAlternative}`,
    );
  }
  const fs = process.getBuiltinModule('node:fs') as typeof import('node:fs');
  const path = process.getBuiltinModule('node:path') as typeof import('node:path');
  const { createRequire } = process.getBuiltinModule('node:module') as typeof import('node:module');
  const root = path.dirname(createRequire(import.meta.url).resolve(`${packageName}/package.json`));
  return { read: (relativePath) => fs.readFileSync(path.join(root, relativePath), 'utf8') };
}

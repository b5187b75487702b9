import { createCpuBackend, type KernelBackend } from '@statespace/kernels';
import { describe, expect, it } from 'vitest';
import { type Parameter, S4Block, SequenceModel } from '../src/index';

// What every module shares: the training flag, live parameter arrays, and the backend and precision
// chosen per model.

describe('modules', () => {
  it('train() and eval() reach every descendant; modules start in evaluation mode', () => {
    const model = new SequenceModel({ d_model: 4, n_layers: 2, layer: { d_state: 4 } });
    expect(model.training).toBe(false);
    model.train();
    expect(model.layers.every((b) => b.training && b.layer.training && b.layer.layer.kernel.training)).toBe(
      true,
    );
    model.eval();
    expect(model.layers[1].layer.layer.training).toBe(false);
  });

  it('reseedMasks(stream) makes the next masks depend on the seeds and the stream only', async () => {
    const options = {
      d_model: 4,
      n_layers: 2,
      dropout: 0.3,
      dropinp: 0.1,
      layer: { d_state: 4, l_max: 16, drop_kernel: 0.2 },
    };
    const model = new SequenceModel({ ...options, seed: 3 }).train();
    const x = { data: Float64Array.from({ length: 2 * 16 * 4 }, (_, i) => Math.sin(i)), shape: [2, 16, 4] };
    const output = async (m: SequenceModel) => Array.from((await m.forward(x)).y.data);
    const fresh = new SequenceModel({ ...options, seed: 3 }).train();
    // A first forward attunes S4's C̃ (it changes the outputs once, masks aside).
    await output(model);
    await output(fresh);
    const first = await output(model.reseedMasks(7));
    expect(await output(model), 'moved on').not.toEqual(first); // the generators moved on
    expect(await output(model.reseedMasks(7)), 'same stream').toEqual(first);
    expect(await output(model.reseedMasks(8))).not.toEqual(first);
    // A model built from the same options draws the same masks on the same stream.
    expect(await output(fresh.reseedMasks(7)), 'fresh').toEqual(first);
    expect(() => model.reseedMasks(1.5)).toThrow(/stream must be an integer/);
    // Input dropout without an encoder leaves the caller's array alone.
    expect(x.data).toEqual(Float64Array.from({ length: 2 * 16 * 4 }, (_, i) => Math.sin(i)));
  });

  it('parameters() hands out the live arrays, and loading copies into them in place', async () => {
    const block = new S4Block({ d_model: 2, d_state: 4, l_max: 8, transposed: false });
    const D = block.parameters().get('layer.D') as Parameter;
    expect(D.data).toBe(block.layer.D.data);
    const x = { data: Float64Array.from({ length: 16 }, (_, i) => i / 10), shape: [1, 8, 2] };
    const before = (await block.forward(x)).y.data;
    D.data.fill(0);
    expect((await block.forward(x)).y.data).not.toEqual(before);
    const other = new S4Block({ d_model: 2, d_state: 4, l_max: 8, transposed: false, seed: 5 });
    block.loadStateDict(other.stateDict());
    expect(block.parameters().get('layer.D')?.data).toBe(D.data);
    expect(D.data).toEqual(other.layer.D.data);
  });
});

describe('backends', () => {
  it('any KernelBackend object plugs in: kernels and convolutions go through it', async () => {
    const cpu = createCpuBackend({ dtype: 'float32' });
    const calls: string[] = [];
    const recording: KernelBackend = {
      ...cpu,
      name: 'recording',
      dplrKernel: (p) => {
        calls.push('dplrKernel');
        return cpu.dplrKernel(p);
      },
      diagKernel: (p) => {
        calls.push('diagKernel');
        return cpu.diagKernel(p);
      },
      convolve: (i) => {
        calls.push('convolve');
        return cpu.convolve(i);
      },
    };
    const model = new SequenceModel({
      d_model: 4,
      // A list of two layers, repeated n_layers times (as officially): four blocks.
      n_layers: 2,
      layer: [{ d_state: 4 }, { d_state: 4, mode: 'diag' }],
      dtype: 'float32',
      backend: recording,
    });
    const { y } = await model.forward({ data: new Float32Array(2 * 6 * 4).fill(0.5), shape: [2, 6, 4] });
    expect(y.data).toBeInstanceOf(Float32Array);
    expect(calls).toEqual(
      Array.from({ length: 2 }, () => ['dplrKernel', 'convolve', 'diagKernel', 'convolve']).flat(),
    );
  });

  it('the backend must compute in the model precision', () => {
    expect(() => new S4Block({ d_model: 2, backend: createCpuBackend({ dtype: 'float32' }) })).toThrow(
      /backend 'cpu' computes in float32 but dtype is 'float64'/,
    );
    expect(() => new S4Block({ d_model: 2, dtype: 'float16' as never })).toThrow(
      /dtype must be one of 'float64', 'float32'/,
    );
  });
});

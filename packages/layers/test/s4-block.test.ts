import { type ComplexTensor, createRng, type RealArray } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { S4Block, type S4BlockOptions } from '../src/index';
import { setTimeStep, timeStep } from './golden';

// S4Block: the official tensor names for every output variant, working gate and bottleneck
// (GSS), per-example length masking, layouts, and step = forward through the whole block.

const B = 3;
const L = 24;
const H = 4;

function input(seed = 2): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: B * L * H }, () => rng.normal());
}

function stepAll(block: S4Block, x: RealArray): Float64Array {
  block.setupStep('linear');
  let state: ComplexTensor = block.defaultState(B);
  const F = block.d_output;
  const out = new Float64Array(B * L * F);
  for (let t = 0; t < L; t++) {
    const s = block.step({ data: timeStep(x, B, L, H, t), shape: [B, H] }, state);
    setTimeStep(out, s.y.data, B, L, F, t);
    state = s.state;
  }
  return out;
}

const keys = (block: S4Block) => [...block.stateDict().keys()].filter((k) => !k.startsWith('layer.kernel.'));

describe('tensor names', () => {
  it('final_act glu (default) doubles the output linear map: output_linear.0.weight [2H, H]', () => {
    const block = new S4Block({ d_model: H, d_state: 4 });
    expect(keys(block)).toEqual(['layer.D', 'output_linear.0.weight', 'output_linear.0.bias']);
    expect(block.stateDict().get('output_linear.0.weight')?.shape).toEqual([2 * H, H]);
  });

  it('other final activations keep the Sequential name; null drops the map; postact is an alias', () => {
    const gelu = new S4Block({ d_model: H, d_state: 4, final_act: 'gelu' });
    expect(gelu.stateDict().get('output_linear.0.weight')?.shape).toEqual([H, H]);
    expect(keys(new S4Block({ d_model: H, d_state: 4, final_act: 'id' }))).toContain(
      'output_linear.0.weight',
    );
    expect(keys(new S4Block({ d_model: H, d_state: 4, final_act: null }))).toEqual(['layer.D']);
    expect(keys(new S4Block({ d_model: H, d_state: 4, postact: 'glu', final_act: undefined }))).toContain(
      'output_linear.0.weight',
    );
  });

  it('gate and bottleneck add input_linear, input_gate(.0) and output_gate', () => {
    const block = new S4Block({
      d_model: 8,
      d_state: 4,
      bottleneck: 2,
      gate: 3,
      gate_act: 'gelu',
      final_act: 'id',
    });
    const shapes = Object.fromEntries([...block.stateDict()].map(([k, t]) => [k, t.shape]));
    expect(shapes['input_linear.weight']).toEqual([4, 8]);
    expect(shapes['input_gate.0.weight']).toEqual([12, 8]);
    expect(shapes['layer.D']).toEqual([1, 4]);
    expect(shapes['output_gate.weight']).toEqual([12, 4]);
    expect(shapes['output_linear.0.weight']).toEqual([8, 12]);
    expect(keys(new S4Block({ d_model: 8, d_state: 4, gate: 1 }))).toContain('input_gate.weight');
  });
});

describe('forward = step', () => {
  const variants: { label: string; options: Partial<S4BlockOptions> }[] = [
    { label: 'default (GELU, GLU)', options: {} },
    {
      label: 'gate + bottleneck (GSS)',
      options: { d_state: 8, bottleneck: 2, gate: 2, gate_act: 'gelu', mult_act: 'tanh' },
    },
    { label: 'gate of the layer width (no output_gate)', options: { gate: 1, gate_act: 'sigmoid' } },
    { label: 'S4D, channels 2, final gelu', options: { mode: 'diag', channels: 2, final_act: 'gelu' } },
    { label: 'GLU activation in the layer', options: { activation: 'glu', final_act: 'glu-tanh' } },
  ];
  it.each(variants)('$label', async ({ options }) => {
    const block = new S4Block({ d_model: H, d_state: 8, transposed: false, ...options });
    const x = input();
    const { y } = await block.forward({ data: x, shape: [B, L, H] });
    expect(y.shape).toEqual([B, L, block.d_output]);
    expectClose(stepAll(block, x), y.data, 1e-9, 'steps');
  });
});

describe('lengths', () => {
  it('masks each example past its length, as zero inputs there would', async () => {
    const block = new S4Block({ d_model: H, d_state: 8, transposed: false, l_max: L });
    const x = input();
    const lengths = [L, 10, 0];
    const masked = (await block.forward({ data: x, shape: [B, L, H] }, { lengths })).y.data;
    const zeroed = x.slice();
    for (let b = 0; b < B; b++) zeroed.fill(0, (b * L + lengths[b]) * H, (b + 1) * L * H);
    expect(masked).toEqual((await block.forward({ data: zeroed, shape: [B, L, H] })).y.data);
    // The input is not modified, and a full-length list changes nothing.
    expect(x).toEqual(input());
    const full = (await block.forward({ data: x, shape: [B, L, H] }, { lengths: L })).y.data;
    expect(full).toEqual((await block.forward({ data: x, shape: [B, L, H] })).y.data);
  });

  it('rejects bad lengths', async () => {
    const block = new S4Block({ d_model: H, d_state: 4, transposed: false });
    const x = { data: input(), shape: [B, L, H] };
    await expect(block.forward(x, { lengths: [1, 2] })).rejects.toThrow(
      /lengths must hold 1 or batch = 3 values/,
    );
    await expect(block.forward(x, { lengths: [1, 2, L + 1] })).rejects.toThrow(
      /lengths\[2\] must be an integer in \[0, 24\]/,
    );
  });
});

it('the transposed layout (the official default) gives the same numbers', async () => {
  const x = input();
  const a = await new S4Block({ d_model: H, d_state: 8, seed: 4, transposed: false }).forward({
    data: x,
    shape: [B, L, H],
  });
  const xt = new Float64Array(x.length);
  for (let b = 0; b < B; b++)
    for (let t = 0; t < L; t++) for (let h = 0; h < H; h++) xt[(b * H + h) * L + t] = x[(b * L + t) * H + h];
  const bt = await new S4Block({ d_model: H, d_state: 8, seed: 4 }).forward({ data: xt, shape: [B, H, L] });
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < L; t++)
      for (let h = 0; h < H; h++) expect(bt.y.data[(b * H + h) * L + t]).toBe(a.y.data[(b * L + t) * H + h]);
  }
});

it('rejects bad configurations clearly', () => {
  expect(() => new S4Block({ d_model: 6, bottleneck: 4 })).toThrow(
    /bottleneck \(4\) must divide d_model \(6\)/,
  );
  expect(() => new S4Block({ d_model: 4, final_act: 'glu', postact: 'glu' })).toThrow(/not both/);
  expect(() => new S4Block({ d_model: 4, final_act: 'swish2' })).toThrow(/final_act must be null or one of/);
  expect(() => new S4Block({ d_model: 4, layer: 'attention' as never })).toThrow(/layer must be 'fftconv'/);
  expect(() => new S4Block({ d_model: 4, weight_norm: true } as never)).toThrow(
    /unknown option 'weight_norm'/,
  );
  expect(() => new S4Block({ d_model: 4, bidirectional: true }).setupStep()).toThrow(/no recurrent step/);
});

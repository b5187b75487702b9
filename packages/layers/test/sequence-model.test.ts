import { type ComplexTensor, createRng, type RealArray } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import {
  type DecoderMode,
  SequenceModel,
  type SequenceModelOptions,
  SequenceResidualBlock,
} from '../src/index';
import { setTimeStep, timeSlice, timeStep } from './golden';

// SequenceModel: encoders, residual blocks (pre/post norm, LayerNorm, BatchNorm with running
// statistics, residual variants, drop path), decoders with pooling and per-example lengths,
// recurrent steps and chunks equal to the whole-sequence forward.

const B = 2;
const L = 20;
const D = 4;

function features(seed: number, width: number, length = L): Float64Array {
  const rng = createRng(seed);
  return Float64Array.from({ length: B * length * width }, () => rng.normal());
}

function stepAll(model: SequenceModel, x: RealArray, width: number): Float64Array {
  model.setupStep('linear');
  let state: ComplexTensor[] = model.defaultState(B);
  const out = new Float64Array(B * L * model.d_output);
  for (let t = 0; t < L; t++) {
    const s = model.step({ data: timeStep(x, B, L, width, t), shape: [B, width] }, state);
    setTimeStep(out, s.y.data, B, L, model.d_output, t);
    state = s.state;
  }
  return out;
}

it('names its tensors as the official backbone and task modules', () => {
  const model = new SequenceModel({
    d_model: D,
    n_layers: 2,
    layer: { d_state: 4 },
    encoder: { _name_: 'linear', d_input: 3 },
    decoder: { d_output: 5, mode: 'pool', l_output: 0 },
  });
  const keys = [...model.stateDict().keys()];
  for (const key of [
    'encoder.weight',
    'encoder.bias',
    'layers.0.layer.layer.D',
    'layers.0.layer.layer.kernel.C',
    'layers.1.layer.layer.kernel.l_kernel',
    'layers.1.layer.output_linear.0.weight',
    'layers.0.norm.norm.weight',
    'layers.0.norm.norm.bias',
    'norm.norm.weight',
    'decoder.output_transform.weight',
  ]) {
    expect(keys).toContain(key);
  }
  expect(model.parameters().get('layers.0.layer.layer.kernel.A_real')).toMatchObject({
    lr: 0.001,
    weightDecay: 0,
  });
});

describe('step and chunks = forward', () => {
  const variants: { label: string; options: Partial<SequenceModelOptions> }[] = [
    { label: 'prenorm LayerNorm, S4', options: {} },
    {
      label: 'postnorm BatchNorm (evaluation), S4D',
      options: { prenorm: false, norm: 'batch', layer: { mode: 'diag', d_state: 8 } },
    },
    {
      label: 'alternating S4 / S4D layers, decay residual',
      options: { layer: [{}, { mode: 'diag' }], residual: 'D' },
    },
    {
      label: 'affine residual, no norm',
      options: { residual: { _name_: 'A', scalar: false, gamma: 0.5 }, norm: null },
    },
    { label: 'highway residual', options: { residual: 'H' } },
    { label: 'no residual', options: { residual: null } },
  ];
  it.each(variants)('$label', async ({ options }) => {
    const model = new SequenceModel({
      d_model: D,
      n_layers: 2,
      layer: { d_state: 8 },
      ...options,
    } as SequenceModelOptions);
    const x = features(1, D);
    const { y } = await model.forward({ data: x, shape: [B, L, D] });
    expectClose(stepAll(model, x, D), y.data, 1e-9, 'steps');
    // Two chunks with carried states.
    let state = model.defaultState(B);
    const out = new Float64Array(B * L * D);
    for (const [from, to] of [
      [0, 7],
      [7, L],
    ]) {
      const chunk = await model.forward(
        { data: timeSlice(x, B, L, D, from, to), shape: [B, to - from, D] },
        { state },
      );
      state = chunk.state as ComplexTensor[];
      for (let b = 0; b < B; b++)
        out.set(chunk.y.data.subarray(b * (to - from) * D, (b + 1) * (to - from) * D), (b * L + from) * D);
    }
    expectClose(out, y.data, 1e-9, 'chunks');
  });

  it('with an embedding encoder and a decoder, token by token', async () => {
    const model = new SequenceModel({
      d_model: D,
      n_layers: 2,
      layer: { d_state: 8 },
      encoder: { _name_: 'embedding', n_tokens: 7 },
      decoder: { d_output: 7 },
    });
    const tokens = Int32Array.from({ length: B * L }, (_, i) => (i * 5) % 7);
    const { y } = await model.forward({ data: tokens, shape: [B, L] });
    expect(y.shape).toEqual([B, L, 7]);
    model.setupStep();
    let state = model.defaultState(B);
    for (let t = 0; t < L; t++) {
      const s = model.step({ data: [tokens[t], tokens[L + t]], shape: [B] }, state);
      state = s.state;
      for (let b = 0; b < B; b++) {
        for (let o = 0; o < 7; o++) expect(s.y.data[b * 7 + o]).toBeCloseTo(y.data[(b * L + t) * 7 + o], 9);
      }
    }
    await expect(model.forward({ data: [7, 0], shape: [1, 2] })).rejects.toThrow(
      /tokens must be integers in \[0, 7\); found 7/,
    );
  });
});

describe('decoder', () => {
  const backbone = new SequenceModel({ d_model: D, layer: { d_state: 4 }, seed: 3 });
  const x = features(2, D);
  const lengths = [L, 9];

  const reference = async (mode: DecoderMode, lOutput: number, useLengths: boolean) => {
    const { y } = await backbone.forward({ data: x, shape: [B, L, D] }, { lengths });
    const out: number[] = [];
    for (let b = 0; b < B; b++) {
      const n = useLengths ? lengths[b] : L;
      const keep = Math.max(lOutput, 1);
      for (let j = 0; j < keep; j++) {
        const s = mode === 'first' ? j : n - keep + j;
        for (let f = 0; f < D; f++) {
          let v = 0;
          if (mode === 'last' || mode === 'first') v = y.data[(b * L + s) * D + f];
          else {
            for (let t = 0; t <= s; t++) v += y.data[(b * L + t) * D + f];
            if (mode === 'pool' || mode === 'mean') v /= s + 1;
          }
          out.push(v);
        }
      }
    }
    return out;
  };

  for (const mode of ['last', 'first', 'pool', 'mean', 'sum'] as const) {
    for (const [lOutput, useLengths] of [
      [0, true],
      [3, true],
      [2, false],
    ] as const) {
      it(`${mode}, l_output ${lOutput}, use_lengths ${useLengths}`, async () => {
        const model = new SequenceModel({
          d_model: D,
          layer: { d_state: 4 },
          seed: 3,
          decoder: { mode, l_output: lOutput, use_lengths: useLengths },
        });
        const { y } = await model.forward({ data: x, shape: [B, L, D] }, { lengths });
        expect(y.shape).toEqual(lOutput === 0 ? [B, D] : [B, lOutput, D]);
        expectClose(y.data, await reference(mode, lOutput, useLengths), 1e-12, 'decoded');
      });
    }
  }

  it('rejects an unknown mode, use_lengths without a fixed l_output, and too short sequences', async () => {
    expect(() => new SequenceModel({ d_model: D, decoder: { mode: 'avg' as never } })).toThrow(
      /decoder mode must be one of 'last', 'first', 'pool', 'mean', 'sum'; got 'avg'/,
    );
    expect(() => new SequenceModel({ d_model: D, decoder: { use_lengths: true } })).toThrow(
      /needs a fixed l_output/,
    );
    const model = new SequenceModel({
      d_model: D,
      layer: { d_state: 4 },
      decoder: { l_output: 12, use_lengths: true },
    });
    await expect(model.forward({ data: x, shape: [B, L, D] }, { lengths })).rejects.toThrow(
      /example 1 has 9/,
    );
  });
});

describe('BatchNorm', () => {
  it('uses batch statistics in training and moves the running ones; evaluation uses the running ones', async () => {
    const model = new SequenceModel({
      d_model: D,
      layer: { d_state: 4 },
      prenorm: false,
      norm: 'batch',
    }).train();
    const x = features(4, D);
    const state = () => model.stateDict();
    const before = Float64Array.from(state().get('layers.0.norm.norm.running_mean')?.data as Float64Array);
    const { y } = await model.forward({ data: x, shape: [B, L, D] });
    // Post-norm output in training: zero mean and unit variance per feature over the batch.
    for (let f = 0; f < D; f++) {
      let mean = 0;
      for (let r = 0; r < B * L; r++) mean += y.data[r * D + f];
      expect(mean / (B * L)).toBeCloseTo(0, 10);
    }
    expect(state().get('layers.0.norm.norm.running_mean')?.data).not.toEqual(before);
    expect(state().get('layers.0.norm.norm.num_batches_tracked')?.data).toEqual(new BigInt64Array([1n]));
    model.setupStep();
    expect(() => model.step({ data: new Float64Array(B * D), shape: [B, D] }, model.defaultState(B))).toThrow(
      /BatchNorm in training mode .* cannot be stepped: call eval\(\)/,
    );
    model.eval();
    expect(() =>
      model.step({ data: new Float64Array(B * D), shape: [B, D] }, model.defaultState(B)),
    ).not.toThrow();
  });
});

describe('residual blocks', () => {
  it('decay residual weighs x by √(1 − β²) and y by β = i_layer^(−1/2)', async () => {
    const x = features(5, D);
    const withDecay = new SequenceResidualBlock({
      d_input: D,
      i_layer: 4,
      residual: 'D',
      norm: null,
      layer: { d_state: 4 },
      seed: 1,
    });
    const layerOnly = new SequenceResidualBlock({
      d_input: D,
      i_layer: 4,
      residual: null,
      norm: null,
      layer: { d_state: 4 },
      seed: 1,
    });
    const a = (await withDecay.forward({ data: x, shape: [B, L, D] })).y.data;
    const y = (await layerOnly.forward({ data: x, shape: [B, L, D] })).y.data;
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(Math.sqrt(0.75) * x[i] + 0.5 * y[i], 12);
  });

  it('drop path in training zeroes the branch of whole examples, reproducibly', async () => {
    const x = features(6, D);
    const options = { d_input: D, drop_path: 0.5, norm: null, layer: { d_state: 4 }, seed: 9 } as const;
    const run = async () =>
      (await new SequenceResidualBlock(options).train().forward({ data: x, shape: [B, L, D] })).y.data;
    const a = await run();
    expect(a).toEqual(await run());
    const evaluation = (await new SequenceResidualBlock(options).forward({ data: x, shape: [B, L, D] })).y
      .data;
    // Each example is either x (branch dropped) or x + 2·branch.
    for (let b = 0; b < B; b++) {
      const dropped = a.subarray(b * L * D, (b + 1) * L * D).every((v, i) => v === x[b * L * D + i]);
      if (!dropped) {
        for (let i = b * L * D; i < (b + 1) * L * D; i++)
          expect(a[i]).toBeCloseTo(x[i] + 2 * (evaluation[i] - x[i]), 10);
      }
    }
  });

  it('rejects bad configurations', () => {
    expect(() => new SequenceModel({ d_model: D, norm: 'group' as never })).toThrow(
      /norm must be one of 'layer', 'batch', 'none'/,
    );
    expect(() => new SequenceModel({ d_model: D, residual: 'Z' as never })).toThrow(
      /residual must be null or one of 'R'/,
    );
    expect(() => new SequenceModel({ d_model: D, transposed: true as never })).toThrow(
      /transposed must be false/,
    );
    expect(() => new SequenceModel({ d_model: D, layer: { final_act: null, channels: 2 } })).toThrow(
      /must match|must output d_model/,
    );
    expect(() => new SequenceResidualBlock({ d_input: D, layer: { d_model: 3 } as never })).toThrow(
      /layer options cannot set 'd_model'/,
    );
  });
});

import { type ComplexTensor, createRng, type DType, type RealArray } from '@statespace/complex';
import type { DplrStepMode } from '@statespace/kernels';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { erf, FFTConv, type FFTConvOptions } from '../src/index';
import { setTimeStep, timeSlice, timeStep } from './golden';

// FFTConv: whole-sequence convolution = recurrent steps = chunks with carried states, for S4 in
// every step mode and S4D in both recurrent discretisations, with channels, GLU, swap_channels,
// per-mode Δ and float32; the official bidirectional kernel; dropout; bad configurations.

const B = 2;
const L = 40;
const H = 3;

function input(dtype: DType, seed = 1, length = L): RealArray {
  const rng = createRng(seed);
  const x = Float64Array.from({ length: B * length * H }, () => rng.normal());
  return dtype === 'float64' ? x : Float32Array.from(x);
}

/** Runs the layer token by token from `state`; returns [B, L, F] and the last state. */
function stepAll(layer: FFTConv, x: RealArray, length: number, state: ComplexTensor) {
  const F = layer.d_output;
  const out = new Float64Array(B * length * F);
  for (let t = 0; t < length; t++) {
    const s = layer.step({ data: timeStep(x, B, length, H, t), shape: [B, H] }, state);
    setTimeStep(out, s.y.data, B, length, F, t);
    state = s.state;
  }
  return { y: out, state };
}

const configs: {
  label: string;
  options: Partial<FFTConvOptions>;
  mode?: DplrStepMode;
  dtype?: DType;
  tolerance?: number;
}[] = [
  { label: 'S4 dense', options: {}, mode: 'dense' },
  { label: 'S4 linear', options: {}, mode: 'linear' },
  { label: 'S4 diagonal (dplr-lin)', options: { init: 'dplr-lin' }, mode: 'diagonal', tolerance: 1e-7 },
  { label: 'S4 rank 2 legt, Δ per mode', options: { init: 'legt', rank: 2, dt_tie: false }, mode: 'linear' },
  { label: 'S4D zoh', options: { mode: 'diag', init: 'diag-lin' } },
  {
    label: 'S4D bilinear, softplus Δ',
    options: { mode: 'diag', disc: 'bilinear', dt_transform: 'softplus' },
  },
  { label: 'S4D-Real', options: { mode: 'diag', init: 'diag-real', is_real: true } },
  { label: 'channels 2 + GLU', options: { channels: 2, activation: 'glu' }, mode: 'linear' },
  {
    label: 'channels 2, swap_channels, tanh',
    options: { channels: 2, swap_channels: true, activation: 'tanh' },
  },
  { label: 'S4 float32', options: {}, mode: 'linear', dtype: 'float32', tolerance: 1e-4 },
  { label: 'S4D float32', options: { mode: 'diag' }, dtype: 'float32', tolerance: 1e-4 },
];

describe.each(configs)(
  '$label: convolution = step = chunks',
  ({ options, mode, dtype = 'float64', tolerance = 1e-9 }) => {
    const layer = () => new FFTConv({ d_model: H, d_state: 8, transposed: false, ...options, dtype });
    const x = input(dtype);

    it('stepping reproduces the whole-sequence convolution', async () => {
      const conv = layer();
      const { y } = await conv.forward({ data: x, shape: [B, L, H] });
      conv.setupStep(mode);
      expectClose(stepAll(conv, x, L, conv.defaultState(B)).y, y.data, tolerance, 'steps');
    });

    it('chunks with carried states reproduce it, and mix with steps', async () => {
      const conv = layer();
      const { y } = await conv.forward({ data: x, shape: [B, L, H] });
      const F = y.shape[2];
      conv.setupStep(mode === 'diagonal' ? 'dense' : mode);
      const out = new Float64Array(B * L * F);
      // 13 positions as a chunk, 5 steps, the rest as a chunk.
      const first = await conv.forward(
        { data: timeSlice(x, B, L, H, 0, 13), shape: [B, 13, H] },
        { state: conv.defaultState(B) },
      );
      for (let b = 0; b < B; b++) out.set(first.y.data.subarray(b * 13 * F, (b + 1) * 13 * F), b * L * F);
      let state = first.state as ComplexTensor;
      for (let t = 13; t < 18; t++) {
        const s = conv.step({ data: timeStep(x, B, L, H, t), shape: [B, H] }, state);
        setTimeStep(out, s.y.data, B, L, F, t);
        state = s.state;
      }
      const rest = await conv.forward(
        { data: timeSlice(x, B, L, H, 18, L), shape: [B, L - 18, H] },
        { state },
      );
      for (let b = 0; b < B; b++)
        out.set(rest.y.data.subarray(b * (L - 18) * F, (b + 1) * (L - 18) * F), (b * L + 18) * F);
      expectClose(out, y.data, tolerance, 'chunks');
    });
  },
);

describe('layout and channels', () => {
  it('transposed [B, H, L] and [B, L, H] layouts agree', async () => {
    const x = input('float64');
    const a = new FFTConv({ d_model: H, d_state: 8, channels: 2, seed: 3, transposed: false });
    const b = new FFTConv({ d_model: H, d_state: 8, channels: 2, seed: 3 });
    const ya = (await a.forward({ data: x, shape: [B, L, H] })).y;
    const xt = new Float64Array(x.length);
    for (let i = 0; i < B; i++)
      for (let t = 0; t < L; t++)
        for (let h = 0; h < H; h++) xt[(i * H + h) * L + t] = x[(i * L + t) * H + h];
    const yb = (await b.forward({ data: xt, shape: [B, H, L] })).y;
    expect(yb.shape).toEqual([B, 2 * H, L]);
    for (let i = 0; i < B; i++) {
      for (let t = 0; t < L; t++)
        for (let f = 0; f < 2 * H; f++)
          expect(yb.data[(i * 2 * H + f) * L + t]).toBe(ya.data[(i * L + t) * 2 * H + f]);
    }
  });

  it('GLU doubles the kernel channels and D, and halves them back', () => {
    const conv = new FFTConv({ d_model: H, channels: 2, activation: 'glu', d_state: 4 });
    expect(conv.D.shape).toEqual([4, H]);
    expect(conv.kernel.C.shape).toEqual([4, H, 2, 2]);
    expect(conv.d_output).toBe(2 * H);
  });
});

describe('bidirectional', () => {
  it('adds the anticausal kernel with the official offset: future input d ≥ 1 weighted by k1[d − 1]', async () => {
    const conv = new FFTConv({
      d_model: H,
      d_state: 8,
      bidirectional: true,
      activation: null,
      transposed: false,
      l_max: L,
    });
    const x = input('float64');
    const { y } = await conv.forward({ data: x, shape: [B, L, H] });
    const { K } = await conv.kernel.forward({ L });
    expect(K.shape).toEqual([2, H, L]);
    const D = conv.D.data;
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        for (let t = 0; t < L; t++) {
          let s = D[h] * x[(b * L + t) * H + h];
          for (let j = 0; j <= t; j++) s += K.data[h * L + j] * x[(b * L + t - j) * H + h];
          for (let d = 1; t + d < L; d++) s += K.data[(H + h) * L + d - 1] * x[(b * L + t + d) * H + h];
          expect(y.data[(b * L + t) * H + h]).toBeCloseTo(s, 10);
        }
      }
    }
  });

  it('has no recurrent step and carries no states', async () => {
    const conv = new FFTConv({ d_model: H, d_state: 8, bidirectional: true });
    expect(() => conv.setupStep()).toThrow(/bidirectional FFTConv has no recurrent step/);
    expect(() => conv.defaultState(1)).toThrow(/bidirectional/);
    const state = new FFTConv({ d_model: H, d_state: 8 }).defaultState(B);
    await expect(conv.forward({ data: input('float64'), shape: [B, H, L] }, { state })).rejects.toThrow(
      /cannot carry states/,
    );
  });
});

describe('dropout', () => {
  const x = input('float64');
  const options = { d_model: H, d_state: 8, transposed: false, activation: null, seed: 5 } as const;

  it('is off in evaluation mode (the default)', async () => {
    const plain = await new FFTConv(options).forward({ data: x, shape: [B, L, H] });
    const dropped = await new FFTConv({ ...options, dropout: 0.5, drop_kernel: 0.5 }).forward({
      data: x,
      shape: [B, L, H],
    });
    expect(dropped.y.data).toEqual(plain.y.data);
  });

  it('tied masks zero whole (example, feature) sequences and scale the rest by 1/(1 − p)', async () => {
    const plain = await new FFTConv(options).forward({ data: x, shape: [B, L, H] });
    const conv = new FFTConv({ ...options, dropout: 0.5, tie_dropout: true }).train();
    const { y } = await conv.forward({ data: x, shape: [B, L, H] });
    let zeros = 0;
    for (let b = 0; b < B; b++) {
      for (let h = 0; h < H; h++) {
        const ratio = y.data[b * L * H + h] / plain.y.data[b * L * H + h];
        expect([0, 2]).toContain(Math.round(ratio * 1e9) / 1e9);
        if (ratio === 0) zeros++;
        for (let t = 0; t < L; t++)
          expect(y.data[(b * L + t) * H + h]).toBeCloseTo(ratio * plain.y.data[(b * L + t) * H + h], 10);
      }
    }
    expect(zeros).toBeGreaterThan(0);
  });

  it('kernel dropout in training changes the output, reproducibly from the seed', async () => {
    const run = async () =>
      (await new FFTConv({ ...options, drop_kernel: 0.3 }).train().forward({ data: x, shape: [B, L, H] })).y
        .data;
    const plain = (await new FFTConv(options).forward({ data: x, shape: [B, L, H] })).y.data;
    const a = await run();
    expect(a).toEqual(await run());
    expect(a).not.toEqual(plain);
  });
});

describe('bad configurations and inputs', () => {
  it('are rejected clearly', async () => {
    expect(() => new FFTConv({ d_model: H, activation: 'swiglu' })).toThrow(
      /activation must be null or one of .*'gelu'.*got 'swiglu'/,
    );
    expect(() => new FFTConv({ d_model: H, channels: 2, swap_channels: true, activation: 'glu' })).toThrow(
      /swap_channels/,
    );
    expect(() => new FFTConv({ d_model: H, mode: 'diag', kernel: 'diag' })).toThrow(/either mode or kernel/);
    expect(() => new FFTConv({ d_model: H, dropout: 1 })).toThrow(
      /dropout must be a finite number ≥ 0 and ≤/,
    );
    const conv = new FFTConv({ d_model: H, d_state: 4, l_max: 16 });
    await expect(conv.forward({ data: new Float64Array(2 * 4 * 20), shape: [2, 4, 20] })).rejects.toThrow(
      /x must have shape \[batch, 3, length\]/,
    );
    await expect(
      conv.forward(
        { data: new Float64Array(B * H * 20), shape: [B, H, 20] },
        { state: conv.defaultState(B) },
      ),
    ).rejects.toThrow(/states need a kernel as long as the chunk/);
  });

  it('FFTConv(kernel: diag) is the official alias of mode', () => {
    expect(new FFTConv({ d_model: H, kernel: 'diag' }).kernel.config.kind).toBe('diag');
  });
});

it('the default activation is the exact GELU', async () => {
  const conv = new FFTConv({ d_model: 1, d_state: 4, transposed: false });
  const lin = new FFTConv({ d_model: 1, d_state: 4, transposed: false, activation: null });
  const x = { data: Float64Array.from({ length: 8 }, (_, i) => i - 4), shape: [1, 8, 1] };
  const a = (await conv.forward(x)).y.data;
  const b = (await lin.forward(x)).y.data;
  for (let i = 0; i < 8; i++) expect(a[i]).toBeCloseTo(0.5 * b[i] * (1 + erf(b[i] / Math.SQRT2)), 14);
});

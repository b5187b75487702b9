import { createRng } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { S4Block, type S4BlockForwardOptions, type S4BlockOptions, Tape } from '../src/index';

// Backpropagation through small S4D and S4 blocks against fourth-order central differences of
// their forward pass, in float64 (≤ 1e-6 max-norm relative per tensor), for every parameter and x
// (S4's C is its stored C̃).

const BATCH = 2;
const L = 12;
const D = 4;

// [name, options, forward options, training mode (dropout: each loss evaluation replays the
// masks of the taped forward with a fresh block of the same seed)]
const configs: [string, S4BlockOptions, S4BlockForwardOptions, boolean?][] = [
  ['zoh, GELU, GLU output, transposed', { d_model: D, d_state: 8, mode: 'diag', l_max: L }, {}],
  [
    'bilinear, glu activation, 2 channels, bottleneck and gate, per-mode Δ, softplus Re Λ, band limit, rate 0.5',
    {
      d_model: D,
      d_state: 6,
      mode: 'diag',
      disc: 'bilinear',
      channels: 2,
      activation: 'glu',
      bottleneck: 2,
      gate: 2,
      gate_act: 'tanh',
      mult_act: 'silu',
      final_act: 'glu-gelu',
      dt_tie: false,
      real_transform: 'softplus',
      bandlimit: 0.05,
      transposed: false,
    },
    { rate: 0.5 },
  ],
  [
    'dss, real S4D, bidirectional, swap_channels, dt_fast, n_ssm 2, lengths',
    {
      d_model: D,
      d_state: 4,
      mode: 'diag',
      disc: 'dss',
      is_real: true,
      bidirectional: true,
      channels: 2,
      swap_channels: true,
      dt_fast: true,
      n_ssm: 2,
      final_act: null,
      activation: 'tanh',
    },
    { lengths: [L, 7] },
  ],
  ['S4 (nplr, legs), GELU, GLU output, transposed', { d_model: D, d_state: 6, mode: 'nplr', l_max: L }, {}],
  [
    'S4 (dplr) rank 2, n_ssm 2, per-mode Δ, odd length, rate 0.5',
    {
      d_model: D,
      d_state: 4,
      mode: 'dplr',
      rank: 2,
      n_ssm: 2,
      dt_tie: false,
      l_max: L - 1,
      transposed: false,
    },
    { rate: 0.5 },
  ],
  [
    'S4 (nplr) bidirectional, 2 channels, glu activation, no output map',
    {
      d_model: D,
      d_state: 4,
      mode: 'nplr',
      bidirectional: true,
      channels: 2,
      activation: 'glu',
      final_act: null,
      l_max: L,
    },
    {},
  ],
  [
    'training mode: dropout, tie_dropout and drop_kernel',
    { d_model: D, d_state: 4, mode: 'diag', l_max: L, dropout: 0.3, tie_dropout: true, drop_kernel: 0.2 },
    {},
    true,
  ],
];

/** ∂(Σ cotangent·f)/∂a[i] for every i, by (8(ℓ(+h) − ℓ(−h)) − (ℓ(+2h) − ℓ(−2h)))/(12h). */
async function centralDifferences(
  a: Float64Array,
  loss: () => Promise<number>,
  step = 1e-4,
): Promise<Float64Array> {
  const grad = new Float64Array(a.length);
  const at = async (i: number, v: number) => {
    a[i] = v;
    return loss();
  };
  for (let i = 0; i < a.length; i++) {
    const a0 = a[i];
    const h = step * Math.max(1, Math.abs(a0));
    const near = (await at(i, a0 + h)) - (await at(i, a0 - h));
    const far = (await at(i, a0 + 2 * h)) - (await at(i, a0 - 2 * h));
    a[i] = a0;
    grad[i] = (8 * near - far) / (12 * h);
  }
  return grad;
}

describe.each(configs)('S4Block %s', (_, options, forwardOptions, training = false) => {
  const fresh = () => new S4Block({ ...options, dtype: 'float64', seed: 3 }).train(training);
  const block = fresh();
  const rng = createRng(5);
  const transposed = options.transposed ?? true;
  const shape = transposed ? [BATCH, D, L] : [BATCH, L, D];
  const x = Float64Array.from({ length: BATCH * D * L }, () => rng.normal());
  const inputs = new Map([...block.parameters()].map(([name, p]) => [name, p.data as Float64Array]));
  inputs.set('x', x);
  const grads = new Map<string, Float64Array>();
  let loss: () => Promise<number>;
  beforeAll(async () => {
    const tape = new Tape();
    const { y } = await block.forward({ data: x, shape }, { ...forwardOptions, tape });
    const G = Float64Array.from({ length: y.data.length }, () => rng.normal());
    await tape.backward(y.data, G);
    for (const [name, g] of tape.gradients(block)) grads.set(name, g);
    grads.set('x', tape.grad(x) ?? new Float64Array(x.length));
    loss = async () => {
      const b = training ? fresh() : block;
      if (training) b.loadStateDict(block.stateDict());
      const out = await b.forward({ data: x, shape }, forwardOptions);
      let s = 0;
      for (let i = 0; i < G.length; i++) s += out.y.data[i] * G[i];
      return s;
    };
  });

  it.each([...inputs.keys()].map((name) => [name] as const))(
    '∂/∂%s matches central differences',
    async (name) => {
      const numeric = await centralDifferences(inputs.get(name) as Float64Array, loss);
      expectClose(grads.get(name) ?? [], numeric, 1e-6, `∂/∂${name}`);
    },
  );
});

describe('Tape', () => {
  it('rejects backward before a forward pass, twice, and gradients before backward', async () => {
    const block = new S4Block({ d_model: D, d_state: 4, mode: 'diag', l_max: L, dtype: 'float64' });
    const tape = new Tape();
    const x = new Float64Array(BATCH * D * L);
    expect(() => tape.backward(x, x)).toThrow(/run the forward pass with \{ tape \} first/);
    expect(() => tape.gradients(block)).toThrow(/call backward first/);
    const { y } = await block.forward({ data: x, shape: [BATCH, D, L] }, { tape });
    expect(() => tape.backward(y.data, new Float64Array(3))).toThrow(/gradOutput must hold/);
    await tape.backward(y.data, new Float64Array(y.data.length));
    expect(() => tape.backward(y.data, new Float64Array(y.data.length))).toThrow(/already backpropagated/);
  });

  it('leaves the forward unchanged: the same y with and without a tape, dropout included', async () => {
    const options: S4BlockOptions = { d_model: D, d_state: 4, mode: 'diag', dropout: 0.3, drop_kernel: 0.2 };
    const make = () => new S4Block({ ...options, dtype: 'float64', seed: 4 }).train();
    const rng = createRng(1);
    const x = {
      data: Float64Array.from({ length: BATCH * D * L }, () => rng.normal()),
      shape: [BATCH, D, L],
    };
    const plain = await make().forward(x);
    const taped = await make().forward(x, { tape: new Tape() });
    expect(Array.from(taped.y.data)).toEqual(Array.from(plain.y.data));
  });

  it('rejects what it cannot differentiate: kernel states, band-limited S4', async () => {
    const x = { data: new Float64Array(BATCH * D * L), shape: [BATCH, D, L] };
    const s4 = new S4Block({ d_model: D, d_state: 4, l_max: L, bandlimit: 0.5, dtype: 'float64' });
    await expect(s4.forward(x, { tape: new Tape() })).rejects.toThrow(/band-limited S4/);
    const s4d = new S4Block({ d_model: D, d_state: 4, mode: 'diag', l_max: L, dtype: 'float64' });
    await expect(s4d.forward(x, { tape: new Tape(), state: s4d.defaultState(BATCH) })).rejects.toThrow(
      /kernel states/,
    );
  });
});

import { createRng } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { beforeAll, describe, it } from 'vitest';
import { SequenceResidualBlock, type SequenceResidualBlockOptions, Tape } from '../src/index';

// Backpropagation through SequenceResidualBlocks (norms, residuals, dropout, drop path) against
// fourth-order central differences of their forward pass in float64 (≤ 1e-6 per tensor), for
// every parameter and x. In training mode each loss evaluation replays the masks of the taped
// forward with a fresh block of the same seed.

const BATCH = 2;
const L = 10;
const D = 4;
const layer = { d_state: 4, mode: 'diag', l_max: L } as const;

const configs: [string, SequenceResidualBlockOptions, boolean][] = [
  ['prenorm LayerNorm, residual R', { d_input: D, layer }, false],
  [
    'postnorm LayerNorm without affine, residual D, i_layer 3',
    {
      d_input: D,
      layer,
      prenorm: false,
      norm: { _name_: 'layer', affine: false },
      residual: 'D',
      i_layer: 3,
    },
    false,
  ],
  [
    'BatchNorm (running statistics), highway residual with Wy a linear map',
    {
      d_input: D,
      layer,
      norm: 'batch',
      residual: { _name_: 'H', scaling_correction: true },
    },
    false,
  ],
  [
    'training: BatchNorm (batch statistics) after an affine residual, dropout, drop path',
    {
      d_input: D,
      layer,
      prenorm: false,
      norm: 'batch',
      residual: { _name_: 'A', scalar: false, gamma: 0.5 },
      dropout: 0.3,
      tie_dropout: true,
      drop_path: 0.4,
    },
    true,
  ],
  [
    'training: elementwise highway residual, no norm, dropout',
    {
      d_input: D,
      layer,
      norm: null,
      residual: { _name_: 'H', elemwise: true },
      dropout: 0.2,
    },
    true,
  ],
];

async function centralDifferences(a: Float64Array, loss: () => Promise<number>): Promise<Float64Array> {
  const grad = new Float64Array(a.length);
  const at = async (i: number, v: number) => {
    a[i] = v;
    return loss();
  };
  for (let i = 0; i < a.length; i++) {
    const a0 = a[i];
    const h = 1e-4 * Math.max(1, Math.abs(a0));
    const near = (await at(i, a0 + h)) - (await at(i, a0 - h));
    const far = (await at(i, a0 + 2 * h)) - (await at(i, a0 - 2 * h));
    a[i] = a0;
    grad[i] = (8 * near - far) / (12 * h);
  }
  return grad;
}

describe.each(configs)('SequenceResidualBlock %s', (_, options, training) => {
  const fresh = () => new SequenceResidualBlock({ ...options, dtype: 'float64', seed: 6 }).train(training);
  const block = fresh();
  const rng = createRng(8);
  const x = Float64Array.from({ length: BATCH * L * D }, () => rng.normal());
  const shape = [BATCH, L, D];
  const inputs = new Map([...block.parameters()].map(([name, p]) => [name, p.data as Float64Array]));
  inputs.set('x', x);
  const grads = new Map<string, Float64Array>();
  let loss: () => Promise<number>;
  beforeAll(async () => {
    const tape = new Tape();
    const { y } = await block.forward({ data: x, shape }, { tape });
    const G = Float64Array.from({ length: y.data.length }, () => rng.normal());
    await tape.backward(y.data, G);
    for (const [name, g] of tape.gradients(block)) grads.set(name, g);
    grads.set('x', tape.grad(x) ?? new Float64Array(x.length));
    loss = async () => {
      const b = training ? fresh() : block;
      if (training) b.loadStateDict(block.stateDict());
      const out = await b.forward({ data: x, shape });
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

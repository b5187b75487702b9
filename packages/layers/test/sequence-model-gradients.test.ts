import { createRng } from '@statespace/complex';
import { expectClose } from '@statespace/testing';
import { beforeAll, describe, it } from 'vitest';
import {
  SequenceModel,
  type SequenceModelForwardOptions,
  type SequenceModelOptions,
  Tape,
} from '../src/index';

// Backpropagation through whole SequenceModels (encoder, blocks, final norm, decoder) against
// fourth-order central differences of their forward pass in float64 (≤ 1e-6 per tensor), for
// every parameter and the input features. In training mode each loss evaluation replays the
// masks of the taped forward with a fresh model of the same seed.

const BATCH = 2;
const L = 8;
const D = 4;

const configs: [string, SequenceModelOptions, SequenceModelForwardOptions, boolean][] = [
  [
    'linear encoder, 2 S4D blocks, final norm, pooled decoder',
    {
      d_model: D,
      n_layers: 2,
      layer: { d_state: 4, mode: 'diag' },
      encoder: { _name_: 'linear', d_input: 3 },
      decoder: { d_output: 2, mode: 'pool', l_output: 0 },
    },
    {},
    false,
  ],
  [
    'training: embedding encoder, S4 block, dropout, dropinp, drop path, summing decoder with lengths',
    {
      d_model: D,
      layer: { d_state: 4 },
      encoder: { _name_: 'embedding', n_tokens: 5 },
      decoder: { d_output: 3, mode: 'sum', l_output: 3, use_lengths: true },
      dropout: 0.2,
      dropinp: 0.3,
      drop_path: 0.3,
    },
    { lengths: [L, 6] },
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

describe.each(configs)('SequenceModel %s', (_, options, forwardOptions, training) => {
  const fresh = () => new SequenceModel({ ...options, dtype: 'float64', seed: 2 }).train(training);
  const model = fresh();
  const rng = createRng(4);
  const tokens =
    options.encoder !== undefined && (options.encoder as { _name_: string })._name_ === 'embedding';
  const x = tokens
    ? { data: Int32Array.from({ length: BATCH * L }, (_, i) => (i * 3) % 5), shape: [BATCH, L] }
    : { data: Float64Array.from({ length: BATCH * L * 3 }, () => rng.normal()), shape: [BATCH, L, 3] };
  const inputs = new Map([...model.parameters()].map(([name, p]) => [name, p.data as Float64Array]));
  if (x.data instanceof Float64Array) inputs.set('x', x.data);
  const grads = new Map<string, Float64Array>();
  let loss: () => Promise<number>;
  beforeAll(async () => {
    const tape = new Tape();
    const { y } = await model.forward(x, { ...forwardOptions, tape });
    const G = Float64Array.from({ length: y.data.length }, () => rng.normal());
    await tape.backward(y.data, G);
    for (const [name, g] of tape.gradients(model)) grads.set(name, g);
    if (x.data instanceof Float64Array) grads.set('x', tape.grad(x.data) ?? new Float64Array(x.data.length));
    loss = async () => {
      const m = training ? fresh() : model;
      if (training) m.loadStateDict(model.stateDict());
      const out = await m.forward(x, forwardOptions);
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

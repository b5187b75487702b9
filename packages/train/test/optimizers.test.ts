import { Linear } from '@statespace/layers';
import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { createOptimizer } from '../src/index';

// A linear map: `weight` [1, 2] takes the global weight decay, `bias` [1] none (official grouping).
function linear(weight: number[], bias: number): Linear {
  const module = new Linear({ d_input: 2, d_output: 1, dtype: 'float64', seed: 0 });
  module.weight.data.set(weight);
  module.bias?.data.set([bias]);
  return module;
}

const gradients = [
  new Map([
    ['weight', Float64Array.of(0.2, -0.7)],
    ['bias', Float64Array.of(0.05)],
  ]),
  new Map([
    ['weight', Float64Array.of(-0.1, -0.4)],
    ['bias', Float64Array.of(0.3)],
  ]),
  new Map([
    ['weight', Float64Array.of(0.6, 0.2)],
    ['bias', Float64Array.of(-0.2)],
  ]),
];

/** The AdamW algorithm as the PyTorch documentation writes it, for one scalar. */
function adamwReference(
  theta: number,
  grads: number[],
  lr: number,
  wd: number,
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-8,
) {
  let m = 0;
  let v = 0;
  grads.forEach((g, k) => {
    const t = k + 1;
    theta -= lr * wd * theta;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    const mHat = m / (1 - b1 ** t);
    const vHat = v / (1 - b2 ** t);
    theta -= (lr * mHat) / (Math.sqrt(vHat) + eps);
  });
  return theta;
}

describe('AdamW', () => {
  it('takes the documented first step: θ(1 − lr·wd) − lr·g/(|g| + ε)', () => {
    const model = linear([0.5, 1], 0);
    createOptimizer(model, 'adamw', { lr: 0.1, weightDecay: 0.01 }).step(gradients[0]);
    expect(model.weight.data[0]).toBeCloseTo(0.5 * (1 - 0.1 * 0.01) - (0.1 * 0.2) / (0.2 + 1e-8), 15);
    expect(model.weight.data[0]).toBeCloseTo(0.399500005, 12);
  });

  it('matches the PyTorch formulas over three steps, with no decay on the bias and a scaled lr', () => {
    const model = linear([0.5, -1.5], 0.25);
    const optimizer = createOptimizer(model, 'adamw', {
      lr: 0.05,
      weightDecay: 0.1,
      betas: [0.8, 0.99],
      eps: 1e-6,
    });
    for (const g of gradients) optimizer.step(g, 0.5);
    const lr = 0.05 * 0.5;
    const seq = (name: string, i: number) => gradients.map((g) => (g.get(name) as Float64Array)[i]);
    const expected = [0, 1].map((i) =>
      adamwReference([0.5, -1.5][i], seq('weight', i), lr, 0.1, 0.8, 0.99, 1e-6),
    );
    expectClose(model.weight.data, expected, 1e-14, 'weight');
    expectClose(
      model.bias?.data ?? [],
      [adamwReference(0.25, seq('bias', 0), lr, 0, 0.8, 0.99, 1e-6)],
      1e-14,
      'bias',
    );
    expect(optimizer.stepCount).toBe(3);
  });

  it('continues identically from its state dict', () => {
    const a = linear([0.5, -1.5], 0.25);
    const b = linear([0.5, -1.5], 0.25);
    const first = createOptimizer(a, 'adamw', { lr: 0.05 });
    first.step(gradients[0]);
    b.loadStateDict(a.stateDict());
    const second = createOptimizer(b, 'adamw', { lr: 0.05 });
    second.loadStateDict(first.stateDict());
    first.step(gradients[1]);
    second.step(gradients[1]);
    expect([...b.weight.data]).toEqual([...a.weight.data]);
    expect([...second.stateDict().keys()]).toEqual([
      'step',
      'weight.exp_avg',
      'weight.exp_avg_sq',
      'bias.exp_avg',
      'bias.exp_avg_sq',
    ]);
  });

  it('rejects a state of another shape, listing the problems, and unknown options', () => {
    const optimizer = createOptimizer(linear([0, 0], 0), 'adamw', { lr: 0.1 });
    const state = optimizer.stateDict();
    state.set('weight.exp_avg', { data: new Float64Array(3), shape: [3] });
    state.delete('bias.exp_avg');
    expect(() => optimizer.loadStateDict(state)).toThrow(
      /weight.exp_avg: expected shape \[1, 2\][\s\S]*bias.exp_avg: missing/,
    );
    expect(() => createOptimizer(linear([0, 0], 0), 'adamw', { lr: 0.1, momentum: 0.9 })).toThrow(
      /adamw has no option 'momentum'/,
    );
    expect(() => createOptimizer(linear([0, 0], 0), 'adam' as 'adamw', { lr: 0.1 })).toThrow(
      /'adamw', 'sgd'/,
    );
  });
});

describe('SGD', () => {
  it('plain: θ − lr·(g + wd·θ)', () => {
    const model = linear([1, -2], 0.5);
    createOptimizer(model, 'sgd', { lr: 0.1, weightDecay: 0.1 }).step(gradients[0]);
    expectClose(model.weight.data, [1 - 0.1 * (0.2 + 0.1), -2 - 0.1 * (-0.7 - 0.2)], 1e-15, 'weight');
    expectClose(model.bias?.data ?? [], [0.5 - 0.1 * 0.05], 1e-15, 'bias');
  });

  it('with momentum and Nesterov momentum, as torch.optim.SGD (hand-computed)', () => {
    const g = new Map([
      ['weight', Float64Array.of(0.5, 0.5)],
      ['bias', Float64Array.of(0.5)],
    ]);
    const heavy = linear([1, 1], 1);
    const momentum = createOptimizer(heavy, 'sgd', { lr: 0.1, weightDecay: 0.1, momentum: 0.9 });
    momentum.step(g);
    momentum.step(g);
    // Step 1: d = 0.5 + 0.1 = 0.6, buffer 0.6, θ = 0.94; step 2: d = 0.5 + 0.094, buffer 0.54 + 0.594.
    expectClose(heavy.weight.data, [0.8266, 0.8266], 1e-14, 'momentum weight');
    // The bias has no weight decay: buffer 0.5 then 0.95; θ = 1 − 0.05 − 0.095.
    expectClose(heavy.bias?.data ?? [], [0.855], 1e-14, 'momentum bias');

    const nesterov = linear([1, 1], 1);
    const optimizer = createOptimizer(nesterov, 'sgd', {
      lr: 0.1,
      weightDecay: 0.1,
      momentum: 0.9,
      nesterov: true,
    });
    optimizer.step(g);
    optimizer.step(g);
    // Step 1: d = 0.6 + 0.9·0.6 = 1.14, θ = 0.886; step 2: d = 0.5886, buffer 1.1286, d = 1.60434.
    expectClose(nesterov.weight.data, [0.725566, 0.725566], 1e-14, 'nesterov weight');
    expect(() => createOptimizer(linear([0, 0], 0), 'sgd', { lr: 0.1, nesterov: true })).toThrow(
      /momentum > 0/,
    );
  });

  it('rejects a missing gradient, naming the parameter', () => {
    const optimizer = createOptimizer(linear([0, 0], 0), 'sgd', { lr: 0.1 });
    expect(() => optimizer.step(new Map([['weight', new Float64Array(2)]]))).toThrow(
      /parameter 'bias'; got none/,
    );
  });
});

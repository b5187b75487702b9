import type { SequenceDataset } from '@statespace/datasets';
import { modelForTask } from '@statespace/train';
import { describe, expect, it } from 'vitest';
import { streamExample } from '../src/stream-example';

const L = 24;

/** A tiny dataset of one example: real inputs with a class target, or tokens with a real target. */
function dataset(kind: 'class' | 'regression'): SequenceDataset {
  const tokens = kind === 'regression';
  return {
    name: `tiny-${kind}`,
    size: 1,
    length: L,
    input: tokens ? { kind: 'tokens', vocab: 5 } : { kind: 'real', features: 2 },
    target: tokens ? { kind: 'regression', outputs: 1 } : { kind: 'class', classes: 3 },
    example: () => ({
      input: tokens
        ? Int32Array.from({ length: L }, (_, t) => (t * 3) % 5)
        : Float32Array.from({ length: 2 * L }, (_, i) => Math.sin(i)),
      length: L,
      target: tokens ? Float32Array.of(0.5) : 1,
    }),
  };
}

describe('streaming one example through the recurrence', () => {
  it('reads the running class prediction of each prefix, as the whole forward of that prefix does', async () => {
    const data = dataset('class');
    const { model } = modelForTask(data, {
      model: 's4d',
      layers: 2,
      dModel: 4,
      dState: 4,
      dtype: 'float64',
      seed: 1,
    });
    const streamed = await streamExample(model, data, 0, { dtype: 'float64', every: 8 });
    expect(streamed.readings.map((r) => r.t)).toEqual([8, 16, 24]);
    expect(streamed.stepMicroseconds).toHaveLength(L);
    expect(streamed.convolution.maxDifference).toBeLessThan(1e-10);
    // Oracle: the convolution forward of the first 8 steps, then softmax.
    const prefix = Float64Array.from(data.example(0).input.subarray(0, 16));
    const { y } = await model.forward({ data: prefix, shape: [1, 8, 2] });
    const logits = Array.from(y.data);
    const top = logits.indexOf(Math.max(...logits));
    const probability = 1 / logits.reduce((s, v) => s + Math.exp(v - logits[top]), 0);
    expect(streamed.readings[0].value).toBe(top);
    expect(streamed.readings[0].probability).toBeCloseTo(probability, 10);
  });

  it('steps token inputs and reads a regression output from the last position (S4)', async () => {
    const data = dataset('regression');
    const { model } = modelForTask(data, {
      model: 's4',
      layers: 1,
      dModel: 4,
      dState: 4,
      dtype: 'float64',
      seed: 2,
    });
    const streamed = await streamExample(model, data, 0, { dtype: 'float64', every: 10 });
    expect(streamed.readings.map((r) => r.t)).toEqual([10, 20, 24]);
    expect(streamed.readings[2].probability).toBeUndefined();
    expect(streamed.convolution.maxDifference).toBeLessThan(1e-10);
    expect(streamed.readings[2].value).toBeCloseTo(streamed.convolution.reading.value, 10);
  });
});

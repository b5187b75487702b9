import { SequenceModel } from '@statespace/layers';
import { describe, expect, it } from 'vitest';
import { batchCountOf, collate, epochOrder, shardBatch } from '../src/batches';
import { evaluate, modelForTask } from '../src/index';
import { copyTask, firstTokenTask, signTask, sumTask } from './tiny-tasks';

describe('modelForTask', () => {
  it('builds a linear encoder and a pooling class decoder for real inputs (S4D defaults)', async () => {
    const data = signTask({ size: 4 });
    const { model, modelOptions } = modelForTask(data, {
      model: 's4d',
      layers: 2,
      dModel: 4,
      dState: 6,
      seed: 3,
    });
    expect(modelOptions).toEqual({
      d_model: 4,
      n_layers: 2,
      dropout: 0,
      prenorm: true,
      dtype: 'float64',
      seed: 3,
      layer: { mode: 'diag', init: 'diag-lin', d_state: 6, l_max: 8 },
      encoder: { _name_: 'linear', d_input: 1 },
      decoder: { d_output: 2, mode: 'pool', l_output: 0, use_lengths: false },
    });
    // The options rebuild the same model.
    const again = new SequenceModel(JSON.parse(JSON.stringify(modelOptions)));
    expect([...again.stateDict().values()].map((t) => [...t.data])).toEqual(
      [...model.stateDict().values()].map((t) => [...t.data]),
    );
    const { y } = await model.forward({ data: new Float64Array(2 * 8), shape: [2, 8, 1] });
    expect(y.shape).toEqual([2, 2]);
  });

  it('builds bidirectional layers and reads the position `pool` names; rejects an unknown pooling', async () => {
    const data = firstTokenTask({ size: 4 });
    const { model, modelOptions } = modelForTask(data, {
      model: 's4d',
      layers: 1,
      dModel: 4,
      dState: 4,
      bidirectional: true,
      pool: 'first',
    });
    expect(modelOptions.layer).toMatchObject({ bidirectional: true });
    expect(modelOptions.decoder).toMatchObject({ mode: 'first', use_lengths: true });
    const { y } = await model.forward({ data: new Int32Array(2 * 6), shape: [2, 6] }, { lengths: [3, 6] });
    expect(y.shape).toEqual([2, 3]);
    expect(() =>
      modelForTask(data, { model: 's4d', layers: 1, dModel: 4, dState: 4, pool: 'max' as 'mean' }),
    ).toThrow(/pool must be one of 'mean', 'first', 'last', 'sum'/);
  });

  it('embeds tokens, pools up to each length for variable-length data, and fits sequence and regression targets', async () => {
    const tokens = modelForTask(firstTokenTask({ size: 4 }), {
      model: 's4',
      layers: 1,
      dModel: 4,
      dState: 4,
    });
    expect(tokens.modelOptions.encoder).toEqual({ _name_: 'embedding', n_tokens: 3 });
    expect(tokens.modelOptions.decoder).toMatchObject({ mode: 'pool', use_lengths: true });
    expect(tokens.modelOptions.layer).toMatchObject({ mode: 'dplr', init: 'legs' });
    const copy = modelForTask(copyTask({ size: 4 }), {
      model: 's4d',
      layers: 1,
      dModel: 4,
      dState: 4,
      dtype: 'float32',
    });
    expect(copy.modelOptions.decoder).toEqual({ d_output: 2, mode: 'last', l_output: 2, use_lengths: false });
    const result = await evaluate(copy.model, copyTask({ size: 5 }), { batchSize: 2 });
    expect(result.count).toBe(5);
    expect(result.accuracy).toBeGreaterThanOrEqual(0);
    const sums = modelForTask(sumTask({ size: 4 }), { model: 's4d', layers: 1, dModel: 4, dState: 4 });
    expect(sums.modelOptions.decoder).toEqual({ d_output: 2, mode: 'last', l_output: 0, use_lengths: false });
    expect(() =>
      modelForTask(sumTask({ size: 4 }), { model: 's5' as 's4', layers: 1, dModel: 4, dState: 4 }),
    ).toThrow(/model must be one of 's4', 's4d'/);
  });
});

describe('evaluate', () => {
  it('is the mean loss over every example in evaluation mode, and restores the mode', async () => {
    const data = signTask({ size: 5 });
    const { model } = modelForTask(data, { model: 's4d', layers: 1, dModel: 4, dState: 4, dropout: 0.5 });
    model.train();
    const whole = await evaluate(model, data, { batchSize: 5 });
    const pieces = await evaluate(model, data, { batchSize: 2 });
    expect(model.training).toBe(true);
    expect(pieces.loss).toBeCloseTo(whole.loss, 14);
    expect(pieces).toMatchObject({ count: 5, accuracy: whole.accuracy });
  });
});

describe('batches', () => {
  it('visit every example once per epoch in an order fixed by (seed, epoch)', () => {
    const order = epochOrder(10, 3, 1);
    expect([...order].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...epochOrder(10, 3, 1)]).toEqual([...order]);
    expect([...epochOrder(10, 3, 2)]).not.toEqual([...order]);
    expect(batchCountOf(10, 4)).toBe(3);
  });

  it('stack examples and cut into contiguous shards', () => {
    const data = firstTokenTask({ size: 5 });
    const batch = collate(data, [4, 0, 2]);
    expect(batch.x.shape).toEqual([3, 6]);
    expect([...batch.y.data]).toEqual([4, 0, 2].map((i) => data.example(i).target));
    expect([...(batch.lengths ?? [])]).toEqual([4, 0, 2].map((i) => data.example(i).length));
    const shards = shardBatch(batch, 2);
    expect(shards.map((s) => s.size)).toEqual([2, 1]);
    expect([...shards[1].x.data]).toEqual([...data.example(2).input]);
    expect(shardBatch(batch, 5)).toHaveLength(3);
  });
});

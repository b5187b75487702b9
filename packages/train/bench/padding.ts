import { listOpsTask } from '@statespace/datasets';
import { report } from '@statespace/testing';
import { fit, modelForTask, type TrainingDataset } from '../src/index';

// Training throughput on ListOps (lengths 500–2,000) three ways, same model, data and seed: every
// batch padded to 2,000 (a fixed-length view of the data, as before batches were trimmed), padded to
// its longest example (the default for variable-length data), and with `lengthBuckets`. The model
// is the ListOps model of docs/results.md (S4D, 2 layers, H = N = 32, float32), batch 16, on two
// data-parallel workers. STATESPACE_BENCH_EXAMPLES (default 800) sets the examples per figure.

const size = Number(process.env.STATESPACE_BENCH_EXAMPLES ?? 800);
const { train, test } = listOpsTask({ trainSize: size, testSize: 16 });
/** The same examples presented as fixed-length data: every batch padded to L. */
const fixedLength = (data: TrainingDataset): TrainingDataset => ({
  ...data,
  variableLength: false,
  example: (i) => data.example(i),
});

for (const [label, trainData, testData, lengthBuckets] of [
  ['padded to 2000', fixedLength(train), fixedLength(test), false],
  ['padded to the longest example', train, test, false],
  ['length buckets', train, test, true],
] as const) {
  const { model, modelOptions } = modelForTask(trainData, {
    model: 's4d',
    layers: 2,
    dModel: 32,
    dState: 32,
    dtype: 'float32',
  });
  const { history } = await fit({
    model,
    modelOptions,
    train: trainData,
    test: testData,
    epochs: 1,
    batchSize: 16,
    lr: 0.01,
    workers: 2,
    lengthBuckets,
  });
  report({
    name: `listops training, ${label}`,
    value: Number(history[0].samplesPerSecond.toFixed(1)),
    unit: 'samples/s',
    examples: size,
  });
}

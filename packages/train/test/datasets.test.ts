import { copyingTask, type SequenceDataset } from '@statespace/datasets';
import { expect, it } from 'vitest';
import { fit, modelForTask, type TrainingDataset } from '../src/index';

it('trains on a task of @statespace/datasets, whose datasets fit the TrainingDataset interface', async () => {
  const { train, test }: { train: SequenceDataset; test: SequenceDataset } = copyingTask({
    delay: 10,
    memorize: 3,
    trainSize: 32,
    testSize: 8,
  });
  const data: TrainingDataset = train;
  const { model } = modelForTask(data, { model: 's4d', layers: 1, dModel: 4, dState: 4 });
  const { history } = await fit({ model, train, test, epochs: 1, batchSize: 16, lr: 0.01 });
  expect(history[0].trainAccuracy).toBeGreaterThan(0);
});

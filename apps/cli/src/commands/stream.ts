import { loadTrainedModel } from '@statespace/train';
import { defineCommand } from '../cli/command';
import { UsageError } from '../cli/errors';
import { integerFlag, requiredFlag } from '../cli/flag-values';
import { loadTaskSpec, resolveCheckpoint, storedDtype, storedTask } from '../run-files';
import { streamExamples } from '../stream-report';

export const streamCommand = defineCommand({
  name: 'stream',
  summary: 'recurrent inference one step at a time (a digit read pixel by pixel)',
  description: [
    'Loads a checkpoint and feeds test examples to the model as a recurrence: setupStep, then one step per',
    'input position with a state of fixed size. For sMNIST and psMNIST it draws the digit beside the',
    'prediction (top class and probability) as it evolves every --every steps, then compares the last one',
    'with the convolution mode (the whole sequence at once) and prints the time per step by quarter of the',
    'sequence: constant, O(1) per step, however long the sequence already is. --json gives the series.',
  ].join('\n'),
  flags: {
    checkpoint: {
      type: 'string',
      value: 'PATH',
      description: 'the train --out folder, its checkpoint/ folder or a file in it',
    },
    count: { type: 'string', value: 'N', description: 'test examples to stream', default: '3' },
    start: { type: 'string', value: 'I', description: 'index of the first test example', default: '0' },
    every: { type: 'string', value: 'K', description: 'steps between printed predictions', default: '49' },
  },
  examples: [
    'statespace stream --checkpoint runs/smnist-s4d',
    'statespace stream --checkpoint runs/smnist-s4d --start 10 --count 1 --json',
  ],
  async run(flags, output) {
    const dir = resolveCheckpoint(
      requiredFlag('checkpoint', flags.checkpoint, 'the folder a training run wrote'),
    );
    const count = integerFlag('count', flags.count, 3, { min: 1, max: 10_000 });
    const start = integerFlag('start', flags.start, 0, { min: 0 });
    const every = integerFlag('every', flags.every, 49, { min: 1 });
    const dtype = storedDtype(dir);
    const { model, state } = await loadTrainedModel(dir);
    const task = storedTask(state.task, dir);
    const { test } = loadTaskSpec({ name: task.name });
    if (start + count > test.size) {
      throw new UsageError(
        `--start ${start} --count ${count} goes past the ${test.size} test examples of ${task.name}`,
      );
    }
    const indices = Array.from({ length: count }, (_, i) => start + i);
    const correct = await streamExamples(model, test, indices, { dtype, every, task: task.name }, output);
    if (test.target.kind !== 'regression') {
      output.record('summary', { examples: count, correct });
      output.text(`${correct} of ${count} streamed examples predicted correctly`);
    }
    return 0;
  },
});

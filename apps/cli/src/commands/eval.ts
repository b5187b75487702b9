import { evaluate, loadTrainedModel } from '@statespace/train';
import { BACKEND_NAMES, createBackend } from '../backend';
import { defineCommand } from '../cli/command';
import { choiceFlag, integerFlag, requiredFlag } from '../cli/flag-values';
import { percent } from '../progress/format';
import { loadTaskSpec, resolveCheckpoint, storedDtype, storedTask } from '../run-files';

export const evalCommand = defineCommand({
  name: 'eval',
  summary: "a checkpoint's loss and accuracy on the test split",
  description: [
    "Loads a checkpoint written by 'statespace train', rebuilds its task from state.json and evaluates the",
    'model on the whole test split (or its first --test-size examples): mean loss and accuracy.',
  ].join('\n'),
  flags: {
    checkpoint: {
      type: 'string',
      value: 'PATH',
      description: 'the train --out folder, its checkpoint/ folder or a file in it',
    },
    'test-size': {
      type: 'string',
      value: 'N',
      description: 'evaluate on the first N test examples',
      default: 'all',
    },
    batch: { type: 'string', value: 'N', description: 'examples per forward pass', default: '64' },
    backend: {
      type: 'string',
      value: BACKEND_NAMES.join('|'),
      description: 'where SSM kernels and convolutions run',
      default: 'cpu',
    },
  },
  examples: [
    'statespace eval --checkpoint runs/smnist-s4d',
    'statespace eval --checkpoint runs/smnist-s4d/checkpoint/state.json --json',
  ],
  async run(flags, output) {
    const dir = resolveCheckpoint(
      requiredFlag('checkpoint', flags.checkpoint, 'the folder a training run wrote'),
    );
    const testSize =
      flags['test-size'] === undefined
        ? undefined
        : integerFlag('test-size', flags['test-size'], 0, { min: 1 });
    const batchSize = integerFlag('batch', flags.batch, 64, { min: 1 });
    const backendName = choiceFlag('backend', flags.backend, BACKEND_NAMES, 'cpu');
    const chosen = await createBackend(backendName, storedDtype(dir));
    try {
      const { model, state } = await loadTrainedModel(dir, { backend: chosen.backend });
      const task = storedTask(state.task, dir);
      const { test } = loadTaskSpec({ name: task.name, testSize });
      output.note(
        `evaluating ${dir} (epoch ${state.epoch}) on ${test.name}: ${test.size} examples, on ${chosen.description}`,
      );
      const started = performance.now();
      const result = await evaluate(model, test, { batchSize });
      const seconds = (performance.now() - started) / 1000;
      output.record('eval', { checkpoint: dir, task: task.name, epoch: state.epoch, ...result, seconds });
      const accuracy = result.accuracy === undefined ? '' : `accuracy ${percent(result.accuracy)}, `;
      output.text(
        `${test.name}: ${accuracy}loss ${result.loss.toFixed(4)} on ${result.count} examples (${seconds.toFixed(1)} s)`,
      );
      return 0;
    } finally {
      await chosen.dispose();
    }
  },
});

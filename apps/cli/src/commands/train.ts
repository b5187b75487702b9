import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { TASK_NAMES } from '@statespace/datasets';
import { type EpochMetrics, fit, modelForTask, POOLINGS } from '@statespace/train';
import { BACKEND_NAMES, createBackend, DTYPE_OF, PRECISIONS } from '../backend';
import { defineCommand, type FlagValues } from '../cli/command';
import { EXIT, UsageError } from '../cli/errors';
import { choiceFlag, integerFlag, numberFlag } from '../cli/flag-values';
import { abortOnCtrlC } from '../cli/interrupt';
import { defaultSettings, MAIN_JOB, type TrainSettings } from '../main-job';
import { learningCurveFigure } from '../plot/learning-curve';
import { writeFigure } from '../plot/write-figure';
import { percent } from '../progress/format';
import { TrainingProgress } from '../progress/training-progress';
import { CHECKPOINT_FOLDER, loadTaskSpec, type TaskSpec } from '../run-files';
import { streamExamples } from '../stream-report';

const d = MAIN_JOB;

export const trainCommand = defineCommand({
  name: 'train',
  summary: 'train an S4 or S4D model on a task (with no flags: the sMNIST main job)',
  description: [
    'Trains a model on a task with AdamW and a cosine schedule, evaluating on the test split after every',
    'epoch, with progress bars (epoch and step, loss, accuracy, samples/s, ETA) on stderr. Writes into OUT:',
    `  ${CHECKPOINT_FOLDER}/          the checkpoint (model.safetensors, optimizer.safetensors, state.json), every epoch`,
    '  learning-curve.svg/.png  train and test loss and accuracy per epoch',
    "  metrics.json             the settings, every epoch's metrics and the final result",
    'then prints the test accuracy and, for smnist and psmnist, streams a few test digits through the',
    'recurrent step. Ctrl-C stops after the current step and saves the checkpoint (exit code 130): run the',
    'same command with --resume to continue. A second Ctrl-C quits at once.',
    '',
    'With no flags this is the main job: sMNIST, a small S4D model, about five minutes on a 2-core CPU.',
    '--quick shrinks it to seconds. Flags given override both.',
  ].join('\n'),
  flags: {
    task: { type: 'string', value: TASK_NAMES.join('|'), description: 'the task', default: d.task },
    model: {
      type: 'string',
      value: 's4|s4d',
      description: 'S4 (DPLR, HiPPO-LegS) or S4D (diagonal) layers',
      default: d.model,
    },
    layers: { type: 'string', value: 'N', description: 'residual blocks', default: String(d.layers) },
    'd-model': { type: 'string', value: 'H', description: 'features per block', default: String(d.dModel) },
    'd-state': {
      type: 'string',
      value: 'N',
      description: 'state size of every SSM',
      default: String(d.dState),
    },
    epochs: { type: 'string', value: 'N', description: 'epochs', default: String(d.epochs) },
    lr: {
      type: 'string',
      value: 'X',
      description: 'learning rate (SSM parameters keep 0.001)',
      default: String(d.lr),
    },
    'weight-decay': {
      type: 'string',
      value: 'X',
      description: 'AdamW weight decay',
      default: String(d.weightDecay),
    },
    batch: { type: 'string', value: 'N', description: 'batch size', default: String(d.batch) },
    'train-size': {
      type: 'string',
      value: 'N',
      description: 'use the first N training examples',
      default: 'smnist: 4000, others: all',
    },
    'test-size': {
      type: 'string',
      value: 'N',
      description: 'evaluate on the first N test examples',
      default: 'all',
    },
    backend: {
      type: 'string',
      value: BACKEND_NAMES.join('|'),
      description: 'where SSM kernels and convolutions run',
      default: 'cpu',
    },
    precision: {
      type: 'string',
      value: 'f32|f64',
      description: 'float32 (fast) or float64 (reference)',
      default: d.precision,
    },
    workers: {
      type: 'string',
      value: 'N',
      description: 'data-parallel CPU worker threads',
      default: 'cores with cpu, 1 with a GPU backend',
    },
    seed: {
      type: 'string',
      value: 'N',
      description: 'seed of the initialisation and batch order',
      default: String(d.seed),
    },
    out: { type: 'string', value: 'DIR', description: 'output folder', default: 'runs/<task>-<model>' },
    resume: { type: 'boolean', description: 'continue from the checkpoint in OUT' },
    bidirectional: {
      type: 'boolean',
      description: 'bidirectional layers, as in the official LRA recipes (no step mode: no streaming)',
    },
    pool: {
      type: 'string',
      value: POOLINGS.join('|'),
      description: 'where class tasks read the sequence (first suits --bidirectional)',
      default: 'mean',
    },
    bucket: {
      type: 'boolean',
      description: 'batch examples of similar length together (less padding: faster on listops and spam)',
    },
    quick: {
      type: 'boolean',
      description: 'the main job in seconds: 1 epoch, 256 digits, a tiny model (tests, CI)',
    },
    'no-stream': { type: 'boolean', description: 'do not stream test digits after training' },
  },
  examples: [
    'statespace train',
    'statespace train --quick --out /tmp/quick',
    'statespace train --task psmnist --model s4 --layers 4 --d-model 64 --epochs 10',
    'statespace train --backend webgpu --precision f32 --batch 64',
    'statespace train --out runs/smnist-s4d --resume',
    'statespace train --task listops --bucket --bidirectional --pool first --layers 2 --d-model 32',
  ],
  async run(flags, output) {
    const settings = readSettings(flags);
    const backendName = choiceFlag('backend', flags.backend, BACKEND_NAMES, 'cpu');
    const gpu = backendName !== 'cpu';
    const workers = integerFlag('workers', flags.workers, gpu ? 1 : availableParallelism(), {
      min: 1,
      max: 256,
    });
    if (gpu && workers > 1) {
      throw new UsageError(`--workers ${workers} splits batches over CPU threads: it needs --backend cpu`);
    }
    const out = flags.out ?? join('runs', `${settings.task}-${settings.model}`);
    const checkpointDir = join(out, CHECKPOINT_FOLDER);
    const hasCheckpoint = existsSync(join(checkpointDir, 'state.json'));
    const resume = flags.resume === true;
    if (resume && !hasCheckpoint) {
      throw new UsageError(`--resume: there is no checkpoint in ${checkpointDir} to continue from`);
    }

    const spec: TaskSpec = {
      name: settings.task,
      trainSize: settings.trainSize,
      testSize: settings.testSize,
    };
    const { train, test } = loadTaskSpec(spec);
    const dtype = DTYPE_OF[settings.precision];
    const chosen = await createBackend(backendName, dtype);
    try {
      const { model, modelOptions } = modelForTask(train, {
        model: settings.model,
        layers: settings.layers,
        dModel: settings.dModel,
        dState: settings.dState,
        dtype,
        backend: chosen.backend,
        seed: settings.seed,
        bidirectional: settings.bidirectional,
        pool: settings.pool,
      });
      const parameters = [...model.parameters().values()].reduce((n, p) => n + p.data.length, 0);
      const where = `${chosen.description}${workers > 1 ? `, ${workers} data-parallel workers` : ''}`;
      output.record('start', { settings, parameters, backend: where, workers, out, resumed: resume });
      output.note(
        `${resume ? 'resuming' : 'training'} ${settings.model.toUpperCase()} on ${settings.task}: ${settings.layers} layers,` +
          ` H = ${settings.dModel}, N = ${settings.dState} (${parameters.toLocaleString('en-US')} parameters),` +
          ` ${train.size} training and ${test.size} test examples, ${plural(settings.epochs, 'epoch')} of batch` +
          ` ${settings.batch}, lr ${settings.lr}, ${settings.precision}, on ${where}`,
      );
      if (hasCheckpoint && !resume) {
        output.note(
          `starting over: the checkpoint in ${checkpointDir} will be replaced (--resume continues it)`,
        );
      }

      const progress = new TrainingProgress(output.progress);
      const interrupt = abortOnCtrlC(() =>
        progress.note('stopping after this step to save the checkpoint (Ctrl-C again to quit at once)…'),
      );
      const started = performance.now();
      const result = await fit({
        model,
        modelOptions,
        train,
        test,
        epochs: settings.epochs,
        batchSize: settings.batch,
        lr: settings.lr,
        weightDecay: settings.weightDecay,
        seed: settings.seed,
        lengthBuckets: settings.lengthBuckets,
        workers,
        checkpointDir,
        resume,
        task: spec,
        signal: interrupt.signal,
        onProgress: (p) => (output.json ? output.record('progress', p) : progress.update(p)),
        onEpoch: (m) => (output.json ? output.record('epoch', m) : progress.epochDone(m, settings.epochs)),
      }).finally(() => {
        interrupt.release();
        progress.close();
      });
      const seconds = (performance.now() - started) / 1000;
      const files = await writeResults(out, settings, result.history, {
        seconds,
        stopped: result.stopped,
        backend: where,
      });
      if (result.stopped === 'aborted') {
        output.record('result', { stopped: 'aborted', seconds, checkpoint: checkpointDir, files });
        output.text(
          `interrupted: checkpoint saved in ${checkpointDir}; continue with the same command and --resume`,
        );
        return EXIT.interrupted;
      }
      const last = result.history[result.history.length - 1];
      output.record('result', {
        stopped: 'done',
        seconds,
        testLoss: last.testLoss,
        testAccuracy: last.testAccuracy,
        checkpoint: checkpointDir,
        files,
      });
      const accuracy = last.testAccuracy === undefined ? '' : `test accuracy ${percent(last.testAccuracy)}, `;
      const took = seconds < 60 ? `${seconds.toFixed(1)} s` : `${(seconds / 60).toFixed(1)} min`;
      output.text(
        `${accuracy}test loss ${last.testLoss.toFixed(4)} after ${plural(settings.epochs, 'epoch')} (${took})`,
      );
      output.text(`wrote ${[checkpointDir, ...files].join(', ')}`);

      if (settings.streamCount > 0 && (settings.task === 'smnist' || settings.task === 'psmnist')) {
        const indices = Array.from({ length: Math.min(settings.streamCount, test.size) }, (_, i) => i);
        await streamExamples(model, test, indices, { dtype, every: 49, task: settings.task }, output);
      }
      return EXIT.ok;
    } finally {
      await chosen.dispose();
    }
  },
});

/** The run's settings: the defaults of the task (and `--quick`), overridden by the flags given. */
function readSettings(flags: FlagValues<typeof trainCommand.flags>): TrainSettings {
  const task = choiceFlag('task', flags.task, TASK_NAMES, MAIN_JOB.task);
  const base = defaultSettings(task, flags.quick === true);
  const size = (name: 'train-size' | 'test-size', fallback: number | undefined) =>
    flags[name] === undefined ? fallback : integerFlag(name, flags[name], 0, { min: 1 });
  const settings: TrainSettings = {
    task,
    model: choiceFlag('model', flags.model, ['s4', 's4d'] as const, base.model),
    layers: integerFlag('layers', flags.layers, base.layers, { min: 1, max: 64 }),
    dModel: integerFlag('d-model', flags['d-model'], base.dModel, { min: 1, max: 4096 }),
    dState: integerFlag('d-state', flags['d-state'], base.dState, { min: 2, max: 1024 }),
    epochs: integerFlag('epochs', flags.epochs, base.epochs, { min: 1 }),
    lr: numberFlag('lr', flags.lr, base.lr, { above: 0 }),
    weightDecay: numberFlag('weight-decay', flags['weight-decay'], base.weightDecay, { min: 0 }),
    batch: integerFlag('batch', flags.batch, base.batch, { min: 1 }),
    precision: choiceFlag('precision', flags.precision, PRECISIONS, base.precision),
    seed: integerFlag('seed', flags.seed, base.seed),
    trainSize: size('train-size', base.trainSize),
    testSize: size('test-size', base.testSize),
    // A bidirectional model has no recurrent step to stream digits through.
    streamCount: flags['no-stream'] || flags.bidirectional ? 0 : base.streamCount,
    ...(flags.bucket ? { lengthBuckets: true } : {}),
    ...(flags.bidirectional ? { bidirectional: true } : {}),
    ...(flags.pool === undefined ? {} : { pool: choiceFlag('pool', flags.pool, POOLINGS, 'mean') }),
  };
  if (settings.model === 's4' && settings.dState % 2 !== 0) {
    throw new UsageError(`--d-state must be even for S4 (N/2 conjugate pairs); got ${settings.dState}`);
  }
  return settings;
}

/** "1 epoch", "2 epochs". */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Writes the learning curve (SVG, PNG) and metrics.json into `out`; returns their paths. */
async function writeResults(
  out: string,
  settings: TrainSettings,
  history: readonly EpochMetrics[],
  run: { seconds: number; stopped: string; backend: string },
): Promise<string[]> {
  await mkdir(out, { recursive: true });
  const metrics = join(out, 'metrics.json');
  await writeFile(metrics, `${JSON.stringify({ settings, ...run, history }, null, 2)}\n`);
  if (history.length === 0) return [metrics];
  const title = `${settings.task} - ${settings.model}, ${settings.layers} layers, H=${settings.dModel}, N=${settings.dState}`;
  return [...(await writeFigure(learningCurveFigure(title, history), join(out, 'learning-curve'))), metrics];
}

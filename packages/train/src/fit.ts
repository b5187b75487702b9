import { assertOneOf } from '@statespace/complex';
import type { SequenceModel, SequenceModelOptions } from '@statespace/layers';
import { batchGradients, batchLoss } from './batch-gradients';
import { batchCountOf, bucketedOrder, collate, epochOrder } from './batches';
import { integerAtLeast, nonNegative } from './checks';
import { clipGradNorm } from './clip-grad-norm';
import { DataParallel } from './data-parallel';
import type { TrainingDataset } from './dataset';
import { evaluateBatches } from './evaluate';
import { assertFiniteParameters, assertFiniteStep } from './non-finite';
import {
  createOptimizer,
  OPTIMIZERS,
  type Optimizer,
  type OptimizerKind,
  type OptimizerOptions,
} from './optimizer';
import type { EpochMetrics, TrainProgress } from './progress';
import { ReduceOnPlateau, type ReduceOnPlateauOptions } from './reduce-on-plateau';
import { constantWithWarmup, cosineWithWarmup } from './schedules';
import { addBatch, emptyTotals, meanMetrics, type Totals } from './totals';
import {
  type RunSettings,
  readCheckpoint,
  saveCheckpointDir,
  type TrainingState,
} from './training-checkpoint';

/** The learning-rate schedules of {@link fit}. */
export const SCHEDULES = ['cosine', 'plateau', 'constant'] as const;

/** Options of {@link fit}. */
export interface FitOptions {
  /** The model to train (updated in place). */
  model: SequenceModel;
  train: TrainingDataset;
  /** Evaluated after every epoch. */
  test: TrainingDataset;
  epochs: number;
  batchSize: number;
  /** Global learning rate (SSM parameters keep their own, see `parameterGroups`). */
  lr: number;
  /** Global weight decay (default: the optimizer's, 0.01 for AdamW and 0 for SGD). */
  weightDecay?: number;
  /** Default `adamw`. */
  optimizer?: OptimizerKind;
  /** Further optimizer settings: AdamW `betas`, `eps`; SGD `momentum`, `dampening`, `nesterov`. */
  optimizerOptions?: Omit<OptimizerOptions, 'lr' | 'weightDecay'>;
  /**
   * `cosine` (default): HF cosine with linear warmup over all epochs' steps; `constant`: linear
   * warmup then constant; `plateau`: linear warmup, then reduce on plateau of the test accuracy
   * (classification) or test loss after each epoch.
   */
  schedule?: RunSettings['schedule'];
  /** Steps of linear warmup (default 0). */
  warmupSteps?: number;
  /** Cosine: the multiplier the lr decays to (default 0). */
  minLrFactor?: number;
  /** Plateau: torch ReduceLROnPlateau options (default factor 0.2, patience 10; mode from the metric). */
  plateau?: ReduceOnPlateauOptions;
  /** Clip the global gradient norm at this value (torch clip_grad_norm_; default none). */
  clip?: number;
  /**
   * Visit variable-length data in batches of examples of similar length (default false): each
   * window of 50 batches of the shuffled order is sorted by length before the batches are
   * shuffled, so that batches carry little padding (every variable-length batch is padded only to
   * its longest example) — about 1.6× less work on ListOps. Ignored for fixed-length data.
   */
  lengthBuckets?: boolean;
  /** Seed of the batch order (default 0): the same seed and model give a bit-identical run. */
  seed?: number;
  /** Data-parallel worker threads (default 1: in-process). Needs `modelOptions`. */
  workers?: number;
  /** Write a checkpoint after every epoch (and on abort) here, and resume from it when present. Needs `modelOptions`. */
  checkpointDir?: string;
  /** Resume from `checkpointDir` when it holds a checkpoint (default true); false starts over. */
  resume?: boolean;
  /** Anything to store in state.json with the run (the CLI: task name and options). */
  task?: unknown;
  /** Called after every training step and evaluation batch. */
  onProgress?: (progress: TrainProgress) => void;
  /** Called after every epoch (after its checkpoint is written). */
  onEpoch?: (metrics: EpochMetrics) => void;
  /** Stop after the current step (or evaluation batch), save a checkpoint, and return `aborted`. */
  signal?: AbortSignal;
  /** The options `model` was built with (its backend is ignored): for workers and checkpoints. */
  modelOptions?: SequenceModelOptions;
}

/** What {@link fit} returns. */
export interface FitResult {
  /** Metrics of every completed epoch (those before a resume included). */
  history: EpochMetrics[];
  /** `done` after the last epoch; `aborted` when the signal stopped it. */
  stopped: 'done' | 'aborted';
}

/**
 * Trains `model` on `train` for `epochs` epochs of shuffled batches, evaluating on `test` after
 * each: forward and backward pass (on `workers` threads, or in-process), NaN/Inf guard, optional
 * gradient clipping, one optimizer step with the scheduled lr — AdamW (or SGD) with the official
 * parameter groups.
 *
 * Deterministic: the batch order of epoch e comes from (seed, e), so the same seed and initial
 * model give bit-identical runs, and a resumed run continues exactly where the checkpoint left
 * off (see the README for what a checkpoint holds and the limits with dropout).
 *
 * @throws NonFiniteError when a parameter, the loss or a gradient stops being finite (the last
 *   checkpoint is the previous epoch's); RangeError for bad options or a checkpoint of another run.
 */
export async function fit(options: FitOptions): Promise<FitResult> {
  const run = parseFitOptions(options);
  const { model, train, test, epochs, batchSize, signal } = options;
  const stepsPerEpoch = batchCountOf(train.size, batchSize);
  const classification = train.target.kind !== 'regression';
  const optimizer = createOptimizer(model, run.settings.optimizer, {
    lr: run.settings.lr,
    weightDecay: run.settings.weightDecay,
    ...options.optimizerOptions,
  });
  const schedule =
    run.settings.schedule === 'cosine'
      ? cosineWithWarmup({
          warmupSteps: run.settings.warmupSteps,
          totalSteps: epochs * stepsPerEpoch,
          minFactor: options.minLrFactor,
        })
      : constantWithWarmup({ warmupSteps: run.settings.warmupSteps });
  const plateau =
    run.settings.schedule === 'plateau'
      ? new ReduceOnPlateau({ factor: 0.2, mode: classification ? 'max' : 'min', ...options.plateau })
      : undefined;

  let position: Position = { epoch: 0, step: 0, globalStep: 0, history: [], partial: undefined };
  if (run.checkpointDir && options.resume !== false) {
    const stored = await readCheckpoint(run.checkpointDir);
    if (stored) {
      assertSameRun(stored.state, run.settings, run.seed, run.checkpointDir);
      model.loadStateDict(stored.model);
      optimizer.loadStateDict(stored.optimizer as OptimizerState);
      if (plateau && stored.state.plateau) plateau.loadStateDict(stored.state.plateau);
      const { epoch, step, globalStep, history, partial } = stored.state;
      position = { epoch, step, globalStep, history, partial };
    }
  }
  const history = position.history;
  const save = async (at: Omit<Position, 'history'>): Promise<void> => {
    if (!run.checkpointDir) return;
    await saveCheckpointDir(run.checkpointDir, model, optimizer, {
      format: 1,
      ...at,
      seed: run.seed,
      history,
      modelOptions: run.modelOptions as SequenceModelOptions,
      ...(options.task === undefined ? {} : { task: options.task }),
      ...(plateau ? { plateau: plateau.stateDict() } : {}),
      settings: run.settings,
    });
  };
  if (signal?.aborted || position.epoch >= epochs) {
    return { history, stopped: position.epoch >= epochs ? 'done' : 'aborted' };
  }

  const parallel =
    run.settings.workers > 1
      ? await DataParallel.start(run.settings.workers, run.modelOptions as SequenceModelOptions)
      : undefined;
  try {
    // Lazily initialised state (S4 attunes C̃ at its first forward) must exist before replicas copy it.
    if (parallel) await withMode(model, false, () => batchLoss(model, collate(train, [0]), train.target));
    let globalStep = position.globalStep;
    for (let epoch = position.epoch; epoch < epochs; epoch++) {
      const resumed = epoch === position.epoch ? position : undefined;
      const totals: Totals = resumed?.partial?.totals ?? emptyTotals();
      const secondsBefore = resumed?.partial?.seconds ?? 0;
      const started = performance.now();
      const trainSeconds = () => secondsBefore + (performance.now() - started) / 1000;
      const shuffled = epochOrder(train.size, run.seed, epoch);
      const order = run.settings.lengthBuckets
        ? bucketedOrder(train, shuffled, batchSize, run.seed, epoch)
        : shuffled;
      model.train();
      for (let step = resumed?.step ?? 0; step < stepsPerEpoch; step++) {
        const batch = collate(train, order.subarray(step * batchSize, (step + 1) * batchSize));
        assertFiniteParameters(model, epoch + 1, step + 1);
        // Masks (dropout, drop path) depend on the step only, so that a resumed run draws the same.
        const out = parallel
          ? await parallel.batchGradients(model, batch, train.target, globalStep)
          : await batchGradients(model.reseedMasks(globalStep), batch, train.target);
        assertFiniteStep(out.loss, out.grads, epoch + 1, step + 1);
        if (run.clip !== undefined) clipGradNorm(out.grads, run.clip);
        const scale = schedule.factor(globalStep) * (plateau?.multiplier ?? 1);
        optimizer.step(out.grads, scale);
        globalStep++;
        addBatch(totals, out, batch.size);
        options.onProgress?.({
          phase: 'train',
          epoch: epoch + 1,
          epochs,
          step: step + 1,
          stepsPerEpoch,
          ...meanMetrics(totals, classification),
          samplesPerSecond: totals.examples / trainSeconds(),
          lr: run.settings.lr * scale,
        });
        if (signal?.aborted) {
          await save({ epoch, step: step + 1, globalStep, partial: { totals, seconds: trainSeconds() } });
          return { history, stopped: 'aborted' };
        }
      }
      const secondsTraining = trainSeconds();
      const evaluationStarted = performance.now();
      const scale = schedule.factor(globalStep) * (plateau?.multiplier ?? 1);
      const evaluation = await evaluateBatches(
        model,
        test,
        batchSize,
        (done, batches, evalTotals) =>
          options.onProgress?.({
            phase: 'eval',
            epoch: epoch + 1,
            epochs,
            step: done,
            stepsPerEpoch: batches,
            ...meanMetrics(evalTotals, classification),
            samplesPerSecond: evalTotals.examples / ((performance.now() - evaluationStarted) / 1000),
            lr: run.settings.lr * scale,
          }),
        signal,
      );
      if (evaluation.aborted) {
        await save({ epoch, step: stepsPerEpoch, globalStep, partial: { totals, seconds: secondsTraining } });
        return { history, stopped: 'aborted' };
      }
      const trainMetrics = meanMetrics(totals, classification);
      const testMetrics = meanMetrics(evaluation.totals, classification);
      const metrics: EpochMetrics = {
        epoch: epoch + 1,
        trainLoss: trainMetrics.loss,
        ...(classification ? { trainAccuracy: trainMetrics.accuracy } : {}),
        testLoss: testMetrics.loss,
        ...(classification ? { testAccuracy: testMetrics.accuracy } : {}),
        seconds: secondsTraining + (performance.now() - evaluationStarted) / 1000,
        samplesPerSecond: totals.examples / secondsTraining,
      };
      history.push(metrics);
      plateau?.observe(classification ? (testMetrics.accuracy as number) : testMetrics.loss);
      await save({ epoch: epoch + 1, step: 0, globalStep, partial: undefined });
      options.onEpoch?.(metrics);
      if (signal?.aborted && epoch + 1 < epochs) return { history, stopped: 'aborted' };
    }
  } finally {
    await parallel?.close();
    model.eval();
  }
  return { history, stopped: 'done' };
}

/** What an optimizer loads (loadStateDict rejects integer tensors a foreign file might hold). */
type OptimizerState = Parameters<Optimizer['loadStateDict']>[0];

/** Where a run stands (see {@link TrainingState}). */
interface Position {
  epoch: number;
  step: number;
  globalStep: number;
  history: EpochMetrics[];
  partial: TrainingState['partial'];
}

/** The validated options that fix a run's trajectory. */
function parseFitOptions(options: FitOptions) {
  const { train, test, modelOptions } = options;
  if (train?.target === undefined || test?.target === undefined) {
    throw new TypeError('train and test must be datasets (size, length, input, target, example(i))');
  }
  if (JSON.stringify(train.target) !== JSON.stringify(test.target)) {
    throw new RangeError(
      `train and test must have the same target; got ${JSON.stringify(train.target)} and ${JSON.stringify(test.target)}`,
    );
  }
  integerAtLeast('test.size', test.size, 1);
  const optimizer = options.optimizer ?? 'adamw';
  assertOneOf('optimizer', optimizer, OPTIMIZERS);
  const schedule = options.schedule ?? 'cosine';
  assertOneOf('schedule', schedule, SCHEDULES);
  const workers = integerAtLeast('workers', options.workers ?? 1, 1);
  const checkpointDir = options.checkpointDir;
  if ((workers > 1 || checkpointDir !== undefined) && modelOptions === undefined) {
    throw new RangeError(
      `${workers > 1 ? 'workers > 1' : 'checkpointDir'} needs modelOptions: the SequenceModel options the model was built with (modelForTask returns them)`,
    );
  }
  const settings: RunSettings = {
    batchSize: integerAtLeast('batchSize', options.batchSize, 1),
    trainSize: integerAtLeast('train.size', train.size, 1),
    epochs: integerAtLeast('epochs', options.epochs, 1),
    optimizer,
    lr: nonNegative('lr', options.lr),
    weightDecay: nonNegative('weightDecay', options.weightDecay ?? (optimizer === 'adamw' ? 0.01 : 0)),
    schedule,
    warmupSteps: integerAtLeast('warmupSteps', options.warmupSteps ?? 0, 0),
    clip: options.clip === undefined ? null : nonNegative('clip', options.clip),
    workers,
    lengthBuckets: options.lengthBuckets === true && train.variableLength === true,
  };
  const { backend: _backend, ...plainModelOptions } = modelOptions ?? ({} as SequenceModelOptions);
  return {
    settings,
    seed: integerAtLeast('seed', options.seed ?? 0, -(2 ** 31)),
    clip: options.clip,
    checkpointDir,
    modelOptions: modelOptions && plainModelOptions,
  };
}

/** Throws when a checkpoint was written by a run whose batches differ from this one's. */
function assertSameRun(state: TrainingState, settings: RunSettings, seed: number, dir: string): void {
  const differences = (['batchSize', 'trainSize', 'optimizer', 'lengthBuckets'] as const)
    .filter((key) => (state.settings[key] ?? false) !== (settings[key] ?? false))
    .map((key) => `${key} ${state.settings[key]} (checkpoint) vs ${settings[key]}`);
  if (state.seed !== seed) differences.push(`seed ${state.seed} (checkpoint) vs ${seed}`);
  if (differences.length > 0) {
    throw new RangeError(
      `the checkpoint in ${dir} is of another run (${differences.join('; ')}): pass the same options, or resume: false to start over`,
    );
  }
}

async function withMode<T>(model: SequenceModel, training: boolean, f: () => Promise<T>): Promise<T> {
  const was = model.training;
  model.train(training);
  try {
    return await f();
  } finally {
    model.train(was);
  }
}

import type { ProgressStream } from '../cli/output';
import { bar, duration, percent, rate } from './format';

/** One training or evaluation step (the fields of `TrainProgress` of @statespace/train it shows). */
export interface StepInfo {
  readonly phase: 'train' | 'eval';
  /** 1-based epoch number. */
  readonly epoch: number;
  readonly epochs: number;
  /** Steps done in this phase of the epoch (1 … stepsPerEpoch). */
  readonly step: number;
  readonly stepsPerEpoch: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly samplesPerSecond: number;
}

/** One finished epoch (the fields of `EpochMetrics` of @statespace/train it shows). */
export interface EpochInfo {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly trainAccuracy?: number;
  readonly testLoss: number;
  readonly testAccuracy?: number;
  readonly seconds: number;
  readonly samplesPerSecond: number;
}

/** Seconds between redraws on a terminal. */
const REDRAW_SECONDS = 0.1;

/**
 * Epoch and step progress bars on stderr. On a terminal one status line (epoch bar, step bar,
 * loss, accuracy, samples/s, ETA) is redrawn in place with `\r`; in a log (not a TTY) a line is
 * written every tenth of an epoch. Finished epochs always get a permanent line.
 */
export class TrainingProgress {
  readonly #stream: ProgressStream;
  readonly #tty: boolean;
  readonly #now: () => number;
  #shown = false;
  #lastDraw = Number.NEGATIVE_INFINITY;
  #lastLogged = '';
  /** Wall time and global step of the first train step seen, for the step rate. */
  #origin: { time: number; step: number } | undefined;
  /** Seconds of the last whole epoch (training + evaluation), once one is done. */
  #epochSeconds: number | undefined;

  constructor(stream: ProgressStream, options: { now?: () => number } = {}) {
    this.#stream = stream;
    this.#tty = stream.isTTY === true;
    this.#now = options.now ?? (() => performance.now() / 1000);
  }

  update(p: StepInfo): void {
    const now = this.#now();
    const globalStep = (p.epoch - 1) * p.stepsPerEpoch + p.step;
    if (p.phase === 'train') this.#origin ??= { time: now, step: globalStep };
    const last = p.step === p.stepsPerEpoch;
    if (this.#tty) {
      if (!last && now - this.#lastDraw < REDRAW_SECONDS) return;
      this.#lastDraw = now;
      this.#draw(this.#statusLine(p, now));
      return;
    }
    const every = Math.max(1, Math.ceil(p.stepsPerEpoch / 10));
    const key = `${p.phase} ${p.epoch}`;
    if (p.phase === 'train' && (p.step % every === 0 || last) && this.#lastLogged !== `${key} ${p.step}`) {
      this.#lastLogged = `${key} ${p.step}`;
      this.#stream.write(`${this.#statusLine(p, now)}\n`);
    }
  }

  /** A permanent line for a finished epoch. */
  epochDone(m: EpochInfo, epochs: number): void {
    this.#epochSeconds = m.seconds;
    const accuracy = (label: string, v: number | undefined) =>
      v === undefined ? '' : ` ${label} ${percent(v)}`;
    this.note(
      `epoch ${m.epoch}/${epochs}: train loss ${m.trainLoss.toFixed(4)}${accuracy('acc', m.trainAccuracy)}` +
        ` · test loss ${m.testLoss.toFixed(4)}${accuracy('acc', m.testAccuracy)}` +
        ` · ${duration(m.seconds)} · ${rate(m.samplesPerSecond)} samples/s`,
    );
  }

  /** A line of text that stays, written above the status line. */
  note(line: string): void {
    this.#clear();
    this.#stream.write(`${line}\n`);
  }

  /** Removes the status line (before the command prints its results). */
  close(): void {
    this.#clear();
  }

  #statusLine(p: StepInfo, now: number): string {
    const accuracy = p.accuracy === undefined ? '' : ` acc ${percent(p.accuracy)}`;
    const what = p.phase === 'train' ? 'step' : 'eval';
    const epochBar = this.#tty ? ` ▕${bar((p.epoch - 1 + p.step / p.stepsPerEpoch) / p.epochs, 10)}▏` : '';
    const stepBar = this.#tty ? ` ▕${bar(p.step / p.stepsPerEpoch, 20)}▏` : '';
    return (
      `epoch ${p.epoch}/${p.epochs}${epochBar} ${what} ${p.step}/${p.stepsPerEpoch}${stepBar}` +
      ` loss ${p.loss.toFixed(4)}${accuracy} ${rate(p.samplesPerSecond)} samples/s ETA ${duration(this.#eta(p, now))}`
    );
  }

  /** Seconds left: from the last epoch's duration once known, else from the step rate so far. */
  #eta(p: StepInfo, now: number): number {
    const epochFraction = p.phase === 'train' ? p.step / p.stepsPerEpoch : 1;
    const epochsLeft = p.epochs - p.epoch + 1 - epochFraction;
    if (this.#epochSeconds !== undefined) return epochsLeft * this.#epochSeconds;
    const origin = this.#origin;
    const globalStep = (p.epoch - 1) * p.stepsPerEpoch + p.step;
    if (!origin || p.phase !== 'train' || globalStep <= origin.step) return Number.NaN;
    const secondsPerStep = (now - origin.time) / (globalStep - origin.step);
    return epochsLeft * p.stepsPerEpoch * secondsPerStep;
  }

  #draw(line: string): void {
    const width = Math.max(20, (this.#stream.columns ?? 100) - 1);
    const chars = [...line];
    this.#stream.write(`\r${chars.length > width ? chars.slice(0, width).join('') : line}\x1b[K`);
    this.#shown = true;
  }

  #clear(): void {
    if (!this.#shown) return;
    this.#stream.write('\r\x1b[K');
    this.#shown = false;
  }
}

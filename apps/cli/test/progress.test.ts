import { describe, expect, it } from 'vitest';
import { bar, duration, table } from '../src/progress/format';
import { TrainingProgress } from '../src/progress/training-progress';

const step = (s: number, phase: 'train' | 'eval' = 'train') => ({
  phase,
  epoch: 1,
  epochs: 2,
  step: s,
  stepsPerEpoch: 20,
  loss: 2.5 - s / 100,
  accuracy: s / 40,
  samplesPerSecond: 32,
});

function capture(isTTY: boolean) {
  const writes: string[] = [];
  let now = 0;
  const progress = new TrainingProgress(
    { isTTY, columns: 200, write: (t: string) => writes.push(t) },
    { now: () => now },
  );
  return { writes, progress, tick: (seconds: number) => (now += seconds) };
}

describe('training progress', () => {
  it('redraws one status line in place on a terminal, with both bars, metrics and an ETA', () => {
    const { writes, progress, tick } = capture(true);
    for (let s = 1; s <= 10; s++) {
      tick(1);
      progress.update(step(s));
    }
    expect(writes).toHaveLength(10);
    const last = writes[writes.length - 1];
    expect(last.startsWith('\r')).toBe(true);
    expect(last.endsWith('\x1b[K')).toBe(true);
    expect(last).toContain(
      'epoch 1/2 ▕██▌       ▏ step 10/20 ▕██████████          ▏ loss 2.4000 acc 25.0% 32.0 samples/s',
    );
    // 9 s for 9 steps after the first: 30 steps left at 1 s each.
    expect(last).toContain('ETA 0:30');
    progress.epochDone(
      {
        epoch: 1,
        trainLoss: 2.3,
        trainAccuracy: 0.3,
        testLoss: 2.2,
        testAccuracy: 0.35,
        seconds: 61,
        samplesPerSecond: 32,
      },
      2,
    );
    expect(writes.slice(-2)).toEqual([
      '\r\x1b[K',
      'epoch 1/2: train loss 2.3000 acc 30.0% · test loss 2.2000 acc 35.0% · 1:01 · 32.0 samples/s\n',
    ]);
  });

  it('limits terminal redraws to ten a second', () => {
    const { writes, progress, tick } = capture(true);
    progress.update(step(1));
    tick(0.01);
    progress.update(step(2));
    tick(0.2);
    progress.update(step(3));
    expect(writes).toHaveLength(2);
  });

  it('writes a line per tenth of an epoch to a log, and none for evaluation batches', () => {
    const { writes, progress, tick } = capture(false);
    for (let s = 1; s <= 20; s++) {
      tick(1);
      progress.update(step(s));
      progress.update(step(s, 'eval'));
    }
    expect(writes).toHaveLength(10);
    expect(writes[0]).toMatch(/^epoch 1\/2 step 2\/20 loss 2\.4800 acc 5\.0% 32\.0 samples\/s ETA .*\n$/);
    expect(writes.every((w) => !w.includes('\r'))).toBe(true);
  });
});

describe('text formats', () => {
  it('draws bars in eighths, durations and aligned tables', () => {
    expect(bar(0.5, 4)).toBe('██  ');
    expect(bar(1 / 16, 2)).toBe('▏ ');
    expect(bar(2, 3)).toBe('███');
    expect(duration(3725)).toBe('1:02:05');
    expect(duration(Number.NaN)).toBe('--:--');
    expect(
      table([
        ['name', 'value'],
        ['a', '1.5'],
        ['bb', '10'],
      ]),
    ).toBe('name  value\na       1.5\nbb       10');
  });
});

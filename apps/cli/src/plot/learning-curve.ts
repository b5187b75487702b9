import type { Figure, Panel } from './figure';

/** The per-epoch figures a learning curve shows (a subset of `EpochMetrics` of @statespace/train). */
export interface EpochPoint {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly testLoss: number;
  readonly trainAccuracy?: number;
  readonly testAccuracy?: number;
}

/** Train and test loss per epoch, and accuracy (in %) when the task has one. */
export function learningCurveFigure(title: string, history: readonly EpochPoint[]): Figure {
  const epochs = history.map((m) => m.epoch);
  const panels: Panel[] = [
    {
      title: 'loss',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        { kind: 'line', label: 'train', x: epochs, y: history.map((m) => m.trainLoss) },
        { kind: 'line', label: 'test', x: epochs, y: history.map((m) => m.testLoss) },
      ],
    },
  ];
  if (history.some((m) => m.testAccuracy !== undefined)) {
    const percent = (v: number | undefined) => (v === undefined ? Number.NaN : 100 * v);
    panels.push({
      title: 'accuracy',
      xLabel: 'epoch',
      yLabel: 'accuracy (%)',
      series: [
        { kind: 'line', label: 'train', x: epochs, y: history.map((m) => percent(m.trainAccuracy)) },
        { kind: 'line', label: 'test', x: epochs, y: history.map((m) => percent(m.testAccuracy)) },
      ],
    });
  }
  return { title, panels, columns: 2 };
}

import type { DType } from '@statespace/complex';
import { psmnistPermutation, type SequenceDataset } from '@statespace/datasets';
import type { SequenceModel } from '@statespace/layers';
import type { Output } from './cli/output';
import { DIGIT_SIDE, digitLines, unpermute } from './digit-image';
import { bar, percent } from './progress/format';
import { type Reading, streamExample } from './stream-example';

/** Options of {@link streamExamples}. */
export interface StreamReportOptions {
  /** The model's precision. */
  readonly dtype: DType;
  /** Steps between readings. */
  readonly every: number;
  /** The task the dataset is from: sMNIST and psMNIST examples are drawn as digits. */
  readonly task: string;
}

/**
 * Streams examples of `dataset` through the model's recurrence one step at a time and reports, for
 * each: the digit (sMNIST, psMNIST) beside the prediction as it evolves, the final prediction
 * against the label and the convolution mode's, and the per-step latency by quarter of the
 * sequence, which stays flat: the recurrent step costs the same at step 1 and at step L.
 * Under `--json` each example is one `stream` record with the whole series.
 * @returns the number of examples whose final prediction was right (classification).
 */
export async function streamExamples(
  model: SequenceModel,
  dataset: SequenceDataset,
  indices: readonly number[],
  options: StreamReportOptions,
  output: Output,
): Promise<number> {
  let correct = 0;
  for (const index of indices) {
    const streamed = await streamExample(model, dataset, index, options);
    const example = dataset.example(index);
    const label = typeof example.target === 'number' ? example.target : Array.from(example.target);
    const final = streamed.readings[streamed.readings.length - 1];
    if (final.value === label) correct++;
    const quarters = quarterMedians(streamed.stepMicroseconds);
    const median = quarterMedians(streamed.stepMicroseconds, 1)[0];
    if (output.json) {
      output.record('stream', {
        index,
        label,
        readings: streamed.readings,
        convolution: streamed.convolution,
        microsecondsPerStep: { median, quarters },
        stepMicroseconds: Array.from(streamed.stepMicroseconds, (v) => Math.round(v * 10) / 10),
      });
      continue;
    }
    output.text(`${dataset.name} example ${index} (label ${label}), ${example.length} steps, one at a time:`);
    const readingLines = streamed.readings.map((r) => `t=${String(r.t).padStart(4)}  ${describe(r)}`);
    const image = digitImage(example.input, options.task);
    const rows = Math.max(image.length, readingLines.length);
    for (let i = 0; i < rows; i++) {
      const left = image.length ? `${image[i] ?? ' '.repeat(2 * DIGIT_SIDE)}   ` : '  ';
      output.text(`${left}${readingLines[i] ?? ''}`.trimEnd());
    }
    const verdict =
      typeof label === 'number' && dataset.target.kind !== 'regression'
        ? final.value === label
          ? ' ✓'
          : ' ✗'
        : '';
    output.text(
      `  recurrent: ${describe(final)}${verdict} · convolution: ${describe(streamed.convolution.reading)}` +
        ` (max |difference| ${streamed.convolution.maxDifference.toExponential(1)})`,
    );
    output.text(
      `  µs per step: median ${median.toFixed(0)}; by quarter of the sequence ${quarters.map((q) => q.toFixed(0)).join(' / ')}` +
        ' (constant: the state has a fixed size)',
    );
  }
  return correct;
}

/** The digit drawn from a sMNIST/psMNIST input, or no lines for other tasks. */
function digitImage(input: Float32Array | Int32Array, task: string): string[] {
  if ((task !== 'smnist' && task !== 'psmnist') || input.length !== DIGIT_SIDE * DIGIT_SIDE) return [];
  return digitLines(task === 'psmnist' ? unpermute(input, psmnistPermutation()) : input);
}

function describe(r: Reading): string {
  if (r.probability === undefined) return `output ${r.value.toPrecision(4)}`;
  return `${r.value} ${percent(r.probability).padStart(6)} ${bar(r.probability, 10)}`.trimEnd();
}

/** Medians of `parts` equal slices of the values. */
function quarterMedians(values: Float64Array, parts = 4): number[] {
  return Array.from({ length: parts }, (_, p) => {
    const slice = Array.from(
      values.subarray(Math.floor((p * values.length) / parts), Math.floor(((p + 1) * values.length) / parts)),
    );
    slice.sort((a, b) => a - b);
    return slice.length ? slice[slice.length >> 1] : Number.NaN;
  });
}

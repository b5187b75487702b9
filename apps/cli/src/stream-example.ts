import type { DType } from '@statespace/complex';
import type { SequenceDataset, Target } from '@statespace/datasets';
import type { SequenceModel } from '@statespace/layers';

/** The model's reading after t steps: the top class and its probability, or the regression output. */
export interface Reading {
  readonly t: number;
  /** The predicted class (classification), or the first output (regression). */
  readonly value: number;
  /** Softmax probability of the predicted class (classification only). */
  readonly probability?: number;
}

/** What streaming one example step by step gives. */
export interface StreamedExample {
  /** Readings every `every` steps and at the last step. */
  readonly readings: readonly Reading[];
  /** Microseconds each recurrent step took, in order. */
  readonly stepMicroseconds: Float64Array;
  /** The whole sequence through the convolution forward: its reading and the largest output difference. */
  readonly convolution: { readonly reading: Reading; readonly maxDifference: number };
}

/**
 * Feeds example `index` of `dataset` to the model one step at a time (`setupStep('linear')`,
 * `defaultState`, `step`), reading the prediction of the prefix every `every` steps and timing
 * each step, then checks the last reading against the convolution mode (`forward` on the whole
 * sequence), which must agree up to rounding.
 *
 * The decoder's step is its linear map only; the prefix's output is rebuilt here from the step
 * outputs as the decoder's restriction does it: their running mean (`pool`), running sum (`sum`)
 * or the latest one (`last`).
 */
export async function streamExample(
  model: SequenceModel,
  dataset: SequenceDataset,
  index: number,
  options: { dtype: DType; every: number },
): Promise<StreamedExample> {
  const { dtype, every } = options;
  const example = dataset.example(index);
  const steps = example.length;
  const features = dataset.input.kind === 'real' ? dataset.input.features : 0;
  const mode = model.decoder?.mode ?? 'last';
  const outputs = model.d_output;
  model.eval();
  model.setupStep('linear');
  let state = model.defaultState(1);
  const prefix = new Float64Array(outputs);
  const readings: Reading[] = [];
  const stepMicroseconds = new Float64Array(steps);
  const x =
    features > 0
      ? dtype === 'float32'
        ? new Float32Array(features)
        : new Float64Array(features)
      : new Float64Array(1);
  const shape = features > 0 ? [1, features] : [1];
  for (let t = 0; t < steps; t++) {
    x.set(features > 0 ? example.input.subarray(t * features, (t + 1) * features) : [example.input[t]]);
    const start = performance.now();
    const out = model.step({ data: x, shape }, state);
    stepMicroseconds[t] = (performance.now() - start) * 1000;
    state = out.state;
    for (let i = 0; i < outputs; i++) {
      const y = out.y.data[i];
      if (mode === 'pool' || mode === 'mean') prefix[i] += (y - prefix[i]) / (t + 1);
      else if (mode === 'sum') prefix[i] += y;
      else prefix[i] = y;
    }
    if ((t + 1) % every === 0 || t + 1 === steps) readings.push(read(t + 1, prefix, dataset.target));
  }

  const L = dataset.length;
  const input =
    features > 0
      ? dtype === 'float32'
        ? Float32Array.from(example.input)
        : Float64Array.from(example.input)
      : example.input;
  const whole = await model.forward(
    { data: input, shape: features > 0 ? [1, L, features] : [1, L] },
    dataset.variableLength ? { lengths: [steps] } : {},
  );
  // The last output position (the only one for one label per example).
  const last = whole.y.data.subarray(whole.y.data.length - outputs);
  let maxDifference = 0;
  for (let i = 0; i < outputs; i++) maxDifference = Math.max(maxDifference, Math.abs(last[i] - prefix[i]));
  return {
    readings,
    stepMicroseconds,
    convolution: { reading: read(steps, last, dataset.target), maxDifference },
  };
}

/** Top class and its softmax probability, or the regression output. */
function read(t: number, logits: ArrayLike<number>, target: Target): Reading {
  if (target.kind === 'regression') return { t, value: logits[0] };
  let best = 0;
  for (let i = 1; i < logits.length; i++) if (logits[i] > logits[best]) best = i;
  let total = 0;
  for (let i = 0; i < logits.length; i++) total += Math.exp(logits[i] - logits[best]);
  return { t, value: best, probability: 1 / total };
}

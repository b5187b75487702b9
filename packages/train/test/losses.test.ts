import { expectClose, expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { crossEntropy, meanSquaredError, taskLoss } from '../src/index';

describe('crossEntropy', () => {
  it('is the mean of log Σ exp(z) − z_label over rows, and counts arg-max hits', () => {
    const logits = Float64Array.of(1, 2, 3, 0.5, -1, 0);
    const labels = Int32Array.of(2, 1);
    const out = crossEntropy(logits, labels, 3);
    const row0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3;
    const row1 = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(0)) + 1;
    expect(out.loss).toBeCloseTo((row0 + row1) / 2, 14);
    expect(out.correct).toBe(1);
    expect(out.count).toBe(2);
  });

  it('has the gradient of its loss (central differences)', () => {
    const labels = Int32Array.of(0, 3, 1);
    const logits = Float64Array.from({ length: 12 }, (_, i) => Math.sin(3 * i) * 2);
    const { grad } = crossEntropy(logits, labels, 4);
    expectGradients((x) => [crossEntropy(x.logits, labels, 4).loss], { logits }, [1], { logits: grad });
  });

  it('stays finite for huge logits (log-softmax subtracts the maximum)', () => {
    const out = crossEntropy(Float64Array.of(1000, 0, -1000), Int32Array.of(1), 3);
    expect(out.loss).toBeCloseTo(1000, 10);
    expect([...out.grad].every(Number.isFinite)).toBe(true);
  });

  it('rejects bad labels and lengths, naming them', () => {
    expect(() => crossEntropy(Float64Array.of(0, 1), Int32Array.of(2), 2)).toThrow(
      /labels must be integers in \[0, 2\)/,
    );
    expect(() => crossEntropy(Float64Array.of(0, 1, 2), Int32Array.of(0), 2)).toThrow(/logits must hold/);
    expect(() => crossEntropy(Float64Array.of(0), Int32Array.of(0), 0)).toThrow(/classes/);
  });
});

describe('meanSquaredError', () => {
  it('is the mean of squared differences, with its gradient', () => {
    const outputs = Float64Array.of(1, 2, 3.5);
    const targets = Float32Array.of(0, 2, 1.5);
    const out = meanSquaredError(outputs, targets);
    expect(out.loss).toBeCloseTo((1 + 0 + 4) / 3, 14);
    expect(out.count).toBe(3);
    expect(out.correct).toBeUndefined();
    expectGradients((x) => [meanSquaredError(x.outputs, targets).loss], { outputs }, [1], {
      outputs: out.grad,
    });
  });
});

describe('taskLoss', () => {
  it('takes cross-entropy over every position of a sequence-class output', () => {
    const logits = Float64Array.from({ length: 2 * 3 * 2 }, (_, i) => i / 5);
    const labels = Int32Array.of(0, 1, 1, 0, 1, 1);
    const out = taskLoss(
      { kind: 'sequence-class', classes: 2, length: 3 },
      { data: logits, shape: [2, 3, 2] },
      { data: labels, shape: [2, 3] },
    );
    const direct = crossEntropy(logits, labels, 2);
    expect(out.loss).toBe(direct.loss);
    expectClose(out.grad, direct.grad, 0);
  });

  it('names the shape a target needs', () => {
    expect(() =>
      taskLoss(
        { kind: 'class', classes: 3 },
        { data: new Float64Array(4), shape: [2, 2] },
        {
          data: new Int32Array(2),
          shape: [2],
        },
      ),
    ).toThrow(/outputs \[2, 2\] but a class target needs \[2, 3\]/);
  });
});

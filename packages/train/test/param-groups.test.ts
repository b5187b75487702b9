import { describe, expect, it } from 'vitest';
import { createOptimizer, modelForTask, parameterGroups } from '../src/index';
import { signTask } from './tiny-tasks';

describe('parameterGroups of a SequenceModel (official recipe)', () => {
  it('puts S4D kernel tensors in their own group (lr 1e-3, wd 0), biases and norms at wd 0, the rest global', () => {
    const { model } = modelForTask(signTask({ size: 4 }), { model: 's4d', layers: 2, dModel: 4, dState: 4 });
    const groups = parameterGroups(model, 0.01, 0.05);
    expect(groups.map((g) => [g.name, g.lr, g.weightDecay])).toEqual([
      ['default', 0.01, 0.05],
      ['weight_decay=0', 0.01, 0],
      ['lr=0.001 weight_decay=0', 0.001, 0],
    ]);
    const [global, noDecay, ssm] = groups.map((g) => g.params);
    expect(global).toEqual([
      'encoder.weight',
      'layers.0.layer.layer.D',
      'layers.0.layer.layer.kernel.C',
      'layers.0.layer.output_linear.0.weight',
      'layers.1.layer.layer.D',
      'layers.1.layer.layer.kernel.C',
      'layers.1.layer.output_linear.0.weight',
      'decoder.output_transform.weight',
    ]);
    expect(noDecay).toEqual([
      'encoder.bias',
      'layers.0.layer.output_linear.0.bias',
      'layers.0.norm.norm.weight',
      'layers.0.norm.norm.bias',
      'layers.1.layer.output_linear.0.bias',
      'layers.1.norm.norm.weight',
      'layers.1.norm.norm.bias',
      'norm.norm.weight',
      'norm.norm.bias',
      'decoder.output_transform.bias',
    ]);
    expect(ssm).toEqual(
      [0, 1].flatMap((i) =>
        ['inv_dt', 'B', 'A_real', 'A_imag'].map((p) => `layers.${i}.layer.layer.kernel.${p}`),
      ),
    );
    // Every parameter is in exactly one group.
    expect(groups.flatMap((g) => g.params).sort()).toEqual([...model.parameters().keys()].sort());
  });

  it("adds S4's low-rank P to the SSM group, and the optimizer uses these groups", () => {
    const { model } = modelForTask(signTask({ size: 4 }), { model: 's4', layers: 1, dModel: 2, dState: 4 });
    const optimizer = createOptimizer(model, 'adamw', { lr: 0.004, weightDecay: 0.01 });
    const ssm = optimizer.groups.find((g) => g.lr === 0.001);
    expect(ssm?.params).toContain('layers.0.layer.layer.kernel.P');
    expect(ssm?.params).not.toContain('layers.0.layer.layer.kernel.C');
    expect(optimizer.groups[0]).toMatchObject({ name: 'default', lr: 0.004, weightDecay: 0.01 });
  });
});

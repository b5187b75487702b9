import type { RealArray } from '@statespace/complex';
import { type Activation, parseActivation } from './activation';
import { applyActivation } from './activation-vjp';
import type { ModuleOptions } from './context';
import { Linear } from './linear';
import { Module } from './module';
import type { Tape } from './tape';

/** A position-wise layer over the last axis: [rows, d_input] → [rows, d_output]. */
export interface PositionwiseLayer extends Module {
  readonly d_output: number;
  /** Applies the layer to [rows, d_input] values; with a `tape`, records it for gradients. */
  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray;
}

/**
 * A linear map followed by an activation: the official `LinearActivation(…, activate=True)`, an
 * `nn.Sequential(Linear, Activation)` whose tensors are named `0.weight`, `0.bias`. A `glu*`
 * activation doubles the linear map's outputs so that the block still outputs `d_output`.
 */
export class ActivatedLinear extends Module implements PositionwiseLayer {
  readonly d_output: number;
  readonly linear: Linear;
  readonly activation: Activation;

  constructor(
    options: ModuleOptions & { d_input: number; d_output: number; activation: string },
    arg = 'activation',
  ) {
    super();
    const { activation, d_output, ...rest } = options;
    this.activation = parseActivation(arg, activation);
    this.d_output = d_output;
    this.linear = this.registerModule(
      '0',
      new Linear({ ...rest, d_output: this.activation.gated ? 2 * d_output : d_output }),
    );
  }

  forwardRows(x: RealArray, rows: number, tape?: Tape): RealArray {
    const y = this.linear.forwardRows(x, rows, tape);
    return applyActivation(this.activation, y, rows, this.linear.d_output, 1, tape);
  }
}

/**
 * The official `LinearActivation(d_input, d_output, activation, activate=True)`: a plain
 * {@link Linear} (tensors `weight`, `bias`) when `activation` is null, otherwise an
 * {@link ActivatedLinear} (tensors `0.weight`, `0.bias`), so that state-dict keys match.
 */
export function linearActivation(
  options: ModuleOptions & { d_input: number; d_output: number; activation: string | null },
  arg = 'activation',
): PositionwiseLayer {
  const { activation, ...rest } = options;
  if (activation === null) return new Linear(rest);
  return new ActivatedLinear({ ...rest, activation }, arg);
}

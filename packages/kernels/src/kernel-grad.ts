import { assertFinite, assertLength, type Tensor } from '@statespace/complex';

/**
 * Checks ∂ℓ/∂K of an SSM kernel VJP (S4D or S4): a finite [channels, H, L] tensor.
 * @throws RangeError naming `grad` and the expected shape.
 */
export function checkKernelGrad(grad: Tensor, channels: number, H: number, L: number): void {
  const expected = [channels, H, L];
  if (grad?.shape?.length !== 3 || grad.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `grad must have shape [channels, H, L] = [${expected.join(', ')}]; got [${grad?.shape?.join(', ') ?? ''}]`,
    );
  }
  assertLength('grad.data', grad.data, channels * H * L);
  assertFinite('grad', grad.data);
}

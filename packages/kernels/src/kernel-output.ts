import type { Tensor } from '@statespace/complex';

/** What an SSM kernel computation returns. */
export interface SsmKernelOutput {
  /** The convolution kernel, real [channels, H, L]. */
  K: Tensor;
  /**
   * The contribution of initial states to the output when states were given, real
   * [batch, channels, H, L]: K_state[l] = 2·Re(C Ā^{l+1} x₀).
   */
  K_state?: Tensor;
}

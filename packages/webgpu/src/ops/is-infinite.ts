/**
 * WGSL `isInfinite(x)`: whether x is ±∞, from its bit pattern (which no fast-math rewrite can drop),
 * for the S4 Nyquist marker `(0, +Infinity)`. Shared by the Cauchy kernels.
 */
export const INFINITE_WGSL = /* wgsl */ `
fn isInfinite(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7fffffffu) == 0x7f800000u;
}
`;

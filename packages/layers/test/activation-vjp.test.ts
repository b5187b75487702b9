import { createRng } from '@statespace/complex';
import { expectGradients } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { ACTIVATIONS, activationVjp, parseActivation } from '../src/index';

// Every activation's VJP against central differences of its forward, in float64; gated ones
// over a [outer, features, inner] layout with the features in the middle.
describe('activationVjp', () => {
  const outer = 2;
  const features = 4;
  const inner = 3;
  it.each(ACTIVATIONS.map((name) => [name] as const))('%s matches central differences', (name) => {
    const activation = parseActivation('activation', name);
    const rng = createRng(11);
    const size = outer * features * inner;
    const inputs = { x: Float64Array.from({ length: size }, () => 1.5 * rng.normal()) };
    const g = Float64Array.from({ length: activation.gated ? size / 2 : size }, () => rng.normal());
    const f = (a: typeof inputs) => activation.apply(a.x.slice(), outer, features, inner);
    expectGradients(f, inputs, g, { x: activationVjp(activation, inputs.x, g, outer, features, inner) });
  });

  it('rejects gradients of the wrong size', () => {
    const glu = parseActivation('activation', 'glu');
    expect(() => activationVjp(glu, new Float64Array(8), new Float64Array(8), 1, 8, 1)).toThrow(
      /grad must hold 4 values/,
    );
  });

  it('float32 GELU′ (Φ from the forward table) is within 1e-10 of the exact derivative', () => {
    const gelu = parseActivation('activation', 'gelu');
    const xs = Float32Array.from({ length: 4001 }, (_, i) => -10 + i / 200);
    const ones = new Float64Array(xs.length).fill(1);
    const exact = activationVjp(gelu, Float64Array.from(xs), ones, 1, xs.length, 1);
    const fast = activationVjp(gelu, xs, ones, 1, xs.length, 1);
    expect(fast).toBeInstanceOf(Float64Array);
    let worst = 0;
    for (let i = 0; i < xs.length; i++) worst = Math.max(worst, Math.abs(fast[i] - exact[i]));
    expect(worst).toBeLessThan(1e-10);
  });
});

import { describe, expect, it } from 'vitest';
import { TURN_FUNCTIONS, turnsOnHost } from '../src/ops/turns';

// The sin/cos helpers the Vandermonde kernels use instead of the built-in ones (too coarse on
// SwiftShader), checked on the host over all quarters of the turn.

describe('sin and cos of turns', () => {
  it('match Math.sin and Math.cos within 1e-8 over [−½, ½] turn', () => {
    let worst = 0;
    for (let i = 0; i <= 20000; i++) {
      const t = -0.5 + i / 20000;
      worst = Math.max(
        worst,
        Math.abs(turnsOnHost.sinTurns(t) - Math.sin(2 * Math.PI * t)),
        Math.abs(turnsOnHost.cosTurns(t) - Math.cos(2 * Math.PI * t)),
      );
    }
    expect(worst).toBeLessThan(1e-8);
  });

  it('are handed to gpu.js under the names the kernels call, whatever a bundler named them', () => {
    expect(TURN_FUNCTIONS.map((s) => s.slice(0, s.indexOf('(')))).toEqual([
      'function sinPolynomial',
      'function cosPolynomial',
      'function sinTurns',
      'function cosTurns',
    ]);
  });
});

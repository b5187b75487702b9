import { describe, expect, it } from 'vitest';
import { Tape } from '../src/index';

// The tape keeps a pullback's new Float64Array as the gradient and adds into it; these pullbacks
// return arrays it must not keep: their gradOutput, one array for two inputs, a view of one.
describe('Tape', () => {
  it('copies a gradOutput passed through, so the output keeps its own gradient', async () => {
    const x = new Float64Array([1, 2]);
    const tape = new Tape();
    const y = x.map((v) => v); // y = x
    tape.record('identity', [x], y, (g) => [g]);
    const z = y.map((v) => 3 * v); // z = 3y, and x enters z twice: z = 3y + x
    const out = z.map((v, i) => v + x[i]);
    tape.record('3y + x', [y, x], out, (g) => [g.map((v) => 3 * v), g]);
    await tape.backward(out, [1, 10]);
    expect([...(tape.grad(x) ?? [])]).toEqual([4, 40]);
    expect([...(tape.grad(y) ?? [])]).toEqual([3, 30]);
    expect([...(tape.grad(out) ?? [])]).toEqual([1, 10]);
  });

  it('copies one array returned for two inputs, and views of a kept one', async () => {
    const a = new Float64Array([1, 2]);
    const b = new Float64Array([3, 4]);
    const tape = new Tape();
    const u = a.map((v) => 5 * v);
    tape.record('5a', [a], u, (g) => [g.map((v) => 5 * v)]);
    const sum = a.map((v, i) => v + b[i]);
    tape.record('a + b', [a, b], sum, (g) => {
      const shared = g.map((v) => v);
      return [shared, shared];
    });
    const both = new Float64Array([...sum, ...u]); // [a + b; 5a]
    tape.record('concatenate', [sum, u], both, (g) => {
      const copy = g.slice();
      return [copy.subarray(0, 2), copy.subarray(2)];
    });
    await tape.backward(both, [1, 2, 3, 4]);
    // a gets b's array first, then 5·[3, 4] added: b's gradient must not move with it.
    expect([...(tape.grad(a) ?? [])]).toEqual([16, 22]);
    expect([...(tape.grad(b) ?? [])]).toEqual([1, 2]);
    expect([...(tape.grad(sum) ?? [])]).toEqual([1, 2]);
    expect([...(tape.grad(u) ?? [])]).toEqual([3, 4]);
  });
});

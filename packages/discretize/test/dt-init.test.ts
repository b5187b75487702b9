import { expectClose } from '@statespace/testing';
import { describe, expect, it } from 'vitest';
import { dtFromInvDt, initInvDt, initLogDt, invTransform, paramTransform } from '../src/index';

describe('initLogDt (official init_dt)', () => {
  it('draws log Δ uniformly in [log dt_min, log dt_max], shape [H, 1], reproducibly', () => {
    const a = initLogDt(500, { seed: 1 });
    expect(a.shape).toEqual([500, 1]);
    expect(a.data).toBeInstanceOf(Float64Array);
    const lo = Math.log(0.001);
    const hi = Math.log(0.1);
    expect(a.data.every((v) => v >= lo && v <= hi)).toBe(true);
    const mean = a.data.reduce((s, v) => s + v, 0) / a.data.length;
    expect(Math.abs(mean - (lo + hi) / 2)).toBeLessThan(0.15);
    expect(Array.from(initLogDt(500, { seed: 1 }).data)).toEqual(Array.from(a.data));
    expect(Array.from(initLogDt(500, { seed: 2 }).data)).not.toEqual(Array.from(a.data));
  });

  it('dt_tie=false draws one Δ per mode, shape [H, N/2]', () => {
    const t = initLogDt(4, { dt_tie: false, N: 16, seed: 3, dt_min: 0.01, dt_max: 0.02, dtype: 'float32' });
    expect(t.shape).toEqual([4, 8]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.data.every((v) => v >= Math.log(0.01) - 1e-6 && v <= Math.log(0.02) + 1e-6)).toBe(true);
  });

  it('deterministic is the log-linspace over the rows', () => {
    const t = initLogDt(5, { deterministic: true });
    const lo = Math.log(0.001);
    const hi = Math.log(0.1);
    expectClose(
      t.data,
      [0, 1, 2, 3, 4].map((k) => lo + ((hi - lo) * k) / 4),
      1e-15,
      'linspace',
    );
    expect(t.data[0]).toBe(lo);
    expect(t.data[4]).toBeCloseTo(hi, 14);
    expect(Array.from(initLogDt(1, { deterministic: true }).data)).toEqual([lo]);
  });
});

describe('initInvDt and dtFromInvDt', () => {
  it('exp stores log Δ; other transforms store inv_transform(Δ), which reads back as Δ', () => {
    const logDt = initLogDt(6, { seed: 9 });
    expect(Array.from(initInvDt(6, { seed: 9 }).data)).toEqual(Array.from(logDt.data));
    for (const t of ['softplus', 'relu', 'none', 'sigmoid'] as const) {
      const inv = initInvDt(6, { seed: 9, dt_transform: t });
      expect(Array.from(inv.data)).toEqual(Array.from(invTransform(paramTransform(logDt.data, 'exp'), t)));
      const dt = dtFromInvDt(inv, t);
      const expected = logDt.data.map((v) => Math.exp(v) + (t === 'relu' ? 1e-4 : 0));
      expectClose(dt.data, expected, 1e-12, t);
    }
  });

  it('dtFromInvDt multiplies by the sampling rate', () => {
    const inv = { data: Float64Array.of(Math.log(0.01), Math.log(0.02)), shape: [2, 1] };
    const dt = dtFromInvDt(inv, 'exp', 2);
    expect(dt.shape).toEqual([2, 1]);
    expectClose(dt.data, [0.02, 0.04], 1e-15, 'Δ·rate');
  });
});

import { describe, expect, it } from 'vitest';
import {
  cexpm,
  cinverse,
  cmatmul,
  cmatrixPower,
  csolve,
  eig,
  eigh,
  eighSymmetric,
  expm,
  inverse,
  matmul,
  matrixPower,
  powerScan,
  powerScanRows,
  solve,
} from '../src/index';

describe('the empty 0×0 matrix', () => {
  const real = { data: new Float64Array(0), shape: [0, 0] };
  const complex = { data: new Float64Array(0), shape: [0, 0] };

  it('is accepted by every square-matrix function', () => {
    const empty = { data: new Float64Array(0), shape: [0, 0] };
    for (const result of [
      matmul(real, real),
      cmatmul(complex, complex),
      inverse(real),
      cinverse(complex),
      matrixPower(real, 3),
      cmatrixPower(complex, 3),
      expm(real),
      cexpm(complex),
      eighSymmetric(real).vectors,
      eigh(complex).vectors,
      eig(complex).vectors,
    ]) {
      expect(result).toEqual(empty);
    }
    expect(solve(real, { data: new Float64Array(0), shape: [0] }).shape).toEqual([0]);
    expect(csolve(complex, { data: new Float64Array(0), shape: [0, 2] }).shape).toEqual([0, 2]);
    expect(eigh(complex).values.length).toBe(0);
    expect(eig(complex).values.length).toBe(0);
    const v = { data: new Float64Array(0), shape: [5, 0] };
    expect(powerScan(complex, v)).toEqual({ data: new Float64Array(0), shape: [0] });
    expect(powerScanRows(complex, v)).toEqual({ data: new Float64Array(0), shape: [0] });
  });
});

import { complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';
import { dplr } from '@statespace/hippo';
import { afterAll, describe, expect, it } from 'vitest';
import { convolveVjp } from '../src/conv-vjp';
import { createCpuBackend } from '../src/cpu-backend';
import { diagKernelVjp } from '../src/diag-kernel-vjp';
import { dplrKernelVjp } from '../src/dplr-kernel-vjp';
import { claimChunk, claimCounter, runClaimed } from '../src/feature-claims';
import { OutputReserve, prefaultSlice } from '../src/output-reserve';
import { isShared, SharedArena, stageShared } from '../src/shared-arrays';

function random(shape: number[], seed: number, scale = 1): Tensor<Float64Array> {
  const rng = createRng(seed);
  const size = shape.reduce((a, b) => a * b, 1);
  return tensor(
    Float64Array.from({ length: size }, () => scale * rng.normal()),
    shape,
  ) as Tensor<Float64Array>;
}

function f32(t: Tensor): Tensor {
  return { data: Float32Array.from(t.data), shape: t.shape };
}

describe('CPU backend threads in shared memory', () => {
  const single = createCpuBackend();
  const threaded = createCpuBackend({ threads: 2 });
  const single32 = createCpuBackend({ dtype: 'float32' });
  const threaded32 = createCpuBackend({ dtype: 'float32', threads: 2 });
  afterAll(async () => {
    await Promise.all([single, threaded, single32, threaded32].map((b) => b.dispose()));
  });

  const H = 48;
  const input = (seed: number) => ({
    u: random([3, H, 700], seed),
    k: random([2, H, 500], seed + 1, 0.1),
    D: random([2, H], seed + 2),
    kReverse: random([2, H, 500], seed + 3, 0.1),
  });

  it('convolves bit for bit as one thread does, in either precision', async () => {
    const one = await single.convolve(input(1));
    const two = await threaded.convolve(input(1));
    expect(two.shape).toEqual([3, 2, H, 700]);
    expect(isShared(two.data)).toBe(true);
    expect(Array.from(two.data)).toEqual(Array.from(one.data));
    const one32 = await single32.convolve(input(1));
    const two32 = await threaded32.convolve(input(1));
    expect(two32.data).toBeInstanceOf(Float32Array);
    expect(Array.from(two32.data)).toEqual(Array.from(one32.data));
  });

  it('keeps concurrent calls on one backend apart', async () => {
    const seeds = [10, 20, 30, 40];
    const expected = await Promise.all(seeds.map((s) => single32.convolve(input(s))));
    const results = await Promise.all(seeds.map((s) => threaded32.convolve(input(s))));
    expect(results.map((r) => Array.from(r.data))).toEqual(expected.map((e) => Array.from(e.data)));
    // Outputs are never reused: a later call leaves an earlier result as it was.
    const kept = Float32Array.from(results[0].data);
    await threaded32.convolve(input(50));
    expect(Array.from(results[0].data)).toEqual(Array.from(kept));
  });

  it('reads inputs already in shared memory in place', async () => {
    const given = input(7);
    const shared = new Float32Array(new SharedArrayBuffer(4 * given.u.data.length));
    shared.set(given.u.data);
    const direct = await threaded32.convolve({ ...given, u: { data: shared, shape: given.u.shape } });
    const copied = await threaded32.convolve({ ...given, u: f32(given.u) });
    expect(Array.from(direct.data)).toEqual(Array.from(copied.data));
  });

  it('computes S4 kernels on both threads as one thread does', async () => {
    const { A, P, B } = dplr('legs', 32, { H });
    const rng = createRng(5);
    const params = {
      Lambda: A,
      P,
      B,
      dt: tensor(
        Float64Array.from({ length: H }, (_, h) => 0.001 * (h + 1)),
        [H],
      ),
      C: complexTensor(
        Float64Array.from({ length: 2 * H * 16 }, () => rng.normal()),
        [1, H, 16],
      ),
      lKernel: 1024,
    };
    const [one, two] = await Promise.all([single.dplrKernel(params), threaded.dplrKernel(params)]);
    expect(two.K.shape).toEqual([1, H, 1024]);
    expect(Array.from(two.K.data)).toEqual(Array.from(one.K.data));
    const state = complexTensor(
      Float64Array.from({ length: 2 * 2 * H * 16 }, () => rng.normal()),
      [2, H, 16],
    );
    const [oneS, twoS] = await Promise.all([
      single32.dplrKernel({ ...params, state, L: 1000 }),
      threaded32.dplrKernel({ ...params, state, L: 1000 }),
    ]);
    expect(twoS.K_state?.shape).toEqual([2, 1, H, 1000]);
    expect(twoS.K_state?.data).toBeInstanceOf(Float32Array);
    expect(Array.from(twoS.K.data)).toEqual(Array.from(oneS.K.data));
    expect(Array.from(twoS.K_state?.data ?? [])).toEqual(Array.from(oneS.K_state?.data ?? [0]));
  });

  it('computes S4D kernels on both threads as one thread does', async () => {
    const rng = createRng(6);
    const complex = (shape: number[], scale: number, shift: number) =>
      complexTensor(
        Float64Array.from({ length: 2 * shape.reduce((a, b) => a * b, 1) }, (_, i) =>
          i % 2 === 0 ? shift + scale * rng.uniform() : scale * rng.normal(),
        ),
        shape,
      );
    const params = {
      Lambda: complex([H, 16], 0.5, -0.6),
      B: complex([H, 16], 1, 0),
      C: complex([2, H, 16], 1, 0),
      dt: tensor(
        Float64Array.from({ length: H }, (_, h) => 0.001 * (h + 1)),
        [H],
      ),
      L: 2048,
      disc: 'zoh' as const,
      state: complex([3, H, 16], 1, 0),
    };
    const [one, two] = await Promise.all([single.diagKernel(params), threaded.diagKernel(params)]);
    expect(two.K.shape).toEqual([2, H, 2048]);
    expect(Array.from(two.K.data)).toEqual(Array.from(one.K.data));
    expect(Array.from(two.K_state?.data ?? [])).toEqual(Array.from(one.K_state?.data ?? [0]));
  });

  it('runs the backward operations on both threads as the CPU functions do, bit for bit', async () => {
    const given = input(8);
    const grad = random([3, 2, H, 700], 9);
    const two = await threaded.convolveVjp(given, grad);
    const cpu = convolveVjp(given, grad);
    for (const key of ['u', 'k', 'D', 'kReverse'] as const) {
      expect(isShared(two[key]?.data ?? new Float64Array()), key).toBe(true);
      expect(Array.from(two[key]?.data ?? []), key).toEqual(Array.from(cpu[key]?.data ?? [0]));
    }
    const two32 = await threaded32.convolveVjp(given, grad);
    expect(two32.u.data).toBeInstanceOf(Float32Array);
    expect(Array.from(two32.k.data)).toEqual(Array.from((await single32.convolveVjp(given, grad)).k.data));

    const { A, P, B } = dplr('legs', 32, { H });
    const rng = createRng(11);
    const dplrParams = {
      Lambda: A,
      P,
      B,
      dt: tensor(
        Float64Array.from({ length: H }, (_, h) => 0.001 * (h + 1)),
        [H],
      ),
      C: complexTensor(
        Float64Array.from({ length: 2 * H * 16 }, () => rng.normal()),
        [1, H, 16],
      ),
      lKernel: 512,
    };
    const gK = random([1, H, 512], 12);
    const dplrGrads = await threaded.dplrKernelVjp(dplrParams, gK);
    const dplrCpu = dplrKernelVjp(dplrParams, gK);
    const diagParams = { Lambda: A, B, C: dplrParams.C, dt: dplrParams.dt, L: 512, disc: 'zoh' as const };
    const diagGrads = await threaded.diagKernelVjp(diagParams, gK);
    const diagCpu = diagKernelVjp(diagParams, gK);
    for (const key of ['Lambda', 'P', 'B', 'C', 'dt'] as const) {
      expect(Array.from(dplrGrads[key].data), key).toEqual(Array.from(dplrCpu[key].data));
      if (key !== 'P') expect(Array.from(diagGrads[key].data), key).toEqual(Array.from(diagCpu[key].data));
    }
    expect((await threaded32.diagKernelVjp(diagParams, gK)).dt.data).toBeInstanceOf(Float32Array);
  });

  it('rejects a bad input before any thread starts', async () => {
    const bad = input(1);
    bad.u.data[5] = Number.NaN;
    await expect(threaded.convolve(bad)).rejects.toThrow(/u must be finite; found NaN at index 5/);
    // The backend stays usable.
    const again = await threaded.convolve(input(1));
    expect(Array.from(again.data)).toEqual(Array.from((await single.convolve(input(1))).data));
  });
});

describe('shared work arrays', () => {
  it('hand a buffer to one call at a time and reuse it once released', () => {
    const arena = new SharedArena();
    const a = arena.acquire(64);
    const b = arena.acquire(64);
    expect(b).not.toBe(a);
    arena.release([a, b]);
    expect([a, b]).toContain(arena.acquire(32));
  });

  it('take the smallest free buffer that fits', () => {
    const arena = new SharedArena();
    const big = arena.acquire(1024);
    const small = arena.acquire(64);
    arena.release([big, small]);
    expect(arena.acquire(48)).toBe(small);
    expect(arena.acquire(48)).toBe(big);
    expect([big, small]).not.toContain(arena.acquire(48));
  });

  it('stage a copy in the precision asked for, or the shared array itself', () => {
    const arena = new SharedArena();
    const held: SharedArrayBuffer[] = [];
    const data = new Float64Array([1 / 3, 2, 3]);
    const staged = stageShared(arena, data, 'float32', held);
    expect(staged).toEqual(Float32Array.from(data));
    expect(held).toHaveLength(1);
    expect(stageShared(arena, staged, 'float32', held)).toBe(staged);
    expect(held).toHaveLength(1);
  });
});

describe('feature claims', () => {
  it('give every feature to exactly one claimant', () => {
    const counter = claimCounter();
    const seen = new Uint8Array(103);
    const take = (start: number, end: number) => {
      for (let h = start; h < end; h++) seen[h]++;
    };
    runClaimed(counter, 103, claimChunk(103, 2), take);
    runClaimed(counter, 103, claimChunk(103, 2), take);
    expect(seen.every((n) => n === 1)).toBe(true);
    expect(claimChunk(103, 2)).toBe(7);
    expect(claimChunk(3, 4)).toBe(1);
  });
});

describe('output reserve', () => {
  it('hands out its spare only for the size asked for, and only once', async () => {
    const reserve = new OutputReserve();
    const fills: SharedArrayBuffer[] = [];
    reserve.refill(4096, async (buffer, stop) => {
      fills.push(buffer);
      prefaultSlice(buffer, stop, 0);
    });
    const spare = await reserve.take(4096);
    expect(spare).toBe(fills[0]);
    const next = await reserve.take(4096);
    expect(next).not.toBe(spare);
    expect(next.byteLength).toBe(4096);
    reserve.refill(4096, async () => undefined);
    expect((await reserve.take(8192)).byteLength).toBe(8192);
  });

  it('waits for a running fill to stop before handing its buffer out', async () => {
    const reserve = new OutputReserve();
    let stopped = false;
    reserve.refill(64, async (_buffer, stop) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      stopped = Atomics.load(stop, 0) === 1;
    });
    await reserve.take(64);
    expect(stopped).toBe(true);
  });

  it('prefaults slice by slice without changing the zeros, until stopped', () => {
    const buffer = new SharedArrayBuffer(300 * 4096);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const starts: number[] = [];
    for (let start = 0; start >= 0; start = prefaultSlice(buffer, stop, start)) starts.push(start);
    expect(starts).toEqual([0, 128 * 4096, 256 * 4096]);
    expect(new Uint8Array(buffer).every((v) => v === 0)).toBe(true);
    const marked = new Uint8Array(new SharedArrayBuffer(4 * 4096)).fill(7);
    Atomics.store(stop, 0, 1);
    expect(prefaultSlice(marked.buffer as SharedArrayBuffer, stop, 0)).toBe(-1);
    expect(marked.every((v) => v === 7)).toBe(true);
  });
});

import { join } from 'node:path';
import type { RealArray } from '@statespace/complex';
import {
  assertKnownFields,
  type GoldenCase,
  goldenDir,
  goldenReal,
  loadGoldenCases,
} from '@statespace/testing';
import { readSafetensors, type S4BlockOptions } from '../src/index';

/**
 * The fields of layers.json cases (fixtures/golden/README.md); `G` and `grads` are the gradients
 * of Σ y·G (test/golden-gradients.test.ts).
 */
export const LAYERS_FIELDS = [
  'name',
  'weights',
  'B',
  'L',
  'H',
  'options',
  'x',
  'y',
  'y_step',
  'G',
  'grads',
] as const;

/** One official S4Block case: its options, state dict, input and outputs. */
export interface LayerCase {
  name: string;
  options: S4BlockOptions;
  weights: Awaited<ReturnType<typeof readSafetensors>>;
  B: number;
  L: number;
  H: number;
  /** x [B, L, H]. */
  x: Float64Array;
  y: Float64Array;
  yStep: Float64Array | undefined;
  /** The cotangent G of y, [B, L, H]. */
  G: Float64Array;
  /** ∂(Σ y·G)/∂tensor by state-dict name (`layer.kernel.C`: ∂/∂C̃), and `x`. */
  grads: Map<string, Float64Array>;
}

/** Every case of layers.json in the golden directory, with its weights read. */
export async function layerCases(): Promise<LayerCase[]> {
  return Promise.all(
    loadGoldenCases('layers.json').map(async (c: GoldenCase) => {
      assertKnownFields(c, LAYERS_FIELDS);
      return {
        name: c.name as string,
        options: c.options as S4BlockOptions,
        weights: await readSafetensors(join(goldenDir(), c.weights as string)),
        B: c.B as number,
        L: c.L as number,
        H: c.H as number,
        x: goldenReal(c.x, 'x').data,
        y: goldenReal(c.y, 'y').data,
        yStep: c.y_step === undefined ? undefined : goldenReal(c.y_step, 'y_step').data,
        G: goldenReal(c.G, 'G').data,
        grads: new Map(
          Object.entries(c.grads as Record<string, unknown>).map(([name, t]) => [
            name,
            goldenReal(t, `grads.${name}`).data,
          ]),
        ),
      };
    }),
  );
}

/** Column t of a [B, L, H] array: [B, H]. */
export function timeStep(x: RealArray, B: number, L: number, H: number, t: number): RealArray {
  const out = x instanceof Float64Array ? new Float64Array(B * H) : new Float32Array(B * H);
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) out[b * H + h] = x[(b * L + t) * H + h];
  return out;
}

/** Writes y [B, H] into column t of a [B, L, H] array. */
export function setTimeStep(
  out: RealArray,
  y: ArrayLike<number>,
  B: number,
  L: number,
  H: number,
  t: number,
): void {
  for (let b = 0; b < B; b++) for (let h = 0; h < H; h++) out[(b * L + t) * H + h] = y[b * H + h];
}

/** Positions [from, to) of a [B, L, H] array: [B, to − from, H]. */
export function timeSlice(
  x: RealArray,
  B: number,
  L: number,
  H: number,
  from: number,
  to: number,
): RealArray {
  const n = to - from;
  const out = x instanceof Float64Array ? new Float64Array(B * n * H) : new Float32Array(B * n * H);
  for (let b = 0; b < B; b++) out.set(x.subarray((b * L + from) * H, (b * L + to) * H), b * n * H);
  return out;
}

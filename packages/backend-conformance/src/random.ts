import { type ComplexTensor, complexTensor, createRng, type Tensor, tensor } from '@statespace/complex';

// Seeded random problems shared by the suites.

export function normal(shape: number[], seed: number): Tensor<Float64Array> {
  const rng = createRng(seed);
  return tensor(
    Float64Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

export function complexNormal(shape: number[], seed: number): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  return complexTensor(
    Float64Array.from({ length: 2 * shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
    shape,
  );
}

/** Stable poles like an S4 system's: Re < 0, a spread of frequencies. */
export function poles(H: number, N2: number, seed: number): ComplexTensor<Float64Array> {
  const rng = createRng(seed);
  const data = new Float64Array(2 * H * N2);
  for (let i = 0; i < H * N2; i++) {
    data[2 * i] = -0.1 - rng.uniform();
    data[2 * i + 1] = -Math.PI * (i % N2) - rng.uniform();
  }
  return complexTensor(data, [H, N2]);
}

export function positive(H: number, seed: number, scale = 0.05): Tensor<Float64Array> {
  const rng = createRng(seed);
  return tensor(
    Float64Array.from({ length: H }, () => scale * (0.2 + rng.uniform())),
    [H],
  );
}

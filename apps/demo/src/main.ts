#!/usr/bin/env node
import { legsSpectrum } from './legs-spectrum';

// The main job until the training CLI lands: the NPLR form of HiPPO-LegS at N = 64, the S4 default.
const N = Number(process.argv[2] ?? 64);
const start = performance.now();
const { omega, reconstructionError, clippedModes } = legsSpectrum(N);
const ms = performance.now() - start;

const fmt = (w: number) => `-0.5${w < 0 ? '-' : '+'}${Math.abs(w).toFixed(6)}i`;
console.log(`HiPPO-LegS, N = ${N}: A = V(Λ − P̃P̃*)V*, computed in ${ms.toFixed(1)} ms`);
console.log(`Λ (${omega.length} modes with negative imaginary part, the S4 half-state):`);
console.log(`  first: ${Array.from(omega.slice(0, 3), fmt).join(', ')}`);
console.log(`  last:  ${Array.from(omega.slice(-3), fmt).join(', ')}`);
console.log(`reconstruction error max|A − V(Λ − P̃P̃*)V*| / max|A| = ${reconstructionError.toExponential(2)}`);
console.log(`B̃ clipped to |B̃| ≤ 2 on ${clippedModes} of ${omega.length} modes`);

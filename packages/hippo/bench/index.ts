import { measureMs, report } from '@statespace/testing';
import { nplr } from '../src/index';

// NPLR of the default S4 measure at the two usual state sizes. The reference figures are the
// official `hippo.nplr('legs', N)` (PyTorch, float64 eigh) timed on this CPU.
const cases = [
  { N: 64, reference_ms: 12.0, goal_ms: 2 },
  { N: 256, reference_ms: 43.5, goal_ms: 20 },
];

for (const { N, reference_ms, goal_ms } of cases) {
  const value = measureMs(() => nplr('legs', N), { warmup: 5, samples: 21 });
  report({ name: `nplr('legs', ${N})`, value, unit: 'ms', reference_ms, goal_ms });
}

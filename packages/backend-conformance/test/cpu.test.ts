import { createCpuBackend } from '@statespace/kernels';
import { TOLERANCE } from '@statespace/testing';
import { describeKernelBackend } from '../src/index';

// The CPU backend's two paths: the float64 reference, and float32 on both cores.
describeKernelBackend('cpu float64', () => createCpuBackend({ dtype: 'float64' }), {
  tolerance: TOLERANCE.float64,
});
describeKernelBackend('cpu float32, 2 threads', () => createCpuBackend({ dtype: 'float32', threads: 2 }), {
  tolerance: TOLERANCE.float32,
});

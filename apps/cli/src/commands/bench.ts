import { availableParallelism } from 'node:os';
import { createCpuBackend, type KernelBackend } from '@statespace/kernels';
import { BACKEND_NAMES, type BackendName, createBackend } from '../backend';
import { BENCH_SIZES, type BenchFigure, benchBackend } from '../bench-suite';
import { defineCommand } from '../cli/command';
import { UsageError } from '../cli/errors';
import { choiceFlag, integerFlag } from '../cli/flag-values';
import { table } from '../progress/format';

export const benchCommand = defineCommand({
  name: 'bench',
  summary: 'kernel, layer and training throughput on every available backend',
  description: [
    'Measures, on each backend (cpu always; webgpu and gpujs when an adapter or context is available,',
    "otherwise reported as 'unavailable: <reason>'), in float32, as medians:",
    '  kernels: S4 and S4D kernel generation, FFT convolution (B×H×L);',
    '  layers:  S4 and S4D FFTConv layer forward;',
    '  training: a step of a small sMNIST S4D model (forward, backward, AdamW) and its samples/s.',
    'Prints a table, or with --json one line per figure: {"name","value","unit","backend",...sizes}.',
    '--size small (default) takes about a minute on a 2-core CPU, tiny a few seconds; --size large uses the',
    'sizes of the official reference figures (B=8, H=256, N=64, L=4096; training B=32, H=64, 4 layers) for',
    'a GPU machine.',
  ].join('\n'),
  flags: {
    backend: {
      type: 'string',
      value: 'LIST',
      description: `backends to measure, comma-separated (${BACKEND_NAMES.join(', ')})`,
      default: BACKEND_NAMES.join(','),
    },
    size: { type: 'string', value: BENCH_SIZES.join('|'), description: 'problem sizes', default: 'small' },
    samples: {
      type: 'string',
      value: 'N',
      description: 'timed runs per figure (the median is reported)',
      default: '3',
    },
  },
  examples: [
    'statespace bench',
    'statespace bench --backend cpu --json',
    'statespace bench --size large --backend webgpu',
  ],
  async run(flags, output) {
    const names = (flags.backend ?? BACKEND_NAMES.join(',')).split(',').map((name) => {
      if (!(BACKEND_NAMES as readonly string[]).includes(name)) {
        throw new UsageError(`--backend must list names among ${BACKEND_NAMES.join(', ')}; got '${name}'`);
      }
      return name as BackendName;
    });
    const size = choiceFlag('size', flags.size, BENCH_SIZES, 'small');
    const samples = integerFlag('samples', flags.samples, 3, { min: 1, max: 1000 });

    const figures: BenchFigure[] = [];
    const rows: string[][] = [['figure', 'backend', 'value', 'unit', 'sizes']];
    for (const name of names) {
      let backend: KernelBackend;
      try {
        backend =
          name === 'cpu'
            ? createCpuBackend({ dtype: 'float32', threads: availableParallelism() })
            : ((await createBackend(name, 'float32')).backend as KernelBackend);
      } catch (error) {
        const reason = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
        output.record('unavailable', { backend: name, reason });
        output.note(`${name}: unavailable: ${reason}`);
        rows.push(['(all)', name, '-', '-', `unavailable: ${reason}`]);
        continue;
      }
      output.note(`${name}: ${backend.describe()} (size ${size}, ${samples} samples per figure)`);
      try {
        await benchBackend(backend, size, samples, (figure) => {
          figures.push(figure);
          output.figure(figure);
          const { name: figureName, value, unit, backend: _, ...sizes } = figure;
          const sizeText = Object.entries(sizes)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ');
          rows.push([
            figureName,
            name,
            value >= 100 ? value.toFixed(0) : value.toPrecision(3),
            unit,
            sizeText,
          ]);
          if (!output.json) output.note(`  ${figureName}: ${value.toPrecision(4)} ${unit}`);
        });
      } finally {
        await backend.dispose();
      }
    }
    if (!output.json) output.text(table(rows));
    return figures.length > 0 ? 0 : 1;
  },
});

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkPng } from './png-file';
import { jsonLines, runCli } from './run-cli';

// End-to-end: the CLI run from its sources in a child process, on tiny settings.
const work = mkdtempSync(join(tmpdir(), 'statespace-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('help and usage errors', () => {
  it('lists the commands with --help (exit 0) and fails without a command (exit 2)', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['train', 'eval', 'stream', 'bench', 'hippo'])
      expect(help.stdout).toContain(`  ${command} `);
    expect(help.stdout).toContain('Exit codes: 0 ok, 1 runtime failure');
    const none = await runCli([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: statespace <command>');
  });

  it("shows each command's flags with --help", async () => {
    const help = await runCli(['train', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: statespace train [flags]');
    expect(help.stdout).toMatch(/--d-model H\s+features per block \(default: \d+\)/);
  });

  it('rejects an unknown command, an unknown flag and a bad value in one line with exit code 2', async () => {
    const [command, flag, value, missing, f64, pool] = await Promise.all([
      runCli(['trian']),
      runCli(['train', '--epoch', '3']),
      runCli(['train', '--epochs', '0']),
      runCli(['train', '--lr']),
      runCli(['train', '--backend', 'webgpu', '--precision', 'f64']),
      runCli(['train', '--pool', 'max']),
    ]);
    for (const run of [command, flag, value, missing, f64, pool]) expect(run.code).toBe(2);
    expect(pool.stderr).toContain('--pool must be one of mean, first, last, sum');
    expect(command.stderr).toContain(
      "statespace: unknown command 'trian'; commands: train, eval, stream, bench, hippo",
    );
    expect(flag.stderr).toContain('statespace train: unknown flag --epoch; accepted flags: --task, --model');
    expect(value.stderr.split('\n')[0]).toBe("statespace train: --epochs must be an integer ≥ 1; got '0'");
    expect(missing.stderr).toContain('flag --lr needs a value');
    expect(f64.stderr).toContain('--backend webgpu runs float32 models only');
  });

  it('reports a missing checkpoint with exit code 1 and no stack trace', async () => {
    const [missing, empty, required] = await Promise.all([
      runCli(['eval', '--checkpoint', join(work, 'nowhere')]),
      runCli(['stream', '--checkpoint', work]),
      runCli(['eval']),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(
      `statespace eval: --checkpoint ${join(work, 'nowhere')}: no such file or folder`,
    );
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('holds no training checkpoint (state.json)');
    expect(required.code).toBe(2);
    expect(required.stderr).toContain('--checkpoint is required');
  });
});

describe('a bidirectional ListOps model', () => {
  it('trains with --bucket --bidirectional --pool first, and its checkpoint evaluates', async () => {
    const out = join(work, 'listops');
    const flags = [
      '--layers',
      '1',
      '--d-model',
      '4',
      '--d-state',
      '4',
      '--train-size',
      '32',
      '--test-size',
      '16',
    ];
    const run = await runCli([
      'train',
      '--task',
      'listops',
      '--bucket',
      '--bidirectional',
      '--pool',
      'first',
      ...flags,
      '--epochs',
      '1',
      '--out',
      out,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/test accuracy \d+\.\d%/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.settings).toMatchObject({
      task: 'listops',
      lengthBuckets: true,
      bidirectional: true,
      pool: 'first',
    });
    const evaluation = await runCli([
      'eval',
      '--checkpoint',
      join(out, 'checkpoint', 'state.json'),
      '--test-size',
      '16',
      '--json',
    ]);
    expect(evaluation.code, evaluation.stderr).toBe(0);
    expect(jsonLines(evaluation.stdout)[0]).toMatchObject({ type: 'eval', task: 'listops', count: 16 });
  });
});

describe('the main job in quick mode, then eval, stream and resume', () => {
  const out = join(work, 'quick');

  it('trains, prints the test accuracy, writes a valid plot, metrics and a checkpoint, and streams a digit', async () => {
    const run = await runCli(['train', '--quick', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/test accuracy \d+\.\d%, test loss \d\.\d{4} after 1 epoch/);
    expect(run.stdout).toMatch(/smnist\/test example 0 \(label \d\), 784 steps/);
    expect(run.stdout).toMatch(/t= 784 {2}\d/);
    expect(run.stderr).toMatch(/epoch 1\/1: train loss/);
    const png = checkPng(readFileSync(join(out, 'learning-curve.png')));
    expect(png.width).toBeGreaterThan(100);
    expect(readFileSync(join(out, 'learning-curve.svg'), 'utf8')).toMatch(
      /^<svg [^>]*width="\d+" height="\d+"/,
    );
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.history).toHaveLength(1);
    expect(metrics.settings).toMatchObject({ task: 'smnist', model: 's4d', trainSize: 256 });
    for (const file of ['model.safetensors', 'optimizer.safetensors', 'state.json']) {
      expect(existsSync(join(out, 'checkpoint', file))).toBe(true);
    }
  });

  it('evaluates the checkpoint on the test split (--json)', async () => {
    const run = await runCli([
      'eval',
      '--checkpoint',
      join(out, 'checkpoint', 'state.json'),
      '--test-size',
      '32',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const [record] = jsonLines(run.stdout);
    expect(record).toMatchObject({ type: 'eval', task: 'smnist', epoch: 1, count: 32 });
    expect(record.accuracy).toBeGreaterThanOrEqual(0);
    expect(record.loss).toBeGreaterThan(0);
  });

  it('streams a digit step by step, agreeing with the convolution mode (--json series)', async () => {
    const run = await runCli(['stream', '--checkpoint', out, '--count', '1', '--start', '5', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const [record, summary] = jsonLines(run.stdout);
    expect(record).toMatchObject({ type: 'stream', index: 5 });
    const readings = record.readings as Array<{ t: number; value: number; probability: number }>;
    expect(readings.map((r) => r.t)).toEqual(Array.from({ length: 16 }, (_, i) => 49 * (i + 1)));
    expect((record.convolution as { maxDifference: number }).maxDifference).toBeLessThan(1e-4);
    expect((record.stepMicroseconds as number[]).length).toBe(784);
    expect(summary).toMatchObject({ type: 'summary', examples: 1 });
  });

  it('resumes from the checkpoint for a second epoch', async () => {
    const run = await runCli([
      'train',
      '--quick',
      '--out',
      out,
      '--epochs',
      '2',
      '--resume',
      '--no-stream',
      '--json',
    ]);
    expect(run.code, run.stderr).toBe(0);
    const records = jsonLines(run.stdout);
    const epochs = records.filter((r) => r.type === 'epoch').map((r) => r.epoch);
    expect(epochs).toEqual([2]);
    expect(records.some((r) => r.type === 'stream')).toBe(false);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.history.map((m: { epoch: number }) => m.epoch)).toEqual([1, 2]);
  });
});

describe('Ctrl-C', () => {
  it('stops after the current step, saves a mid-epoch checkpoint and exits with 130', async () => {
    const out = join(work, 'interrupted');
    const args = ['train', '--quick', '--train-size', '2048', '--batch', '8', '--out', out, '--no-stream'];
    let signalled = false;
    const run = await runCli(args, {
      onStderr: (text, child) => {
        if (!signalled && /step \d+\/256/.test(text)) {
          signalled = true;
          child.kill('SIGINT');
        }
      },
    });
    expect(run.code, run.stderr).toBe(130);
    expect(run.stdout).toContain('interrupted: checkpoint saved in');
    const state = JSON.parse(readFileSync(join(out, 'checkpoint', 'state.json'), 'utf8'));
    expect(state.epoch).toBe(0);
    expect(state.step).toBeGreaterThan(0);
    expect(state.step).toBeLessThan(256);
  });
});

describe('GPU backends', () => {
  // As every GPU test here: skipped without an adapter, unless STATESPACE_REQUIRE_GPU=1 (CI).
  it('trains the quick job on WebGPU, or says in one line why there is no adapter (exit 1), never falling back', async () => {
    const run = await runCli([
      'train',
      '--quick',
      '--backend',
      'webgpu',
      '--out',
      join(work, 'webgpu'),
      '--no-stream',
    ]);
    if (run.code === 1 && process.env.STATESPACE_REQUIRE_GPU !== '1') {
      expect(run.stderr.trim()).toMatch(/^statespace train: --backend webgpu is unavailable here: .+$/);
      return;
    }
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/on webgpu/);
    expect(run.stdout).toMatch(/test accuracy \d+\.\d%/);
  });
});

describe('hippo and bench', () => {
  it('prints the HiPPO-LegS matrix and spectrum and writes valid plots', async () => {
    const out = join(work, 'hippo');
    const run = await runCli(['hippo', '--measure', 'legs', '--N', '4', '--length', '64', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('HiPPO-legs, N = 4');
    expect(run.stdout).toMatch(/NPLR reconstruction error: \d\.\de-1[5-6]/);
    checkPng(readFileSync(join(out, 'hippo.png')));
    expect(readFileSync(join(out, 'hippo.svg'), 'utf8')).toMatch(/^<svg /);
  });

  it('measures the CPU backend and prints JSON lines in the benchmark format', async () => {
    const run = await runCli(['bench', '--backend', 'cpu', '--size', 'tiny', '--samples', '1', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const figures = jsonLines(run.stdout);
    expect(figures.map((f) => f.name)).toEqual([
      's4 kernel',
      's4 layer forward',
      's4d kernel',
      's4d layer forward',
      'fft convolution',
      'training step',
      'training throughput',
    ]);
    for (const figure of figures) {
      expect(figure).toMatchObject({ backend: 'cpu' });
      expect(figure.value).toBeGreaterThan(0);
      expect(typeof figure.unit).toBe('string');
    }
  });
});

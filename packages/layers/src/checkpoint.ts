import type { LoadStateDictOptions, Module, StateTensor } from './module';
import { decodeSafetensors, encodeSafetensors, type Safetensors } from './safetensors';

// Checkpoint files in the safetensors format, under the official key names. Node.js only (the
// file system is imported when a function is called, so that the package still loads in browsers,
// where `encodeSafetensors` / `decodeSafetensors` work on bytes).

/**
 * Writes tensors to a safetensors file atomically (see {@link writeFileAtomic}): a failure at any
 * point leaves an existing file at `path` untouched.
 */
export async function writeSafetensors(
  path: string,
  tensors: ReadonlyMap<string, StateTensor>,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/**
 * Writes bytes to `path` atomically: they go to a temporary file in the same directory, which is
 * flushed to disk and then renamed over `path`. A failure at any point leaves an existing file at
 * `path` untouched and removes the temporary file.
 */
export async function writeFileAtomic(path: string, bytes: Uint8Array): Promise<void> {
  const { open, rename, rm } = await import('node:fs/promises');
  const temporary = `${path}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`;
  try {
    const file = await open(temporary, 'wx');
    try {
      await file.writeFile(bytes);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Reads and validates a safetensors file.
 * @throws SafetensorsError naming the offending key for a corrupt file.
 */
export async function readSafetensors(path: string): Promise<Safetensors> {
  const { readFile } = await import('node:fs/promises');
  return decodeSafetensors(new Uint8Array(await readFile(path)));
}

/** Saves a module's state dict (official key names, its precision) atomically (see {@link writeSafetensors}). */
export async function saveCheckpoint(
  path: string,
  module: Module,
  metadata: Record<string, string> = {},
): Promise<void> {
  await writeSafetensors(path, module.stateDict(), metadata);
}

/**
 * Loads a safetensors checkpoint into a module (see `Module.loadStateDict`), such as the
 * `state_dict` of an official S4Block saved with `safetensors.torch.save_file`.
 * @returns The file's metadata.
 * @throws SafetensorsError for a corrupt file; RangeError listing every missing, unexpected or
 *   mis-shaped key — the module is then unchanged.
 */
export async function loadCheckpoint(
  path: string,
  module: Module,
  options: LoadStateDictOptions = {},
): Promise<Record<string, string>> {
  const { tensors, metadata } = await readSafetensors(path);
  module.loadStateDict(tensors, options);
  return metadata;
}

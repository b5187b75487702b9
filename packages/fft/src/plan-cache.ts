// Plans hold twiddle tables and scratch buffers that cost O(n) to build, so each (kind, length,
// dtype) is built once per process and shared. JavaScript runs one call at a time, so a shared
// plan's scratch is never used by two transforms at once.

const plans = new Map<string, unknown>();

/** The plan stored under `key`, created by `create` on first use. */
export function cached<T>(key: string, create: () => T): T {
  let plan = plans.get(key) as T | undefined;
  if (plan === undefined) {
    plan = create();
    plans.set(key, plan);
  }
  return plan;
}

/**
 * Drops every cached plan (complex, real and their inner kernels), releasing their tables and
 * scratch. Plans obtained before stay usable; later calls build new ones.
 */
export function clearPlanCache(): void {
  plans.clear();
}

import type { RealArray } from '@statespace/complex';
import { MaskRng } from './mask-rng';

// The base of every layer: named parameters and buffers held as typed arrays with explicit shapes
// (complex parameters as real tensors with a trailing dimension 2, the official layout), child
// modules, a training flag, and a state dict under the official PyTorch key names.

/** Optimiser settings of one parameter (the official `_optim` attribute); absent fields are global. */
export interface OptimSettings {
  /** Learning rate of the parameter's group. */
  readonly lr?: number;
  /** Weight decay of the parameter's group. */
  readonly weightDecay?: number;
}

/**
 * A trainable tensor: row-major values of the module's precision, its shape, and its optimiser
 * settings. The array is owned by the module and updated in place (loading a state dict copies
 * into it), so a reference to it stays valid.
 */
export interface Parameter extends OptimSettings {
  readonly data: RealArray;
  readonly shape: readonly number[];
}

/** The arrays a state dict holds: floating point values, or integers (BigInt64Array for int64). */
export type StateArray =
  | RealArray
  | BigInt64Array
  | Int32Array
  | Int16Array
  | Int8Array
  | BigUint64Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

/** One entry of a state dict. */
export interface StateTensor {
  readonly data: StateArray;
  readonly shape: readonly number[];
}

/** A state dict: tensors by their dotted official names (`layer.kernel.C`, `output_linear.0.weight`). */
export type StateDict = ReadonlyMap<string, StateTensor>;

/** Options of {@link Module.loadStateDict}. */
export interface LoadStateDictOptions {
  /** Reject keys the module does not have (default true); missing keys are always rejected. */
  strict?: boolean;
}

interface Entry {
  readonly tensor: StateTensor;
  /** Parameters appear in {@link Module.parameters}; buffers only in the state dict. */
  readonly parameter?: Parameter;
}

/**
 * Base class of the layers. Subclasses register their tensors and children in their constructor;
 * the base class provides the name listings, the training flag and state-dict loading.
 */
export abstract class Module {
  readonly #entries = new Map<string, Entry>();
  readonly #children = new Map<string, Module>();
  readonly #maskRngs: MaskRng[] = [];
  #training = false;

  /**
   * Whether the module is in training mode (dropout, drop path and batch statistics active).
   * Modules start in evaluation mode — unlike PyTorch's — because this package computes
   * forward passes for inference; call {@link train} to switch.
   */
  get training(): boolean {
    return this.#training;
  }

  /** Sets training mode on this module and every descendant; returns `this`. */
  train(mode = true): this {
    this.#training = mode;
    for (const child of this.#children.values()) child.train(mode);
    return this;
  }

  /**
   * Restarts the mask generators (dropout, drop path, kernel dropout) of this module and every
   * descendant on stream `stream`, so that the masks drawn next depend only on the modules' seeds
   * and `stream` — the training loop passes the step number, which makes resumed runs draw the
   * masks of uninterrupted ones. Returns `this`.
   * @throws RangeError when `stream` is not an integer.
   */
  reseedMasks(stream: number): this {
    for (const module of this.#modules()) for (const rng of module.#maskRngs) rng.reseed(stream);
    return this;
  }

  /** Sets evaluation mode (`train(false)`); returns `this`. */
  eval(): this {
    return this.train(false);
  }

  /**
   * Every trainable parameter of this module and its descendants, by dotted name, in
   * registration order, with its optimiser settings. Frozen tensors (the official `lr: 0`) and
   * buffers are not listed.
   */
  parameters(): Map<string, Parameter> {
    const out = new Map<string, Parameter>();
    for (const [name, entry] of this.#walk()) if (entry.parameter) out.set(name, entry.parameter);
    return out;
  }

  /** Parameters and buffers of this module and its descendants by their official dotted names. */
  stateDict(): Map<string, StateTensor> {
    const out = new Map<string, StateTensor>();
    for (const [name, entry] of this.#walk()) out.set(name, entry.tensor);
    return out;
  }

  /**
   * Copies a state dict into this module's tensors (in place). Everything is checked before
   * anything is copied, so a rejected dict leaves the module unchanged: every key must be present
   * with the module's shape, floating point tensors must hold finite values, and integer buffers
   * integers. Float32 values load into float64 modules exactly (and float64 into float32 ones
   * rounded).
   *
   * @throws RangeError listing every offending key with its expected and actual shape or type.
   */
  loadStateDict(dict: StateDict | Record<string, StateTensor>, options: LoadStateDictOptions = {}): void {
    const source: ReadonlyMap<string, StateTensor> =
      dict instanceof Map ? dict : new Map(Object.entries(dict));
    const strict = options.strict ?? true;
    const own = new Map(this.#walk());
    const problems: string[] = [];
    for (const [name, { tensor }] of own) {
      const given = source.get(name);
      if (given === undefined) {
        problems.push(`${name}: missing (expected shape [${tensor.shape.join(', ')}])`);
        continue;
      }
      const problem = incompatibility(tensor, given);
      if (problem) problems.push(`${name}: ${problem}`);
    }
    if (strict) {
      for (const name of source.keys()) {
        if (!own.has(name)) problems.push(`${name}: unexpected key (this module has no such tensor)`);
      }
    }
    if (problems.length > 0) {
      throw new RangeError(`state dict does not fit this module:\n  ${problems.join('\n  ')}`);
    }
    for (const [name, { tensor }] of own) copyInto(tensor.data, (source.get(name) as StateTensor).data);
    for (const module of this.#modules()) module.onLoad();
  }

  /**
   * Registers a parameter — or, with `lr: 0`, a frozen tensor that is saved but not listed by
   * {@link parameters}, as the official `register` makes it a buffer. Returns it.
   */
  protected registerParameter(
    name: string,
    data: RealArray,
    shape: readonly number[],
    optim: OptimSettings = {},
  ): Parameter {
    const parameter: Parameter = {
      data,
      shape: [...shape],
      ...(optim.lr === undefined ? {} : { lr: optim.lr }),
      ...(optim.weightDecay === undefined ? {} : { weightDecay: optim.weightDecay }),
    };
    const tensor: StateTensor = { data, shape: parameter.shape };
    this.#add(name, optim.lr === 0 ? { tensor } : { tensor, parameter });
    return parameter;
  }

  /** Registers a buffer: state that is saved and loaded but not trained. */
  protected registerBuffer(name: string, data: StateArray, shape: readonly number[]): void {
    this.#add(name, { tensor: { data, shape: [...shape] } });
  }

  /** Registers a child module under `name` (its tensors are then named `name.…`); returns it. */
  protected registerModule<M extends Module>(name: string, module: M): M {
    if (this.#children.has(name) || this.#entries.has(name))
      throw new Error(`duplicate module name '${name}'`);
    this.#children.set(name, module);
    module.train(this.#training);
    return module;
  }

  /** A mask generator seeded by `seed`, restarted by {@link reseedMasks}; returns it. */
  protected registerMaskRng(seed: number): MaskRng {
    const rng = new MaskRng(seed);
    this.#maskRngs.push(rng);
    return rng;
  }

  /** Called on every module after a state dict was loaded, to drop what depends on the old values. */
  protected onLoad(): void {}

  #add(name: string, entry: Entry): void {
    if (this.#children.has(name) || this.#entries.has(name))
      throw new Error(`duplicate tensor name '${name}'`);
    this.#entries.set(name, entry);
  }

  *#walk(prefix = ''): Generator<[string, Entry]> {
    for (const [name, entry] of this.#entries) yield [prefix + name, entry];
    for (const [name, child] of this.#children) yield* child.#walk(`${prefix}${name}.`);
  }

  *#modules(): Generator<Module> {
    yield this;
    for (const child of this.#children.values()) yield* child.#modules();
  }
}

const isFloat = (a: StateArray): a is RealArray => a instanceof Float64Array || a instanceof Float32Array;
const isBig = (a: StateArray): a is BigInt64Array | BigUint64Array =>
  a instanceof BigInt64Array || a instanceof BigUint64Array;

/** Why `given` cannot be copied into `target`, or undefined when it can. */
function incompatibility(target: StateTensor, given: StateTensor): string | undefined {
  const shape = given?.shape;
  if (
    !Array.isArray(shape) ||
    shape.length !== target.shape.length ||
    shape.some((d, i) => d !== target.shape[i])
  ) {
    return `expected shape [${target.shape.join(', ')}], got [${Array.isArray(shape) ? shape.join(', ') : String(shape)}]`;
  }
  const data = given.data;
  if (!ArrayBuffer.isView(data) || data.length !== target.data.length) {
    return `expected ${target.data.length} values for shape [${target.shape.join(', ')}], got ${ArrayBuffer.isView(data) ? data.length : 'no typed array'}`;
  }
  if (isFloat(target.data)) {
    if (!isFloat(data)) return `expected floating point values, got ${data.constructor.name}`;
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) return `non-finite value ${data[i]} at index ${i}`;
    }
    return undefined;
  }
  if (isFloat(data)) {
    for (let i = 0; i < data.length; i++) {
      if (!Number.isInteger(data[i])) return `expected integers, got ${data[i]} at index ${i}`;
    }
  }
  return undefined;
}

function copyInto(target: StateArray, source: StateArray): void {
  if (isBig(target)) {
    for (let i = 0; i < source.length; i++) target[i] = BigInt(source[i] as number | bigint);
  } else if (isBig(source)) {
    for (let i = 0; i < source.length; i++) target[i] = Number(source[i]);
  } else {
    target.set(source);
  }
}

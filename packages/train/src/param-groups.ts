import type { Module, Parameter } from '@statespace/layers';

/** One parameter group: its settings and the names of its parameters. */
export interface ParamGroup {
  /** `default` for the global settings, otherwise the special settings, e.g. `lr=0.001 weight_decay=0`. */
  name: string;
  lr: number;
  weightDecay: number;
  /** Parameter names (official dotted names) in the model's order. */
  params: string[];
}

/**
 * The official parameter grouping (`train.py::configure_optimizers` with
 * `optimizer_param_grouping: {bias_weight_decay: False, normalization_weight_decay: False}`):
 * parameters without special settings form the `default` group with the global lr and weight
 * decay; every distinct special setting forms a group of its own, where the special values
 * override the global ones. Special settings are a parameter's own `lr` / `weightDecay` (the
 * official `_optim` of SSM tensors: `inv_dt`, `A_real`, `A_imag`, `B`, `P` have lr 1e-3 and weight
 * decay 0 by default), and weight decay 0 on biases (names ending in `bias`) and on normalisation
 * parameters (the tensors of a `Normalization`'s inner norm, `…norm.norm.weight` / `.bias`).
 * Empty groups are left out; groups appear in the order their first parameter does.
 */
export function parameterGroups(model: Module, lr: number, weightDecay: number): ParamGroup[] {
  const groups = new Map<string, ParamGroup>();
  for (const [name, parameter] of model.parameters()) {
    const special = specialSettings(name, parameter);
    const key = special.length === 0 ? 'default' : special.map(([k, v]) => `${k}=${v}`).join(' ');
    let group = groups.get(key);
    if (!group) {
      const settings = Object.fromEntries(special);
      group = {
        name: key,
        lr: settings.lr ?? lr,
        weightDecay: settings.weight_decay ?? weightDecay,
        params: [],
      };
      groups.set(key, group);
    }
    group.params.push(name);
  }
  const ordered = [...groups.values()];
  // The default group first, as the official optimizer is built from it and the others added.
  return ordered.sort((a, b) => Number(b.name === 'default') - Number(a.name === 'default'));
}

/** The settings that override the global ones for this parameter, as [official key, value] pairs. */
function specialSettings(name: string, parameter: Parameter): [string, number][] {
  const out: [string, number][] = [];
  if (parameter.lr !== undefined) out.push(['lr', parameter.lr]);
  if (parameter.weightDecay !== undefined) out.push(['weight_decay', parameter.weightDecay]);
  else if (isBias(name) || isNormalization(name)) out.push(['weight_decay', 0]);
  return out;
}

function isBias(name: string): boolean {
  return name === 'bias' || name.endsWith('.bias');
}

/** Tensors of the torch norm inside a `Normalization` module, which layers names `norm`. */
function isNormalization(name: string): boolean {
  const path = name.split('.');
  return path.length >= 3 && path[path.length - 2] === 'norm' && path[path.length - 3] === 'norm';
}

import type { Rng } from '@statespace/complex';

/**
 * Tokens of ListOps, by number: padding, the digits, the four operators (each with its opening
 * bracket, one token as in LRA's `[MIN`), and the closing bracket.
 */
export const LISTOPS_VOCABULARY: readonly string[] = Object.freeze([
  '<pad>',
  ...Array.from({ length: 10 }, (_, d) => String(d)),
  '[MIN',
  '[MAX',
  '[MED',
  '[SM',
  ']',
]);

/** Token of digit d: d + 1. */
const DIGIT_TOKEN = 1;
/** Token of the first operator; operators follow in the order of `OPERATORS`. */
const OPERATOR_TOKEN = 11;
const END_TOKEN = 15;
const OPERATORS = ['MIN', 'MAX', 'MED', 'SM'] as const;
/** LRA's VALUE_P: below the depth limit, a node is an operator with this probability, else a digit. */
const OPERATOR_PROBABILITY = 0.25;
/** Trees drawn for one example before the parameters are declared hopeless. */
const MAX_ATTEMPTS = 100_000;

/** The shape of ListOps expressions (LRA's flags). */
export interface ListOpsParams {
  /** Maximum tree depth: the root is at depth 1 and nodes at this depth are digits (LRA: 10). */
  maxDepth: number;
  /** Maximum arguments per operator; each has 2…maxArgs (LRA: 10). */
  maxArgs: number;
  /** Expressions are kept when minLength < tokens < maxLength (LRA: 500 and 2000). */
  minLength: number;
  maxLength: number;
}

/** One ListOps expression: its tokens and its value 0–9. */
export interface ListOpsExpression {
  tokens: Uint8Array;
  value: number;
}

/**
 * Draws one expression as LRA's `generate_tree` does, rejecting trees until one has a length in
 * (minLength, maxLength). Trees are written as tokens while they are drawn, and a tree is abandoned
 * as soon as it reaches maxLength tokens: it would be rejected anyway, so the accepted trees keep
 * LRA's distribution.
 */
export function generateListOps(rng: Rng, params: ListOpsParams): ListOpsExpression {
  const { maxDepth, maxArgs, minLength, maxLength } = params;
  const buffer = new Uint8Array(maxLength - 1);
  let length = 0;
  const TOO_LONG = -1;

  /** Writes a subtree at depth `depth` and returns its value, or TOO_LONG. */
  const tree = (depth: number): number => {
    const r = depth < maxDepth ? rng.uniform() : 1;
    if (length === buffer.length) return TOO_LONG;
    if (r > OPERATOR_PROBABILITY) {
      const value = Math.floor(rng.uniform() * 10);
      buffer[length++] = DIGIT_TOKEN + value;
      return value;
    }
    const operatorAt = length++;
    const argCount = 2 + Math.floor(rng.uniform() * (maxArgs - 1));
    const args = new Array<number>(argCount);
    for (let k = 0; k < argCount; k++) {
      const value = tree(depth + 1);
      if (value === TOO_LONG) return TOO_LONG;
      args[k] = value;
    }
    if (length === buffer.length) return TOO_LONG;
    const operator = Math.floor(rng.uniform() * OPERATORS.length);
    buffer[operatorAt] = OPERATOR_TOKEN + operator;
    buffer[length++] = END_TOKEN;
    return applyOperator(OPERATORS[operator], args);
  };

  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    length = 0;
    const value = tree(1);
    if (value !== TOO_LONG && length > minLength) return { tokens: buffer.slice(0, length), value };
  }
  throw new RangeError(
    `ListOps parameters ${JSON.stringify(params)} accepted no tree in ${MAX_ATTEMPTS} attempts; widen the length window`,
  );
}

/** LRA's `to_value`: MED is the integer part of the median, SM the sum modulo 10. */
function applyOperator(operator: (typeof OPERATORS)[number], args: number[]): number {
  switch (operator) {
    case 'MIN':
      return Math.min(...args);
    case 'MAX':
      return Math.max(...args);
    case 'SM':
      return args.reduce((s, v) => s + v, 0) % 10;
    case 'MED': {
      const sorted = args.sort((a, b) => a - b);
      const mid = sorted.length >> 1;
      return sorted.length % 2 === 1 ? sorted[mid] : Math.floor((sorted[mid - 1] + sorted[mid]) / 2);
    }
  }
}

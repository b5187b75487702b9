/**
 * An independent ListOps evaluator for the tests: parses the token names (`[MAX`, `4`, `]`, …) by
 * recursive descent and computes the value with the textbook operator definitions.
 */
export interface ParsedListOps {
  value: number;
  /** Tree depth, the root at 1 and digits counted. */
  depth: number;
  /** Argument counts of every operator. */
  argCounts: number[];
}

export function evaluateListOps(words: readonly string[]): ParsedListOps {
  const argCounts: number[] = [];
  let at = 0;
  const node = (): { value: number; depth: number } => {
    const word = words[at++];
    if (word === undefined) throw new Error('unexpected end of expression');
    if (/^[0-9]$/.test(word)) return { value: Number(word), depth: 1 };
    if (!word.startsWith('[')) throw new Error(`unexpected token ${word} at ${at - 1}`);
    const args: number[] = [];
    let depth = 0;
    while (words[at] !== ']') {
      const child = node();
      args.push(child.value);
      depth = Math.max(depth, child.depth);
    }
    at++;
    argCounts.push(args.length);
    return { value: operate(word.slice(1), args), depth: depth + 1 };
  };
  const root = node();
  if (at !== words.length) throw new Error(`trailing tokens after position ${at}`);
  return { ...root, argCounts };
}

function operate(operator: string, args: number[]): number {
  const sorted = [...args].sort((a, b) => a - b);
  const n = sorted.length;
  switch (operator) {
    case 'MAX':
      return sorted[n - 1];
    case 'MIN':
      return sorted[0];
    case 'SM':
      return args.reduce((s, v) => s + v, 0) % 10;
    case 'MED':
      // numpy's median (mean of the middle two for even counts), then Python's int() truncation.
      return Math.trunc(n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2);
    default:
      throw new Error(`unknown operator ${operator}`);
  }
}

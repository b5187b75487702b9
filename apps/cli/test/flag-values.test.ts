import { describe, expect, it } from 'vitest';
import { UsageError } from '../src/cli/errors';
import { choiceFlag, integerFlag, numberFlag, requiredFlag } from '../src/cli/flag-values';

describe('flag values', () => {
  it('parses integers within range and returns the default when absent', () => {
    expect(integerFlag('epochs', '3', 1, { min: 1 })).toBe(3);
    expect(integerFlag('epochs', undefined, 7, { min: 1 })).toBe(7);
    expect(() => integerFlag('epochs', '0', 1, { min: 1 })).toThrow(
      new UsageError("--epochs must be an integer ≥ 1; got '0'"),
    );
    expect(() => integerFlag('epochs', '2.5', 1)).toThrow(/--epochs must be an integer/);
    expect(() => integerFlag('N', 'x', 1, { min: 2, max: 8 })).toThrow(
      "--N must be an integer from 2 to 8; got 'x'",
    );
  });

  it('parses numbers with exclusive and inclusive bounds', () => {
    expect(numberFlag('lr', '1e-3', 0.01, { above: 0 })).toBe(0.001);
    expect(() => numberFlag('lr', '0', 0.01, { above: 0 })).toThrow("--lr must be a number > 0; got '0'");
    expect(() => numberFlag('lr', 'NaN', 0.01, { above: 0 })).toThrow(UsageError);
    expect(() => numberFlag('lr', '', 0.01)).toThrow(UsageError);
  });

  it('accepts only listed choices, naming them', () => {
    expect(choiceFlag('model', 's4', ['s4', 's4d'] as const, 's4d')).toBe('s4');
    expect(() => choiceFlag('model', 's5', ['s4', 's4d'] as const, 's4d')).toThrow(
      "--model must be one of s4, s4d; got 's5'",
    );
  });

  it('requires required flags', () => {
    expect(() => requiredFlag('checkpoint', undefined, 'the run folder')).toThrow(
      '--checkpoint is required: the run folder',
    );
  });
});

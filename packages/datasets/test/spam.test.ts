import { describe, expect, it } from 'vitest';
import { batches, messageBytes, type SequenceDataset, spamFromMessages, spamTask } from '../src/index';

describe('spamTask', () => {
  const { train, test } = spamTask();

  it('splits the 6,046 messages 4,837/1,209 with both classes in each split', () => {
    expect(train).toMatchObject({
      name: 'spam/train',
      size: 4837,
      length: 4096,
      input: { kind: 'tokens', vocab: 257 },
      target: { kind: 'class', classes: 2 },
      variableLength: true,
    });
    expect(test.size).toBe(1209);
    const spamCount = (d: SequenceDataset) =>
      Array.from({ length: d.size }, (_, i) => d.example(i).target as number).reduce((s, v) => s + v, 0);
    // 1,896 spam messages (spam-1: 500, spam-2: 1,396), split 4:1 within each group.
    expect(spamCount(train)).toBe(400 + 1117);
    expect(spamCount(test)).toBe(100 + 279);
  });

  it('tokens are bytes + 1 up to the true length ≤ 4,096, then padding 0', () => {
    let capped = 0;
    for (const dataset of [train, test]) {
      for (let i = 0; i < dataset.size; i += 7) {
        const { input, length } = dataset.example(i);
        expect(length).toBeGreaterThan(0);
        expect(length).toBeLessThanOrEqual(4096);
        expect(input.subarray(0, length).every((t) => t >= 1 && t <= 256)).toBe(true);
        expect(input.subarray(length).every((t) => t === 0)).toBe(true);
        if (length === 4096) capped++;
      }
    }
    expect(capped).toBeGreaterThan(0);
  });

  it('reads subject and body, and honours maxLength and limit', () => {
    const short = spamTask({ maxLength: 64, limit: { train: 10, test: 3 } });
    expect(short.train.size).toBe(10);
    expect(short.test.size).toBe(3);
    const [batch] = batches(short.train, { batchSize: 10 });
    expect(batch.x.shape).toEqual([10, 64]);
    expect(Math.max(...batch.lengths!)).toBeLessThanOrEqual(64);
    const first = train.example(0);
    expect(short.train.example(0).input).toEqual(first.input.subarray(0, 64));
  });
});

describe('messages supplied by the caller', () => {
  it('messageBytes keeps the (unfolded) subject and the body', () => {
    const text = 'From x\nSubject: Hello\n there\nTo: y\n\nBody é\n\nmore';
    expect(new TextDecoder().decode(messageBytes(text))).toBe('Hello there\nBody é\n\nmore');
    expect(new TextDecoder().decode(messageBytes('To: y'))).toBe('\n');
  });

  it('spamFromMessages makes byte tokens and labels', () => {
    const dataset = spamFromMessages(
      [
        { text: 'Subject: hi\n\nab', spam: false },
        { text: 'Subject: WIN\n\n$$$', spam: true },
      ],
      { maxLength: 5 },
    );
    expect(dataset.example(0)).toEqual({ input: Int32Array.of(105, 106, 11, 98, 99), length: 5, target: 0 });
    expect(dataset.example(1)).toMatchObject({ length: 5, target: 1 });
    expect(() => spamFromMessages([])).toThrow(/messages must hold at least one message/);
    expect(() => spamFromMessages([{ text: '', spam: true }], { maxLength: 0 })).toThrow(/spam maxLength/);
  });
});

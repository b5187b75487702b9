import { assertInteger } from '@statespace/complex';
import { createDataset } from './dataset';
import type { SequenceDataset } from './types';

/** Default cap on the bytes of a message (longer messages are truncated). */
export const SPAM_MAX_LENGTH = 4096;

/** A raw e-mail (headers, a blank line, the body) and whether it is spam. */
export interface SpamMessage {
  text: string;
  spam: boolean;
}

/** Options of the byte-level spam datasets. */
export interface SpamDatasetOptions {
  /** Bytes kept per message, and the padded length L (default 4,096). */
  maxLength?: number;
  /** Dataset name (default `'spam'`). */
  name?: string;
}

/** Messages reduced to the bytes a model reads, with their labels. */
export interface SpamCorpus {
  /** UTF-8 bytes of each message's subject line and body (uncapped). */
  bytes: readonly Uint8Array[];
  /** 1 for spam, 0 for ham. */
  labels: Uint8Array;
}

/**
 * What the model reads of a message: its subject, a newline and its body (everything after the first
 * blank line, MIME parts undecoded), as UTF-8 bytes. The other headers are dropped: they identify the
 * mail servers the corpus came through rather than the message.
 */
export function messageBytes(text: string): Uint8Array {
  const split = text.indexOf('\n\n');
  const headers = split < 0 ? text : text.slice(0, split);
  const body = split < 0 ? '' : text.slice(split + 2);
  const subject = /^subject:[ \t]*(.*(?:\n[ \t].*)*)/im.exec(headers)?.[1].replace(/\n[ \t]+/g, ' ') ?? '';
  return new TextEncoder().encode(`${subject}\n${body}`);
}

/**
 * Byte-level spam classification of messages the caller supplies (e.g. in a browser): tokens are
 * byte + 1 (0 is padding, vocabulary 257) of {@link messageBytes}, truncated to `maxLength`; the
 * label is 1 for spam, 0 for ham.
 */
export function spamFromMessages(
  messages: readonly SpamMessage[],
  options: SpamDatasetOptions = {},
): SequenceDataset {
  if (messages.length === 0) throw new RangeError('messages must hold at least one message');
  const corpus = {
    bytes: messages.map((m) => messageBytes(m.text)),
    labels: Uint8Array.from(messages, (m) => (m.spam ? 1 : 0)),
  };
  const all = Int32Array.from(messages, (_, i) => i);
  return corpusDataset(corpus, all, options);
}

/** The messages of `corpus` at `indices` (in that order) as a byte-level dataset. */
export function corpusDataset(
  corpus: SpamCorpus,
  indices: Int32Array,
  options: SpamDatasetOptions,
): SequenceDataset {
  const maxLength = options.maxLength ?? SPAM_MAX_LENGTH;
  assertInteger('spam maxLength', maxLength, 1);
  return createDataset({
    name: options.name ?? 'spam',
    size: indices.length,
    length: maxLength,
    input: { kind: 'tokens', vocab: 257 },
    target: { kind: 'class', classes: 2 },
    variableLength: true,
    example(i) {
      const bytes = corpus.bytes[indices[i]].subarray(0, maxLength);
      const input = new Int32Array(maxLength);
      for (let t = 0; t < bytes.length; t++) input[t] = bytes[t] + 1;
      return { input, length: bytes.length, target: corpus.labels[indices[i]] };
    },
  });
}

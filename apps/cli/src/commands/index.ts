import type { Command } from '../cli/command';
import { benchCommand } from './bench';
import { evalCommand } from './eval';
import { hippoCommand } from './hippo';
import { streamCommand } from './stream';
import { trainCommand } from './train';

/** Every `statespace` command, in the order the help lists them. */
export const COMMANDS = [
  trainCommand,
  evalCommand,
  streamCommand,
  benchCommand,
  hippoCommand,
] as unknown as readonly Command[];

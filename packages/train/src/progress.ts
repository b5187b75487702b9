/** What the training loop reports after every step (phase `train`) and every evaluation batch (`eval`). */
export interface TrainProgress {
  phase: 'train' | 'eval';
  /** The epoch, from 1. */
  epoch: number;
  epochs: number;
  /** Batches done in this phase of the epoch, from 1. */
  step: number;
  /** Batches of this phase per epoch. */
  stepsPerEpoch: number;
  /** Mean loss of the phase so far in this epoch. */
  loss: number;
  /** Accuracy of the phase so far in this epoch (classification). */
  accuracy?: number;
  /** Examples per second of the phase so far in this epoch. */
  samplesPerSecond: number;
  /** Learning rate of the default parameter group at this step. */
  lr: number;
}

/** The metrics of one finished epoch. */
export interface EpochMetrics {
  /** The epoch, from 1. */
  epoch: number;
  trainLoss: number;
  trainAccuracy?: number;
  testLoss: number;
  testAccuracy?: number;
  /** Wall time of the epoch's training and evaluation (of this process, when it was resumed). */
  seconds: number;
  /** Training examples per second. */
  samplesPerSecond: number;
}

/**
 * S4 and S4D layers with the official parameterisation: SSM kernel modules, FFTConv, S4Block,
 * residual blocks and sequence models, recurrent inference (step by step or chunk by chunk), and
 * safetensors checkpoints under the official key names, so that official weights load unchanged.
 *
 * Conventions are the project's (`docs/architecture.md`): row-major tensors `{ data, shape }`,
 * complex parameters as real tensors with a trailing dimension 2, float64 (reference) or float32
 * (fast path) chosen per model, kernels and convolutions on any `KernelBackend`.
 *
 * @packageDocumentation
 */
export { ACTIVATIONS, type Activation, POINTWISE_ACTIVATIONS, parseActivation } from './activation';
export { activationVjp } from './activation-vjp';
export {
  loadCheckpoint,
  readSafetensors,
  saveCheckpoint,
  writeFileAtomic,
  writeSafetensors,
} from './checkpoint';
export type { ModuleOptions } from './context';
export { DECODER_MODES, type DecoderMode, SequenceDecoder, type SequenceDecoderOptions } from './decoder';
export { Embedding, type EmbeddingOptions } from './embedding';
export { erf, erfc } from './erf';
export {
  FFTCONV_OPTIONS,
  FFTConv,
  type FFTConvForwardOptions,
  type FFTConvOptions,
  type FFTConvOutput,
} from './fftconv';
export { Linear, type LinearOptions } from './linear';
export { ActivatedLinear, linearActivation, type PositionwiseLayer } from './linear-activation';
export { type LinearGrads, linearVjp } from './linear-vjp';
export {
  type LoadStateDictOptions,
  Module,
  type OptimSettings,
  type Parameter,
  type StateArray,
  type StateDict,
  type StateTensor,
} from './module';
export { NORMS, Normalization, type NormName, type NormOptions } from './normalization';
export { RESIDUALS, Residual, type ResidualName, type ResidualOptions } from './residual';
export {
  type ResidualBlockForwardOptions,
  type ResidualBlockOutput,
  SEQUENCE_RESIDUAL_BLOCK_OPTIONS,
  SequenceResidualBlock,
  type SequenceResidualBlockOptions,
} from './residual-block';
export {
  S4BLOCK_OPTIONS,
  S4Block,
  type S4BlockForwardOptions,
  type S4BlockOptions,
  type S4BlockOutput,
} from './s4-block';
export {
  decodeSafetensors,
  encodeSafetensors,
  SAFETENSORS_DTYPES,
  type Safetensors,
  type SafetensorsArray,
  type SafetensorsDType,
  SafetensorsError,
  type SafetensorsTensor,
} from './safetensors';
export {
  type EncoderOptions,
  type SequenceInput,
  SequenceModel,
  type SequenceModelForwardOptions,
  type SequenceModelOptions,
  type SequenceModelOutput,
} from './sequence-model';
export { SSMKernel, type SsmKernelForwardOptions, type SsmKernelParams } from './ssm-kernel';
export {
  SSM_DISCS,
  SSM_KERNEL_MODES,
  SSM_KERNEL_OPTIONS,
  type SsmDisc,
  type SsmKernelConfig,
  type SsmKernelMode,
  type SsmKernelOptions,
  type SsmOptimGroups,
} from './ssm-kernel-options';
export {
  type SsmKernelParamsGrad,
  type SsmKernelStored,
  type SsmKernelStoredGrads,
  ssmKernelParamsVjp,
} from './ssm-kernel-params-vjp';
export type { StepOutput } from './step';
export { type Pullback, Tape } from './tape';

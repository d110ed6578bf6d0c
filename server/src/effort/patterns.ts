/**
 * Project-level patterns (docs/effort-model.md): how a project checks errors and how it starts, selects
 * and resets the device is adapted once per project, not once per file. An API belongs to a pattern by
 * its knowledge-base category; after the first file (in the report's order) that calls it, each further
 * file's use is a small edit (`pattern.fileEdit` of the first file's cost).
 */

export type ProjectPattern = 'error handling' | 'lifecycle';

/** Knowledge-base categories (any library) whose APIs form a project-level pattern. */
const PATTERN_OF_CATEGORY: Readonly<Record<string, ProjectPattern>> = {
  error: 'error handling',
  lifecycle: 'lifecycle',
  init: 'lifecycle',
  context: 'lifecycle',
};

/** Libraries whose `error`/`lifecycle` APIs are host code adapted once (not kernel-side or Python). */
const HOST_LIBRARIES = new Set([
  'runtime',
  'driver',
  'cublas',
  'cublaslt',
  'cudnn',
  'cufft',
  'curand',
  'cusparse',
  'cusolver',
  'nccl',
  'nvrtc',
]);

export function projectPatternOf(f: { library: string; category: string }): ProjectPattern | undefined {
  return HOST_LIBRARIES.has(f.library) ? PATTERN_OF_CATEGORY[f.category] : undefined;
}

export const PATTERN_WHAT: Readonly<Record<ProjectPattern, string>> = {
  'error handling': 'status checks and error strings (cudaGetLastError, cudaGetErrorString, check macros) adapted to aclError',
  lifecycle:
    'device selection, initialisation and reset (cudaSetDevice, cudaDeviceReset, cuInit, contexts) adapted to aclInit/aclrtSetDevice/aclrtResetDevice',
};

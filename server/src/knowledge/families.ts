/**
 * Recognises NVIDIA names that have no mapping entry: the names the CUDA headers declare
 * (nvidia-names.json, generated from the toolkit) and the documented library prefixes.
 * Prefix rules are deliberately strict (a capital or underscore must follow the prefix) so user names
 * such as `checkCudaErrors`, `myCudaMalloc` or `cudaCores` (a field) are not caught; the scanner also
 * drops prefix-only matches for names the file itself declares.
 */
import names from './nvidia-names.json';

export interface Family {
  library: string;
  /** How the name was recognised: from the toolkit's headers, or by its documented prefix. */
  source: 'headers' | 'prefix';
}

const declared = new Map<string, string>();
for (const [library, list] of Object.entries(names)) {
  if (Array.isArray(list)) for (const n of list) declared.set(n, library);
}

/** Library prefixes from NVIDIA's API references: functions/types (camelCase) and constants (UPPER_). */
const prefixRules: Array<[RegExp, string]> = [
  [/^cuda[A-Z]\w*$/, 'runtime'],
  [/^(CUDART|CUDA)_[A-Z0-9_]+$/, 'runtime'],
  [/^CU_[A-Z0-9_]+$/, 'driver'],
  [/^CU[a-z]\w*$/, 'driver'],
  [/^cublas(Lt)?[A-Z]\w*$/, 'cublas'],
  [/^CUBLAS(LT)?_[A-Z0-9_]+$/, 'cublas'],
  [/^cudnn[A-Z]\w*$/, 'cudnn'],
  [/^CUDNN_[A-Z0-9_]+$/, 'cudnn'],
  [/^cufft[A-Z]\w*$/, 'cufft'],
  [/^CUFFT_[A-Z0-9_]+$/, 'cufft'],
  [/^curand[A-Z_]\w*$/, 'curand'],
  [/^CURAND_[A-Z0-9_]+$/, 'curand'],
  [/^cusparse[A-Z]\w*$/, 'cusparse'],
  [/^CUSPARSE_[A-Z0-9_]+$/, 'cusparse'],
  [/^cusolver(Dn|Sp|Rf|Mg)?[A-Z]\w*$/, 'cusolver'],
  // CUSOLVERDN_GETRF (cusolverDnFunction_t) and the other sub-libraries' constants.
  [/^CUSOLVER(DN|SP|RF|MG)?_[A-Z0-9_]+$/, 'cusolver'],
  [/^nccl[A-Z]\w*$/, 'nccl'],
  [/^NCCL_[A-Z0-9_]+$/, 'nccl'],
  [/^nvrtc[A-Z]\w*$/, 'nvrtc'],
  [/^NVRTC_[A-Z0-9_]+$/, 'nvrtc'],
  [/^nvtx[A-Z]\w*$/, 'nvtx'],
  [/^NVTX_[A-Z0-9_]+$/, 'nvtx'],
  [/^nvml[A-Z]\w*$/, 'nvml'],
  [/^NVML_[A-Z0-9_]+$/, 'nvml'],
  [/^cupti[A-Z]\w*$/, 'cupti'],
  [/^CUPTI_[A-Z0-9_]+$/, 'cupti'],
  // Compiler-defined CUDA macros: __CUDA_ARCH__, __CUDACC__, __CUDACC_VER_MAJOR__, __NVCC__.
  [/^__(CUDA|CUDACC|NVCC)\w*__$/, 'compiler'],
];

/**
 * C++ namespaces that belong to NVIDIA libraries (qualified names under them are NVIDIA symbols). No
 * prototype: the scanner asks `name in nvidiaNamespaces` for source identifiers such as `constructor`.
 */
export const nvidiaNamespaces: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  thrust: 'thrust',
  cub: 'cub',
  cooperative_groups: 'cooperative_groups',
  nvcuda: 'wmma',
  cuda: 'libcudacxx',
  cutlass: 'cutlass',
  cute: 'cutlass',
  cudnn_frontend: 'cudnn',
});

/** Kernel built-ins and keywords the compiler provides (no header declares them). */
export const kernelBuiltins = new Set(['threadIdx', 'blockIdx', 'blockDim', 'gridDim', 'warpSize']);

/** One test for every prefix rule: the scanner's cheap first filter over all tokens of a file. */
const anyPrefix = new RegExp(
  prefixRules
    .map(([re]) => `(?:${re.source.slice(1, -1)})`)
    .join('|')
    .replace(/^/, '^(?:')
    .concat(')$'),
);

/**
 * The first two characters a name must have to match any prefix rule ('cu', 'CU', 'nc', ...), read from
 * the rules themselves (each starts with a literal, or with a group of literal alternatives).
 */
export function prefixRuleLeads(): string[] {
  const leads = new Set<string>();
  for (const [re] of prefixRules) {
    const body = re.source.slice(1); // after ^
    const group = /^\(([^)]*)\)/.exec(body);
    for (const alternative of group ? group[1].split('|') : [body]) leads.add(alternative.slice(0, 2));
  }
  return [...leads];
}

/** Does `name` match a library prefix rule? */
export function hasNvidiaPrefix(name: string): boolean {
  // Every prefix rule starts with c, C, n, N or _: skip the regex for all other tokens.
  const c = name.charCodeAt(0);
  return (c === 99 || c === 67 || c === 110 || c === 78 || c === 95) && anyPrefix.test(name);
}

/** Every name the header catalogue declares, plus the kernel built-ins. */
export function catalogueNames(): IterableIterator<string> {
  return [...declared.keys(), ...kernelBuiltins][Symbol.iterator]();
}

/** Classifies an identifier that has no mapping entry; undefined when it is not an NVIDIA name. */
export function nvidiaFamily(name: string): Family | undefined {
  const fromHeaders = declared.get(name);
  if (fromHeaders) return { library: fromHeaders, source: 'headers' };
  if (kernelBuiltins.has(name)) return { library: 'kernel', source: 'headers' };
  for (const [re, library] of prefixRules) if (re.test(name)) return { library, source: 'prefix' };
  return undefined;
}

/** NVIDIA header families, by the path written in `#include`. */
const headerRules: Array<[RegExp, string]> = [
  [
    /^(cuda|cudart|cuda_runtime|cuda_runtime_api|driver_types|driver_functions|vector_types|vector_functions|builtin_types|device_types|device_functions|device_launch_parameters|channel_descriptor|surface_types|texture_types|texture_fetch_functions|math_constants|library_types|host_defines|crt\/[\w.]+|sm_\d+_\w+|cuda_[\w]+)\.h(pp)?$/,
    'runtime',
  ],
  [/^cuComplex\.h$/, 'runtime'],
  [/^(cudaProfiler|cudaTypedefs|cudaGL|cudaEGL|cudaVDPAU)\.h$/, 'driver'],
  [/^cuda\/[\w/]+$/, 'libcudacxx'],
  [/^(cublas|cublasLt|cublasXt|cublas_v2|cublas_api)[\w]*\.h$/, 'cublas'],
  [/^cudnn[\w]*\.h$/, 'cudnn'],
  [/^cufft[\w]*\.h$/, 'cufft'],
  [/^curand[\w]*\.h$/, 'curand'],
  [/^cusparse[\w]*\.h$/, 'cusparse'],
  [/^cusolver[\w]*\.h$/, 'cusolver'],
  [/^nccl[\w]*\.h$/, 'nccl'],
  [/^nvrtc[\w]*\.h$/, 'nvrtc'],
  [/^(nvtx3\/)?nvToolsExt[\w]*\.h$/, 'nvtx'],
  [/^nvml\.h$/, 'nvml'],
  [/^cupti[\w]*\.h$/, 'cupti'],
  [/^thrust\/[\w/.]+$/, 'thrust'],
  [/^cub\/[\w/.]+$/, 'cub'],
  [/^cooperative_groups(\.h|\/[\w/.]+)$/, 'cooperative_groups'],
  [/^mma\.h$/, 'wmma'],
  [/^(cutlass|cute)\/[\w/.]+$/, 'cutlass'],
  [/^helper_cuda\.h$/, 'samples'],
];

export function nvidiaHeader(includePath: string): string | undefined {
  for (const [re, library] of headerRules) if (re.test(includePath)) return library;
  return undefined;
}

/**
 * What a file tells about the project's structure beyond its findings: the extensions a Python build
 * declares (setup.py `CUDAExtension`, `load`, `load_inline`), the CMake targets and their sources, and the
 * modules Python code loads. links.ts joins these across files into "one picture": Python call site ->
 * extension -> its sources and kernels -> its build target.
 */
export type SourceLanguage = 'cuda' | 'python' | 'cmake' | 'make';

export interface ExtensionDecl {
  /** Module name (`flash_attn_2_cuda`, `extension_cpp._C`) or CMake target name. */
  name: string;
  /** How it is built: torch.utils.cpp_extension's CUDAExtension/CppExtension/load/load_inline, or a CMake target command. */
  via: string;
  /** Source files as written (relative to the declaring file's folder), literal strings only. */
  sources: string[];
  /** Sources given by an expression the scan cannot evaluate (glob, os.path.join with variables...). */
  unresolvedSources: boolean;
  /** Inline CUDA source text (load_inline's cuda_sources). */
  inlineCuda: boolean;
  line: number;
}

export interface ModuleUse {
  /** The module as imported (`flash_attn_2_cuda`, `extension_cpp._C`), or the torch.ops namespace. */
  module: string;
  via: 'import' | 'torch.ops';
  line: number;
}

/** A C++ registration with Python (bindings.ts). */
export interface Binding {
  macro: string;
  /** The operator namespace (TORCH_LIBRARY*) or module name (PYBIND11_MODULE; often TORCH_EXTENSION_NAME). */
  name: string;
  line: number;
}

export interface FileFacts {
  extensions: ExtensionDecl[];
  uses: ModuleUse[];
  /** C++/CUDA files only. */
  bindings?: Binding[];
  /** C++/CUDA files only: `#include "..."` paths as written (project headers, where kernels often live). */
  includes?: string[];
}

/**
 * nvcc and NVIDIA link flags inside build text (a Makefile recipe or variable, a CMake argument), read
 * word by word: the build file's parser has already told which text is a value or a command line
 * (not a comment, not a target name), so each blank-separated word here is one flag.
 */
import type { Family } from '../../knowledge/families';

/** NVIDIA libraries linked by name (`-lcublas`, `target_link_libraries(x cublas)`). */
export const NVIDIA_LINK_LIBRARIES = new Set([
  'cudart',
  'cudart_static',
  'cuda',
  'cublas',
  'cublasLt',
  'cublas_static',
  'cufft',
  'cufftw',
  'curand',
  'cusparse',
  'cusolver',
  'nccl',
  'nccl_static',
  'nvrtc',
  'cudnn',
  'nvToolsExt',
  'nvJitLink',
  'cupti',
  'nvidia-ml',
  'npp',
  'nvjpeg',
]);

export interface FlagHit {
  symbol: string;
  start: number;
  end: number;
  family?: Family;
}

const BUILD: Family = { library: 'build', source: 'headers' };

/** One word of a command line or value: its NVIDIA-specific meaning, if any. `offset`: the word's start in the file. */
export function flagOf(word: string, offset: number): FlagHit | undefined {
  // The compiler itself: `nvcc`, `/usr/local/cuda/bin/nvcc`.
  if (word === 'nvcc' || /\/nvcc$/.test(word)) return { symbol: 'nvcc (compiler)', start: offset, end: offset + word.length };
  if (/^(-arch|--gpu-architecture)=?(sm|compute)_\w+$/.test(word) || /^-arch=native$/.test(word)) {
    return { symbol: '-arch=sm_XX', start: offset, end: offset + word.length };
  }
  if (word === '-gencode' || word === '--generate-code' || /^(-gencode|--generate-code)=/.test(word)) {
    return { symbol: '-gencode', start: offset, end: offset + word.length };
  }
  const lib = /^-l(\S+)$/.exec(word);
  if (lib && NVIDIA_LINK_LIBRARIES.has(lib[1])) return linkHit(lib[1], offset, word.length);
  if (/^-(rdc|-relocatable-device-code)=true$/.test(word))
    return { symbol: '-rdc=true', start: offset, end: offset + word.length, family: BUILD };
  if (word === '--use_fast_math' || word === '-use_fast_math')
    return { symbol: '--use_fast_math', start: offset, end: offset + word.length, family: BUILD };
  if (word === '--expt-relaxed-constexpr' || word === '--expt-extended-lambda' || word === '--extended-lambda') {
    return { symbol: word, start: offset, end: offset + word.length, family: BUILD };
  }
  return undefined;
}

/** A library linked by name: `-l<name>` whatever the build file wrote. */
export function linkHit(name: string, offset: number, length: number): FlagHit {
  return { symbol: `-l${name}`, start: offset, end: offset + length, family: BUILD };
}

/** Every flag among the blank-separated words of `text` (which starts at `offset` in the file). */
export function flagsIn(text: string, offset: number): FlagHit[] {
  const out: FlagHit[] = [];
  for (const m of text.matchAll(/[^\s"']+/g)) {
    const hit = flagOf(m[0], offset + m.index);
    if (hit) out.push(hit);
  }
  return out;
}

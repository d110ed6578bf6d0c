/**
 * Deterministic synthetic CUDA corpus for the benchmarks: host runtime code, kernels, library calls,
 * macros and headers, in files from ~100 to ~20,000 lines. Same seed, same bytes, on every machine.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

function rng(seed: number): () => number {
  // mulberry32: small, fast, and good enough for picking templates.
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HEADER = (i: number) => `// generated file ${i}
#include <cstdio>
#include <vector>
#include <cuda_runtime.h>
#include <cublas_v2.h>
#include <nccl.h>
#include "common/check.cuh"
#define CHECK_${i}(x) do { cudaError_t e = (x); if (e != cudaSuccess) { std::fprintf(stderr, "%s\\n", cudaGetErrorString(e)); } } while (0)
`;

const BLOCKS: Array<(n: number, i: number) => string> = [
  (n, i) => `
// Host staging for batch ${n}: allocate, copy in, run, copy out.
static void stage_${n}(float *host, size_t count, cudaStream_t stream) {
  float *dev = nullptr;
  size_t bytes = count * sizeof(float);
  CHECK_${i}(cudaMalloc(&dev, bytes));
  CHECK_${i}(cudaMemcpyAsync(dev, host, bytes, cudaMemcpyHostToDevice, stream));
  CHECK_${i}(cudaMemsetAsync(dev, 0, 16, stream));
  CHECK_${i}(cudaStreamSynchronize(stream));
  CHECK_${i}(cudaMemcpy(host, dev, bytes, cudaMemcpyDeviceToHost));
  CHECK_${i}(cudaFree(dev));
}
`,
  (n) => `
__global__ void __launch_bounds__(256) reduce_${n}(const float *__restrict__ in, float *out, int count) {
  __shared__ float partial[32];
  int idx = blockIdx.x * blockDim.x + threadIdx.x;
  float v = idx < count ? __ldg(&in[idx]) : 0.0f;
  for (int o = warpSize / 2; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
  if ((threadIdx.x & 31) == 0) partial[threadIdx.x / 32] = v;
  __syncthreads();
  if (threadIdx.x == 0) {
    float s = 0.0f;
    for (int w = 0; w < blockDim.x / 32; ++w) s += partial[w];
    atomicAdd(out, s);
  }
}
`,
  (n) => `
// Plain C++ utility code with no CUDA in it: parsing cost without findings.
namespace util_${n} {
struct Range { int begin; int end; int step; };
inline int clamp(int v, int lo, int hi) { return v < lo ? lo : (v > hi ? hi : v); }
template <typename T> T sum(const std::vector<T> &xs) {
  T total{};
  for (const auto &x : xs) total += x;
  return total;
}
inline std::vector<int> expand(const Range &r) {
  std::vector<int> out;
  for (int i = r.begin; i < r.end; i += r.step) out.push_back(clamp(i, 0, 1 << 20));
  return out;
}
}  // namespace util_${n}
`,
  (n, i) => `
static void timed_gemm_${n}(cublasHandle_t handle, const float *a, const float *b, float *c, int m, cudaStream_t s) {
  cudaEvent_t start, stop;
  CHECK_${i}(cudaEventCreate(&start));
  CHECK_${i}(cudaEventCreate(&stop));
  CHECK_${i}(cudaEventRecord(start, s));
  const float alpha = 1.0f, beta = 0.0f;
  cublasSetStream(handle, s);
  cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, m, m, m, &alpha, a, m, b, m, &beta, c, m);
  CHECK_${i}(cudaEventRecord(stop, s));
  CHECK_${i}(cudaEventSynchronize(stop));
  float ms = 0.0f;
  CHECK_${i}(cudaEventElapsedTime(&ms, start, stop));
  std::printf("gemm ${n}: %.3f ms\\n", ms);
  CHECK_${i}(cudaEventDestroy(start));
  CHECK_${i}(cudaEventDestroy(stop));
}
`,
  (n) => `
static void allreduce_${n}(float *grad, size_t count, ncclComm_t comm, cudaStream_t stream) {
  ncclGroupStart();
  ncclAllReduce(grad, grad, count, ncclFloat, ncclSum, comm, stream);
  ncclGroupEnd();
}
__global__ void scale_${n}(float *x, float a, int count) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < count) x[i] = __fmul_rn(x[i], a) + __expf(-x[i]);
}
static void launch_scale_${n}(float *x, int count, cudaStream_t stream) {
  dim3 block(256), grid((count + 255) / 256);
  scale_${n}<<<grid, block, 0, stream>>>(x, 0.5f, count);
}
`,
];

export interface CorpusSpec {
  files: number;
  totalBytes: number;
  seed: number;
}

/** Writes the corpus into `dir` (emptied first); returns file count and total bytes. */
export function generateCorpus(dir: string, spec: CorpusSpec): { files: number; bytes: number } {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(path.join(dir, 'common'), { recursive: true });
  const rand = rng(spec.seed);
  // File sizes: mostly small, a long tail up to ~20k lines (log-uniform between 100 and 20,000 lines).
  const lines = Array.from({ length: spec.files }, () => Math.round(100 * Math.pow(200, rand() ** 2)));
  const totalLines = lines.reduce((a, b) => a + b, 0);
  const bytesPerLine = 34; // measured average of the templates above
  const scale = spec.totalBytes / (totalLines * bytesPerLine);
  let bytes = 0;
  fs.writeFileSync(path.join(dir, 'common', 'check.cuh'), '#pragma once\n#include <cuda_runtime.h>\n#define CHECK(x) (x)\n');
  for (let i = 0; i < spec.files; i++) {
    const target = Math.max(100, Math.round(lines[i] * scale));
    const parts = [HEADER(i)];
    let count = parts[0].split('\n').length;
    for (let n = 0; count < target; n++) {
      // Half the blocks are plain C++ (as in real code bases, most lines do not touch CUDA APIs).
      const pick = rand() < 0.5 ? 2 : Math.floor(rand() * BLOCKS.length);
      const block = BLOCKS[pick](n, i);
      parts.push(block);
      count += block.split('\n').length - 1;
    }
    const text = parts.join('');
    const ext = i % 10 === 0 ? '.cuh' : i % 4 === 0 ? '.cpp' : '.cu';
    const sub = path.join(dir, `module${i % 20}`);
    fs.mkdirSync(sub, { recursive: true });
    fs.writeFileSync(path.join(sub, `file${i}${ext}`), text);
    bytes += Buffer.byteLength(text);
  }
  return { files: spec.files + 1, bytes };
}

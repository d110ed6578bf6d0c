/**
 * Warming up the parser when the language server starts. V8 first runs WebAssembly with its baseline
 * compiler and optimises hot functions in the background; the first large parse on a cold parser is
 * 2-3x slower than later ones (bench: ~200 ms vs ~60 ms for 5,000 lines). Parsing and analysing some
 * typical CUDA once at start-up, before the user opens a file, moves that cost out of the way.
 */
import type { KnowledgeBase } from '../knowledge';
import { analyzeTree } from './analyze';
import type { CudaParser } from './parser';

const SAMPLE = `#include <cuda_runtime.h>
#define CHECK(x) do { cudaError_t e = (x); if (e != cudaSuccess) return e; } while (0)
__global__ void __launch_bounds__(256) reduce(const float *__restrict__ in, float *out, int n) {
  __shared__ float tile[32];
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  float v = i < n ? __ldg(&in[i]) : 0.0f;
  for (int o = warpSize / 2; o > 0; o >>= 1) v += __shfl_down_sync(0xffffffff, v, o);
  if ((threadIdx.x & 31) == 0) tile[threadIdx.x / 32] = v;
  __syncthreads();
  if (threadIdx.x == 0) atomicAdd(out, tile[0]);
}
static cudaError_t run(const float *host, float *result, int n, cudaStream_t stream) {
  float *dev = nullptr, *sum = nullptr;
  CHECK(cudaMalloc(&dev, n * sizeof(float)));
  CHECK(cudaMalloc(&sum, sizeof(float)));
  CHECK(cudaMemcpyAsync(dev, host, n * sizeof(float), cudaMemcpyHostToDevice, stream));
  reduce<<<(n + 255) / 256, 256, 0, stream>>>(dev, sum, n);
  CHECK(cudaMemcpy(result, sum, sizeof(float), cudaMemcpyDeviceToHost));
  CHECK(cudaFree(dev));
  return cudaFree(sum);
}
namespace util { struct Range { int begin, end; }; inline int clamp(int v, int lo, int hi) { return v < lo ? lo : v > hi ? hi : v; } }
`;

/** Parses and analyses ~60 KB of typical CUDA twice; the result is thrown away. */
export function warmUp(parser: CudaParser, kb: KnowledgeBase): void {
  const text = SAMPLE.repeat(40);
  for (let i = 0; i < 2; i++) {
    const tree = parser.parse(text);
    try {
      analyzeTree(tree, text, parser, { kb, target: 'a2a3' });
    } finally {
      tree.delete();
    }
  }
}

import { describe, expect, it } from 'vitest';
import { builtinFiles } from '../../../server/src/knowledge/data';
import type { MappingEntry } from '../../../server/src/knowledge';

const entriesOf = (name: string) => (builtinFiles[name] as { entries: MappingEntry[] }).entries;
const lookup = (file: string, name: string): MappingEntry => {
  const e = entriesOf(file).find((x) => x.cuda.includes(name));
  if (!e) throw new Error(`no entry for ${name}`);
  return e;
};

// Expected values copied by hand from: Ascend/pytorch torch_npu/npu/__init__.py (__all__), torch_npu/npu/amp/
// __init__.py, torch_npu/utils/cpp_extension.py (NpuExtension); the PyTorch training migration guide
// (manual migration: torch.device('npu:N'), model.npu(), backend='hccl', torch_npu.npu.set_device); CANN
// asc-devkit docs/zh/guide/编程指南/编译与运行/算子编译/AI-Core算子编译基本用法.md (find_package(ASC), LANGUAGES ASC,
// CMAKE_ASC_ARCHITECTURES dav-2201 / dav-3510, bisheng --npu-arch, -dc) and cmake/asc/asc_modules/FindASC.cmake.
describe('PyTorch mappings match torch_npu and its migration guide', () => {
  it('torch.cuda functions map to the same names under torch_npu.npu and import torch_npu', () => {
    for (const name of ['synchronize', 'set_device', 'is_available', 'empty_cache', 'manual_seed', 'Stream', 'Event']) {
      const e = lookup('pytorch.json', `torch.cuda.${name}`);
      expect(e.ascend).toBe(`torch_npu.npu.${name}`);
      expect(e.fix).toEqual({ rename: `torch_npu.npu.${name}`, header: 'torch_npu' });
    }
  });

  it('devices become "npu", NCCL becomes HCCL, .cuda() becomes .npu(); only device and backend positions are safe', () => {
    expect(lookup('pytorch.json', 'device:cuda').fix).toEqual({ rename: 'npu', header: 'torch_npu' });
    expect(lookup('pytorch.json', 'backend:nccl').fix).toEqual({ rename: 'hccl', header: 'torch_npu' });
    expect(lookup('pytorch.json', 'Tensor.cuda').fix).toEqual({ rename: 'npu', header: 'torch_npu' });
    expect(lookup('pytorch.json', '"cuda"').fix?.safe).toBe(false);
    expect(lookup('pytorch.json', '"nccl"').fix?.safe).toBe(false);
  });

  it('extensions are built with NpuExtension after porting; cupy and numba.cuda have no NPU equivalent', () => {
    expect(lookup('pytorch.json', 'torch.utils.cpp_extension.CUDAExtension').ascend).toBe('torch_npu.utils.cpp_extension.NpuExtension');
    expect(lookup('pytorch.json', 'torch.utils.cpp_extension.CUDAExtension').mapping).toBe('manual');
    expect(lookup('pytorch.json', 'cupy').mapping).toBe('none');
    expect(lookup('pytorch.json', 'numba.cuda').mapping).toBe('none');
    expect(lookup('pytorch.json', 'torch.cuda.amp.GradScaler').ascend).toBe('torch_npu.npu.amp.GradScaler');
  });
});

describe('build mappings match CANN asc-devkit', () => {
  it('CUDA as a CMake language becomes find_package(ASC) and the ASC language; architectures become dav-<arch>', () => {
    expect(lookup('build.json', 'project(CUDA)').ascend).toBe('ASC');
    expect(lookup('build.json', 'find_package(CUDAToolkit)').ascend).toBe('find_package(ASC)');
    expect(lookup('build.json', 'CMAKE_CUDA_ARCHITECTURES (CMake)').ascend).toBe('CMAKE_ASC_ARCHITECTURES');
    expect(lookup('build.json', 'cuda_add_library()').ascend).toBe('ascendc_library');
    expect(lookup('build.json', 'nvcc (compiler)').ascend).toBe('bisheng');
    expect(lookup('build.json', '-arch=sm_XX').ascend).toBe('--npu-arch=dav-<arch>');
    expect(lookup('build.json', '-rdc=true').ascend).toBe('-dc');
  });

  it('link flags have review-only fixes; no build key can be a C++ identifier (the C++ scanner never matches them)', () => {
    expect(lookup('build.json', '-lcudart').fix).toEqual({ rename: '-lascendcl', safe: false });
    expect(lookup('build.json', '-lnccl').fix).toEqual({ rename: '-lhccl', safe: false });
    const identifierShaped = [...entriesOf('build.json'), ...entriesOf('pytorch.json')]
      .flatMap((e) => e.cuda)
      .filter((n) => /^[A-Za-z_]\w*$/.test(n));
    expect(identifierShaped).toEqual(['cupy', 'cupyx', 'pycuda']);
  });

  it('the C++ scanner does not take those Python module names for NVIDIA API', async () => {
    const { analyzeText } = await import('../../../server/src/analysis/analyze');
    const { KnowledgeBase } = await import('../../../server/src/knowledge');
    const a = await analyzeText('int cupy = 0, pycuda = 1, cupyx = cupy + pycuda;\n', { kb: KnowledgeBase.builtin(), target: 'a2a3' });
    expect(a.findings).toEqual([]);
  });
});

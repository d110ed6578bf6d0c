/**
 * The Python scanner on hand-written fixtures (test/fixtures/python). Expected findings were written by
 * reading each fixture line against the torch_npu migration guide, not copied from output.
 */
import { describe, expect, it } from 'vitest';
import { analyzeOtherText } from '../../../server/src/analysis/languages';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { fixText } from '../../../server/src/fix';
import { fixture } from '../../helpers/analyze';

const kb = KnowledgeBase.builtin();
const analyse = (text: string) => analyzeOtherText(text, 'python', { kb, target: 'a2a3' });
const rows = async (text: string) => (await analyse(text)).findings.map((f) => `${f.line}:${f.column} ${f.symbol} ${f.kind}`);

describe('Python scanner', () => {
  it('finds each PyTorch CUDA construct of train.py, and nothing in comments, docstrings or other strings', async () => {
    expect(await rows(fixture('python/train.py'))).toEqual([
      '7:6 torch.cuda.amp manual', // from torch.cuda.amp import ...
      '10:24 device:cuda rename', // torch.device("cuda:0")
      '11:4 torch.cuda.is_available rename',
      '12:5 torch.cuda.set_device rename',
      '13:31 Tensor.cuda rename', // .cuda()
      '14:27 device:cuda rename', // device="cuda"
      '15:11 device:cuda rename', // x.to("cuda")
      '16:10 torch.cuda.amp.GradScaler rename', // imported name, resolved through the import
      '17:6 torch.cuda.amp.autocast rename',
      '19:1 torch.backends.cudnn.benchmark manual',
      '20:1 torch.cuda.synchronize rename',
      '21:34 backend:nccl rename', // backend="nccl"
      '22:34 "nccl" rename', // a comparison: needs review
      '24:9 "cuda" rename', // a variable: needs review
      // line 25 carries ascendify-ignore; line 26's "cudaMalloc" is not a device string
      '27:19 device:cuda rename', // a variable named for a device
      '28:16 torch.cuda.get_device_capability manual',
      '28:50 device:cuda rename', // the device argument of a torch.cuda function
      // 29: os.path.join("csrc", "cuda") names a folder
      '30:21 device:cuda rename', // a parameter named device
    ]);
  });

  it('resolves aliases and from-imports; a method named cuda on a user class is not a call site', async () => {
    expect(await rows(fixture('python/alias.py'))).toEqual([
      '2:19 torch.cuda manual', // from torch import cuda
      '3:8 cupy none',
      '4:19 numba.cuda none',
      '5:8 pycuda manual',
      '7:1 torch.cuda.manual_seed rename', // th.cuda.manual_seed
      '8:1 torch.cuda.synchronize rename', // cuda.synchronize with cuda from torch
      '9:5 cupy none', // cp.zeros
      '12:2 numba.cuda none', // @nb_cuda.jit
      '18:14 Tensor.cuda rename', // t.cuda(non_blocking=True)
    ]);
  });

  it('flags cpp_extension builds only when they compile CUDA, and records extensions and module uses', async () => {
    const a = await analyse(fixture('python/ops.py'));
    expect(a.findings.map((f) => `${f.line} ${f.symbol}`)).toEqual([
      '6 torch.utils.cpp_extension.load', // sources include a .cu file
      '8 torch.utils.cpp_extension.load_inline', // cuda_sources=
    ]);
    expect(a.facts!.extensions.map((e) => [e.name, e.via, e.sources, e.inlineCuda])).toEqual([
      ['jit_ext', 'load', ['jit/kernel.cu', 'jit/bind.cpp'], false],
      ['cpu_ext', 'load', ['cpu.cpp'], false],
      ['inline_ext', 'load_inline', [], true],
    ]);
    const uses = a.facts!.uses.map((u) => `${u.via}:${u.module}`);
    expect(uses).toContain('import:my_ext._C');
    expect(uses).toContain('torch.ops:my_ext');
  });

  it('reads setup.py: CUDAExtension names and literal sources, glob sources marked unresolved', async () => {
    const a = await analyse(fixture('python/setup.py'));
    expect(a.findings.map((f) => `${f.line} ${f.symbol}`)).toEqual([
      '5 torch.utils.cpp_extension.CUDA_HOME',
      '9 torch.utils.cpp_extension.CUDAExtension',
      '13 torch.utils.cpp_extension.CUDAExtension',
    ]);
    expect(a.facts!.extensions).toEqual([
      {
        name: 'my_ext._C',
        via: 'CUDAExtension',
        sources: ['csrc/muladd.cpp', 'csrc/muladd_kernel.cu'],
        unresolvedSources: false,
        inlineCuda: false,
        line: 9,
      },
      { name: 'other_ext', via: 'CUDAExtension', sources: [], unresolvedSources: true, inlineCuda: false, line: 13 },
    ]);
  });

  it('fix-all rewrites the safe ones and adds import torch_npu after the last import', async () => {
    const text =
      'from __future__ import annotations\nimport torch\n\nx = torch.ones(2).cuda()\ntorch.cuda.synchronize()\nif kind == "cuda":\n    pass\n';
    const result = await fixText(text, { kb, target: 'a2a3' }, 'python');
    expect(result.text).toBe(
      'from __future__ import annotations\nimport torch\nimport torch_npu\n\nx = torch.ones(2).npu()\ntorch_npu.npu.synchronize()\nif kind == "cuda":\n    pass\n',
    );
    expect(result.headersAdded).toEqual(['torch_npu']);
  });

  it('does not import torch_npu twice', async () => {
    const text = 'import torch\nfrom torch_npu.contrib import transfer_to_npu\nx.cuda()\n';
    expect((await fixText(text, { kb, target: 'a2a3' }, 'python')).text).toBe(
      'import torch\nfrom torch_npu.contrib import transfer_to_npu\nx.npu()\n',
    );
  });
});

describe('extension declarations written the way real setup.py files write them', () => {
  it('resolves an extension class chosen by a condition and a name built with an f-string', async () => {
    const text = [
      'from torch.utils.cpp_extension import CUDAExtension, CppExtension',
      'library_name = "my_lib"',
      'def get_extensions(use_cuda):',
      '    extension = CUDAExtension if use_cuda else CppExtension',
      '    return [extension(f"{library_name}._C", sources)]',
      '',
    ].join('\n');
    const a = await analyse(text);
    expect(a.facts!.extensions).toEqual([
      { name: 'my_lib._C', via: 'CUDAExtension', sources: [], unresolvedSources: true, inlineCuda: false, line: 5 },
    ]);
    // The class itself is reported where it is named (line 4), not again at the variable's call.
    expect(a.findings.map((f) => `${f.line} ${f.symbol}`)).toEqual(['4 torch.utils.cpp_extension.CUDAExtension']);
  });
});

describe('C++ registrations with Python', () => {
  it('finds TORCH_LIBRARY namespaces and PYBIND11_MODULE names in code, not in comments', async () => {
    const { getParser } = await import('../../../server/src/analysis/parser');
    const { bindingsIn } = await import('../../../server/src/analysis/languages');
    const { lineStartsOf } = await import('../../../server/src/analysis/resolve');
    const text =
      '// TORCH_LIBRARY(not_this, m)\nTORCH_LIBRARY(my_lib, m) { m.def("f(Tensor a) -> Tensor"); }\nTORCH_LIBRARY_IMPL(my_lib, CUDA, m) {}\nPYBIND11_MODULE(TORCH_EXTENSION_NAME, m) {}\n';
    const tree = (await getParser()).parse(text);
    try {
      expect(bindingsIn(tree, text, lineStartsOf(text))).toEqual([
        { macro: 'TORCH_LIBRARY', name: 'my_lib', line: 2 },
        { macro: 'TORCH_LIBRARY_IMPL', name: 'my_lib', line: 3 },
        { macro: 'PYBIND11_MODULE', name: 'TORCH_EXTENSION_NAME', line: 4 },
      ]);
    } finally {
      tree.delete();
    }
  });
});

describe('regressions from real code', () => {
  it('flash-attention test_gpt_parallel.py: capability check, NCCL group, per-rank device f-string', async () => {
    expect(await rows(fixture('python/real/flash_attn_gpt_parallel.py'))).toEqual([
      '6:11 torch.cuda.get_device_capability manual',
      '6:45 device:cuda rename',
      '11:55 backend:nccl rename',
      '12:16 device:cuda rename', // device = f"cuda:{rank}"
    ]);
  });
});

// Over 400 lines: one case per recipe form of the fix engine, each a small hand-written program.
import { describe, expect, it } from 'vitest';
import { analysed, fixed } from '../../helpers/fix';
import { applyEdits, assertDisjoint, isQuickFix } from '../../../server/src/fix';

const lines = (...l: string[]) => l.join('\n');

describe('rename recipes', () => {
  it('replaces the name and adds the header after the last #include', async () => {
    const r = await fixed(
      lines('#include <cstdio>', '#include <vector>', 'void f() { cudaStream_t s; cudaError_t ok = cudaSuccess; }', ''),
    );
    expect(r.text).toBe(
      lines('#include <cstdio>', '#include <vector>', '#include <acl/acl.h>', 'void f() { aclrtStream s; aclError ok = ACL_SUCCESS; }', ''),
    );
    expect(r.applied.map((f) => f.symbol)).toEqual(['cudaStream_t', 'cudaError_t', 'cudaSuccess']);
    expect(r.headersAdded).toEqual(['acl/acl.h']);
  });

  it('with an arity, renames only calls with that many arguments (CUDA default arguments)', async () => {
    const r = await fixed(
      lines('#include <acl/acl.h>', 'void f(void *e) {', '  cudaStream_t s;', '  cudaEventRecord(e, s);', '  cudaEventRecord(e);', '}', ''),
    );
    expect(r.text).toBe(
      lines('#include <acl/acl.h>', 'void f(void *e) {', '  aclrtStream s;', '  aclrtRecordEvent(e, s);', '  cudaEventRecord(e);', '}', ''),
    );
    const left = r.skipped.find((s) => s.finding.symbol === 'cudaEventRecord');
    expect(left?.finding.line).toBe(5);
    expect(left?.reason).toMatch(/called with 1 argument; the rewrite to 'aclrtRecordEvent' expects 2/);
  });
});

describe('call recipes', () => {
  it('reorders and inserts arguments, fixing the enum inside the rewritten text', async () => {
    const r = await fixed(
      lines('#include <acl/acl.h>', 'void f(float *d, float *h, size_t n) { cudaMemcpy(d, h, n, cudaMemcpyHostToDevice); }', ''),
    );
    expect(r.text).toBe(
      lines('#include <acl/acl.h>', 'void f(float *d, float *h, size_t n) { aclrtMemcpy(d, n, h, n, ACL_MEMCPY_HOST_TO_DEVICE); }', ''),
    );
    // One edit for the whole call: the nested rename is inside it, not a second (overlapping) edit.
    expect(r.edits).toHaveLength(1);
    expect(r.applied.map((f) => f.symbol)).toEqual(['cudaMemcpy', 'cudaMemcpyHostToDevice']);
  });

  it('casts arguments, without doubling a cast the source already has', async () => {
    const r = await fixed(
      lines(
        '#include <acl/acl.h>',
        'void f(float *p, int n) {',
        '  cudaMalloc(&p, 64);',
        '  cudaMalloc((void **)&p, 64);',
        '  cudaGetDeviceCount(&n);',
        '}',
        '',
      ),
    );
    expect(r.text).toBe(
      lines(
        '#include <acl/acl.h>',
        'void f(float *p, int n) {',
        '  aclrtMalloc((void**)&p, 64, ACL_MEM_MALLOC_HUGE_FIRST);',
        '  aclrtMalloc((void **)&p, 64, ACL_MEM_MALLOC_HUGE_FIRST);',
        '  aclrtGetDeviceCount(reinterpret_cast<uint32_t *>(&n));',
        '}',
        '',
      ),
    );
  });

  it('parenthesises compound arguments placed next to an operator, not simple ones', async () => {
    const r = await fixed(
      lines('#include <acl/acl.h>', 'int a, b, c, d, e;', 'void f() { cudaScale(a + b, c ? d : e); cudaScale(a, g(b)); }', ''),
    );
    expect(r.text).toBe(
      lines('#include <acl/acl.h>', 'int a, b, c, d, e;', 'void f() { aclScale((a + b) * 2, -(c ? d : e)); aclScale(a * 2, -g(b)); }', ''),
    );
  });

  it('$* keeps all arguments with their separators and comments', async () => {
    const r = await fixed(lines('#include <acl/acl.h>', 'void f(int a, int b, int c) { cudaForward(a,  /* b */ b,', '    c); }', ''));
    expect(r.text).toBe(lines('#include <acl/acl.h>', 'void f(int a, int b, int c) { aclForward(a,  /* b */ b,', '    c); }', ''));
  });

  it('drops an argument the recipe does not use, together with the findings inside it', async () => {
    const r = await fixed(
      lines('#include <acl/acl.h>', 'void f(void *e) { cudaStream_t s; cudaStreamWaitEvent(s, e, cudaEventWaitDefault); }', ''),
    );
    expect(r.text).toBe(lines('#include <acl/acl.h>', 'void f(void *e) { aclrtStream s; aclrtStreamWaitEvent(s, e); }', ''));
    expect(r.skipped).toEqual([]);
    expect(r.applied.map((f) => f.symbol)).toEqual(['cudaStream_t', 'cudaStreamWaitEvent', 'cudaEventWaitDefault']);
  });

  it('does not drop an argument that carries a value the CANN call has no parameter for', async () => {
    const r = await fixed(
      lines('#include <acl/acl.h>', 'void f(void *e, unsigned flags) { cudaStream_t s; cudaStreamWaitEvent(s, e, flags); }', ''),
    );
    expect(r.text).toBe(
      lines('#include <acl/acl.h>', 'void f(void *e, unsigned flags) { cudaStream_t s; cudaStreamWaitEvent(s, e, flags); }', ''),
    );
    const reason = r.skipped.find((x) => x.finding.symbol === 'cudaStreamWaitEvent')?.reason;
    expect(reason).toMatch(/'aclrtStreamWaitEvent' has no parameter for 'flags'/);
  });

  it('gives no fix when the argument count differs from the recipe, and says why', async () => {
    const a = await analysed(lines('void f(float *d) { cudaMemcpy(d, d, 4); }', ''));
    const q = a.quick('cudaMemcpy');
    expect(isQuickFix(q)).toBe(false);
    expect('reason' in q && q.reason).toMatch(/called with 3 arguments; the rewrite to 'aclrtMemcpy' expects 4: port this call by hand/);
    const r = a.all();
    expect(r.text).toBe(a.text);
    expect(r.skipped.map((s) => s.finding.symbol)).toEqual(['cudaMemcpy']);
  });

  it('does not rewrite a function that is not called', async () => {
    const a = await analysed('auto fp = &cudaMalloc;\n');
    const q = a.quick('cudaMalloc');
    expect('reason' in q && q.reason).toMatch(/not called here/);
  });

  it('rewrites a call nested in the arguments of another rewritten call', async () => {
    const r = await fixed(
      lines(
        '#include <acl/acl.h>',
        'void f(float *d, float *h, int x, int y) { cudaMemcpy(d, h, cudaScale(x, y), cudaMemcpyHostToDevice); }',
        '',
      ),
    );
    expect(r.text).toBe(
      lines(
        '#include <acl/acl.h>',
        'void f(float *d, float *h, int x, int y) { aclrtMemcpy(d, aclScale(x * 2, -y), h, aclScale(x * 2, -y), ACL_MEMCPY_HOST_TO_DEVICE); }',
        '',
      ),
    );
    assertDisjoint(r.edits);
  });
});

describe('macro-wrapped calls and comments', () => {
  it('leaves a call wrapped in a CUDA error check until the check takes a CANN status (reviewed fix)', async () => {
    const text = lines(
      '#include <acl/acl.h>',
      '#define CHECK(x) do { cudaError_t e = (x); if (e != cudaSuccess) return 1; } while (0)',
      'int f(float *p) { CHECK(cudaMalloc(&p, 16)); return 0; }',
      '',
    );
    const safe = await fixed(text);
    expect(safe.text).toBe(text);
    expect(safe.skipped.map((s) => [s.finding.symbol, s.finding.line])).toEqual([
      ['cudaError_t', 2],
      ['cudaSuccess', 2],
      ['cudaMalloc', 3],
    ]);
    expect(safe.skipped[0].reason).toMatch(/inside a #define body: edit the macro by hand \('cudaError_t' → 'aclError'\)/);
    expect(safe.skipped[2].reason).toMatch(
      /its status goes to 'CHECK\(\.\.\.\)', which expects a CUDA status: make 'CHECK' accept aclError first/,
    );

    // With the fixes that need review, CHECK gets the adapter and the wrapped call is rewritten.
    const reviewed = await fixed(text, { safeOnly: false });
    expect(reviewed.helpersAdapted).toEqual(['CHECK']);
    expect(reviewed.text).toBe(
      lines(
        '#include <acl/acl.h>',
        '#ifndef ASCENDIFY_STATUS_ADAPTER',
        '#define ASCENDIFY_STATUS_ADAPTER',
        '// Added by ascendify: lets the CUDA error check below take CANN status codes (aclError) while the',
        '// port is under way. A CANN failure arrives as cudaErrorUnknown; aclGetRecentErrMsg() has its text.',
        'template <typename AscendifyStatusT> inline AscendifyStatusT ascendifyStatus(AscendifyStatusT status) { return status; }',
        'inline cudaError_t ascendifyStatus(aclError status) { return status == ACL_SUCCESS ? cudaSuccess : cudaErrorUnknown; }',
        '#endif',
        '#define CHECK(x) do { cudaError_t e = (ascendifyStatus(x)); if (e != cudaSuccess) return 1; } while (0)',
        'int f(float *p) { CHECK(aclrtMalloc((void**)&p, 16, ACL_MEM_MALLOC_HUGE_FIRST)); return 0; }',
        '',
      ),
    );
  });

  it('keeps comments inside arguments, and the line break after a // comment', async () => {
    const text = lines(
      '#include <acl/acl.h>',
      'void f(float *d, float *h) {',
      '  cudaMemcpy(d /* device */, // destination first',
      '             h, 16 /* bytes */, cudaMemcpyHostToDevice // direction',
      '  ); // done',
      '}',
      '',
    );
    const r = await fixed(text);
    expect(r.text).toBe(
      lines(
        '#include <acl/acl.h>',
        'void f(float *d, float *h) {',
        '  aclrtMemcpy(d /* device */, 16 /* bytes */, // destination first',
        '             h, 16 /* bytes */, ACL_MEMCPY_HOST_TO_DEVICE // direction',
        '  ); // done',
        '}',
        '',
      ),
    );
  });

  it('computes offsets in UTF-16 code units (non-ASCII text before the fix)', async () => {
    const r = await fixed(
      '#include <acl/acl.h>\n// 拷贝数据 😀\nvoid f(void *d, void *h, int n) { cudaMemcpy(d, h, n, cudaMemcpyHostToDevice); }\n',
    );
    expect(r.text).toBe(
      '#include <acl/acl.h>\n// 拷贝数据 😀\nvoid f(void *d, void *h, int n) { aclrtMemcpy(d, n, h, n, ACL_MEMCPY_HOST_TO_DEVICE); }\n',
    );
  });
});

describe('include recipes and header insertion', () => {
  it('replaces CUDA includes by the CANN system header and never includes it twice', async () => {
    const r = await fixed(
      lines(
        '#include "cuda_runtime.h"',
        '#include <cstdio>',
        '  #include <cuda.h>',
        '#include <nccl.h>',
        'static cudaStream_t s;',
        'static ncclRedOp_t op = ncclSum;',
        '',
      ),
    );
    expect(r.text).toBe(
      lines(
        '#include <acl/acl.h>',
        '#include <cstdio>',
        '#include <hccl/hccl.h>',
        'static aclrtStream s;',
        'static HcclReduceOp op = HCCL_REDUCE_SUM;',
        '',
      ),
    );
    expect(r.headersAdded).toEqual([]);
  });

  it('removes a CUDA include whose replacement is already included', async () => {
    const r = await fixed(lines('#include <acl/acl.h>', '#include <cuda_runtime.h>', 'static cudaStream_t s;', ''));
    expect(r.text).toBe(lines('#include <acl/acl.h>', 'static aclrtStream s;', ''));
  });

  it('adds each needed header once, in order of first need', async () => {
    const r = await fixed(
      lines(
        '#include <cstdio>',
        'static ncclRedOp_t op = ncclSum;',
        'static cudaStream_t a;',
        'static cudaStream_t b;',
        'static ncclRedOp_t op2 = ncclSum;',
        '',
      ),
    );
    expect(r.text).toBe(
      lines(
        '#include <cstdio>',
        '#include <hccl/hccl.h>',
        '#include <acl/acl.h>',
        'static HcclReduceOp op = HCCL_REDUCE_SUM;',
        'static aclrtStream a;',
        'static aclrtStream b;',
        'static HcclReduceOp op2 = HCCL_REDUCE_SUM;',
        '',
      ),
    );
  });

  it('puts the header after the leading comment block when the file has no #include', async () => {
    const r = await fixed(lines('// Copyright header', '// second line', '', 'static cudaStream_t s;', ''));
    expect(r.text).toBe(lines('// Copyright header', '// second line', '#include <acl/acl.h>', '', 'static aclrtStream s;', ''));
    const top = await fixed('static cudaStream_t s;\n');
    expect(top.text).toBe('#include <acl/acl.h>\nstatic aclrtStream s;\n');
  });

  it('puts the header inside a header guard, or after #pragma once', async () => {
    const guarded = await fixed(lines('#ifndef UTIL_H', '#define UTIL_H', 'static cudaStream_t s;', '#endif', ''));
    expect(guarded.text).toBe(lines('#ifndef UTIL_H', '#define UTIL_H', '#include <acl/acl.h>', 'static aclrtStream s;', '#endif', ''));
    const once = await fixed(lines('#pragma once', 'static cudaStream_t s;', ''));
    expect(once.text).toBe(lines('#pragma once', '#include <acl/acl.h>', 'static aclrtStream s;', ''));
  });

  it('keeps CRLF line endings, also in the inserted line', async () => {
    const r = await fixed('#include <cstdio>\r\nstatic cudaStream_t s;\r\n');
    expect(r.text).toBe('#include <cstdio>\r\n#include <acl/acl.h>\r\nstatic aclrtStream s;\r\n');
  });

  it('puts the header before the first fixed code when #include lines come after it', async () => {
    const between = await fixed(lines('#include <cstdio>', 'static cudaStream_t s;', '#include <vector>', 'static cudaStream_t t;', ''));
    expect(between.text).toBe(
      lines('#include <cstdio>', '#include <acl/acl.h>', 'static aclrtStream s;', '#include <vector>', 'static aclrtStream t;', ''),
    );
    const before = await fixed('static cudaStream_t s;\n#include <cstdio>');
    expect(before.text).toBe('#include <acl/acl.h>\nstatic aclrtStream s;\n#include <cstdio>');
  });

  it('does not put the header between a leading comment and code on the same line', async () => {
    const r = await fixed('/* licence */ static cudaStream_t s;\n');
    expect(r.text).toBe('#include <acl/acl.h>\n/* licence */ static aclrtStream s;\n');
  });
});

describe('what fix-all leaves alone', () => {
  it('skips fixes that need review unless asked, and explains entries without a fix', async () => {
    const text = lines('#include <acl/acl.h>', 'void f(float *p) { cudaFree(p); cudaDeviceReset(); }', '');
    const safe = await fixed(text);
    expect(safe.text).toBe(text);
    const reasons = Object.fromEntries(safe.skipped.map((s) => [s.finding.symbol, s.reason]));
    expect(reasons.cudaFree).toMatch(/needs review.*cudaFree\(nullptr\) is an error in ACL/);
    expect(reasons.cudaDeviceReset).toMatch(/Needs the device id/);

    const all = await fixed(text, { safeOnly: false });
    expect(all.text).toBe(lines('#include <acl/acl.h>', 'void f(float *p) { aclrtFree(p); cudaDeviceReset(); }', ''));
  });

  it('does not touch code next to a syntax error, but fixes the rest of the file', async () => {
    const text = lines('#include <acl/acl.h>', 'static cudaStream_t good;', 'void broken( { cudaStream_t s; ]', '');
    const a = await analysed(text);
    expect(a.analysis.errorNodes).toBeGreaterThan(0);
    const r = a.all();
    expect(r.text.split('\n')[1]).toBe('static aclrtStream good;');
    expect(r.text.split('\n')[2]).toBe('void broken( { cudaStream_t s; ]');
    expect(r.skipped.map((s) => s.reason)).toEqual([expect.stringMatching(/line 3 does not parse cleanly/)]);
  });
});

describe('idempotence and edits', () => {
  it('fix-all applied twice changes nothing the second time', async () => {
    const text = lines(
      '#include <cuda_runtime.h>',
      '#include <nccl.h>',
      'int f(float *d, float *h, int n, cudaStream_t s) {',
      '  cudaMemcpy(d, h, n, cudaMemcpyHostToDevice);',
      '  cudaGetDeviceCount(&n);',
      '  cudaFree(d);',
      '  return ncclSum;',
      '}',
      '',
    );
    for (const safeOnly of [true, false]) {
      const once = await fixed(text, { safeOnly });
      const twice = await fixed(once.text, { safeOnly });
      expect(once.text).not.toBe(text);
      expect(twice.edits).toEqual([]);
      expect(twice.text).toBe(once.text);
    }
  });

  it('edits never overlap and applyEdits refuses overlapping ones', async () => {
    const r = await fixed(
      lines('#include <cuda_runtime.h>', 'void f() { cudaMemcpy(a, b, cudaScale(c, d), cudaMemcpyHostToDevice); cudaStream_t s; }', ''),
    );
    assertDisjoint(r.edits);
    expect(
      applyEdits('abcdef', [
        { start: 1, end: 3, newText: 'X' },
        { start: 4, end: 4, newText: 'Y' },
      ]),
    ).toBe('aXdYef');
    expect(() =>
      applyEdits('abcdef', [
        { start: 1, end: 3, newText: 'X' },
        { start: 2, end: 4, newText: 'Y' },
      ]),
    ).toThrow(/overlapping/);
  });
});

describe('quick fixes (fixForFinding)', () => {
  it('rewrites the call with its nested fixes and adds the missing header', async () => {
    const a = await analysed(
      lines('#include <cstdio>', 'void f(char *d, char *h, int n) { cudaMemcpy(d, h, n, cudaMemcpyHostToDevice); }', ''),
    );
    const q = a.quick('cudaMemcpy');
    if (!isQuickFix(q)) throw new Error(q.reason);
    expect(q.title).toBe("Rewrite 'cudaMemcpy(...)' as 'aclrtMemcpy(...)'");
    expect(q.safe).toBe(true);
    expect(q.headers).toEqual(['acl/acl.h']);
    expect(applyEdits(a.text, q.edits)).toBe(
      lines(
        '#include <cstdio>',
        '#include <acl/acl.h>',
        'void f(char *d, char *h, int n) { aclrtMemcpy(d, n, h, n, ACL_MEMCPY_HOST_TO_DEVICE); }',
        '',
      ),
    );
  });

  it('offers fixes that need review, marked as not safe', async () => {
    const a = await analysed(lines('#include <acl/acl.h>', 'void f(float *p) { cudaFree(p); }', ''));
    const q = a.quick('cudaFree');
    if (!isQuickFix(q)) throw new Error(q.reason);
    expect(q.safe).toBe(false);
    expect(q.title).toBe("Replace 'cudaFree' with 'aclrtFree'");
    expect(applyEdits(a.text, q.edits)).toBe(lines('#include <acl/acl.h>', 'void f(float *p) { aclrtFree(p); }', ''));
  });

  it('titles include fixes, and removes the line when the header is already there', async () => {
    const a = await analysed(lines('#include <cuda.h>', '#include <acl/acl.h>', ''));
    const q = a.quick('cuda.h');
    if (!isQuickFix(q)) throw new Error(q.reason);
    expect(q.title).toBe('Remove #include <cuda.h> (<acl/acl.h> is already included)');
    expect(applyEdits(a.text, q.edits)).toBe('#include <acl/acl.h>\n');
  });
});

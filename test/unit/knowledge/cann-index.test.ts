/**
 * The knowledge base against the CANN API index generated from real headers (scripts/gen-cann-index.ts,
 * full index in test/cann-index/, snapshots and commits in scripts/cann-index/snapshots.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KnowledgeBase, type MappingEntry } from '../../../server/src/knowledge';
import {
  CANN_VERSIONS,
  DEFAULT_CANN_VERSION,
  LANGUAGE_BUILTINS,
  cannVersionFor,
  forCannVersion,
  indexedHeader,
  indexedSymbol,
  parameterTypes,
  suggestedNames,
  suggestionWords,
  suggestionsOf,
  type FullIndex,
} from '../../../server/src/knowledge/cann';
import compact from '../../../server/src/knowledge/cann-index/index.json';
import { buildCompactIndex } from '../../../scripts/cann-index/compact';
import { parseHeader } from '../../../scripts/cann-index/parse-headers';

const ROOT = path.join(__dirname, '..', '..', '..');
const fulls = CANN_VERSIONS.map(
  (v) => JSON.parse(fs.readFileSync(path.join(ROOT, 'test', 'cann-index', `${v}.json`), 'utf8')) as FullIndex,
);
const builtin = KnowledgeBase.builtin();

/**
 * Names CANN documents that no public header we index declares (the pages are cited). They are shown by
 * explain and the hover, never written by a fix, and a report names them for no version.
 */
const DOC_ONLY: Record<string, string> = {
  __trap: 'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/Utils-API/%E8%B0%83%E6%B5%8B%E6%8E%A5%E5%8F%A3/__trap.md',
  aclblasCgemm: 'https://gitcode.com/cann/ops-blas/blob/master/blas/gemm/README.md',
  aclblasSgemmStridedBatched: 'https://gitcode.com/cann/ops-blas/blob/master/blas/gemm_strided_batched/README.md',
  aclrtcAddNameExpr: 'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/Utils-API/RTC/aclrtcAddNameExpr.md',
  aclrtcGetLoweredName: 'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/Utils-API/RTC/aclrtcGetLoweredName.md',
  asdFftMakePlan3D: 'https://gitcode.com/cann/sip/blob/master/docs/en/API_Reference/FFT/FFT_3D.md',
  asdFftHandle: 'https://gitcode.com/cann/sip/blob/master/docs/en/API_Reference/FFT/FFT_3D.md',
  asdFftType: 'https://gitcode.com/cann/sip/blob/master/docs/en/API_Reference/FFT/FFT_3D.md',
  asdFftDirection: 'https://gitcode.com/cann/sip/blob/master/docs/en/API_Reference/FFT/FFT_3D.md',
  AspbStatus: 'https://gitcode.com/cann/sip/blob/master/docs/en/API_Reference/FFT/FFT_3D.md',
  'asdsip.h': 'https://gitcode.com/cann/sip/blob/master/docs/en/API_Reference/FFT/FFT_3D.md',
  'cooperative_groups::grid_group':
    'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/SIMT-API/cooperative_groups/grid_group/grid_group_intro.md',
  'cooperative_groups::this_grid':
    'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/SIMT-API/cooperative_groups/grid_group/grid_group_constructor.md',
  grid_group:
    'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/SIMT-API/cooperative_groups/grid_group/grid_group_constructor.md',
  this_grid: 'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/SIMT-API/cooperative_groups/grid_group/grid_group_constructor.md',
  __half22float2:
    'https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/SIMT-API/math_functions/half_type/half_precision_conversion_functions/__half22float2.md',
};

describe('the CANN API index', () => {
  it('records the snapshot of every source with its commit and what version it stands for', () => {
    expect(compact.versions.map((v) => v.name)).toEqual(['8.1.RC1', '8.5.0', '9.0.0', 'master']);
    for (const v of compact.versions) {
      expect(v.stands).not.toBe('');
      for (const s of v.sources) expect(s.commit).toMatch(/^[0-9a-f]{40}$/);
    }
    expect(compact.versions[0].sources.map((s) => s.repo)).toEqual(['leideng/CANN-8.1.RC1']);
  });

  it('the shipped compact index is what the full index and the knowledge base give (run npm run cann-index after editing the data)', () => {
    expect(buildCompactIndex(fulls, suggestedNames(builtin.entries))).toEqual(compact);
  });

  it('knows the release history the headers show', () => {
    // Read from the headers by hand: aclrtFree is in 8.1.RC1's acl/acl_rt.h; aclrtFreeWithDevSync,
    // aclsysGetVersionNum and aclrtDeviceGetUuid first appear on the 8.5.0 branch of hicann/runtime.
    expect(indexedSymbol('aclrtFree')).toMatchObject({ versions: 0b1111, header: 'acl/acl_rt.h' });
    for (const name of ['aclrtFreeWithDevSync', 'aclsysGetVersionNum', 'aclrtDeviceGetUuid', 'aclrtUuid']) {
      expect(indexedSymbol(name)?.versions, name).toBe(0b1110);
    }
    expect(indexedSymbol('ACL_SUCCESS')?.header).toBe('acl/acl_base.h');
    expect(indexedSymbol('aclblasSdot')?.versions).toBe(0b1000); // ops-blas has no release branch
  });
});

/**
 * The PyTorch and build-system entries name torch_npu's Python API and CMake/compiler words, not CANN C/C++
 * declarations: test/unit/knowledge/pytorch-build.test.ts checks them against torch_npu and asc-devkit.
 */
const OUTSIDE_HEADERS = new Set(['pytorch', 'build', 'cupy', 'numba', 'pycuda']);
const cannEntries = (entries: readonly MappingEntry[]) => entries.filter((e) => !OUTSIDE_HEADERS.has(e.library));

describe('every CANN name the knowledge base suggests is declared by a header, doc-only, or a language word', () => {
  it('no suggestion names anything else', () => {
    const unknown: string[] = [];
    for (const e of cannEntries(builtin.entries)) {
      const docOnly = new Map((e.docOnly ?? []).map((d) => [d.name, d.url]));
      for (const s of suggestionsOf(e)) {
        const { words, headers } = suggestionWords(s);
        for (const w of words) {
          if (indexedSymbol(w) || Object.hasOwn(LANGUAGE_BUILTINS, w) || docOnly.has(w)) continue;
          unknown.push(`${e.cuda[0]}: ${w}`);
        }
        for (const h of headers) if (indexedHeader(h) === undefined && !docOnly.has(h)) unknown.push(`${e.cuda[0]}: header ${h}`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('the doc-only names are exactly the listed ones, each with its documentation page, and none is in a header', () => {
    const found: Record<string, string> = {};
    for (const e of builtin.entries) for (const d of e.docOnly ?? []) found[d.name] = d.url;
    expect(found).toEqual(DOC_ONLY);
    for (const name of Object.keys(DOC_ONLY)) expect(indexedSymbol(name) ?? indexedHeader(name), name).toBeUndefined();
  });

  it('for every version, an entry answered for it writes only names that version declares', () => {
    for (const version of CANN_VERSIONS) {
      const absent: string[] = [];
      for (const e of cannEntries(forCannVersion(builtin.entries, version))) {
        for (const s of [e, ...(e.simt ? [e.simt] : [])]) {
          const { words, headers } = suggestionWords(s);
          for (const w of [...words, ...headers]) {
            if (Object.hasOwn(LANGUAGE_BUILTINS, w)) continue;
            const mask = indexedSymbol(w)?.versions ?? indexedHeader(w);
            const declared = mask !== undefined && (mask & ((2 << CANN_VERSIONS.indexOf(version)) - 1)) !== 0;
            if (!declared) absent.push(`${e.cuda[0]}: ${w}`);
          }
        }
      }
      expect(absent, version).toEqual([]);
    }
  });

  it('a signature with a fix recipe has the parameter count and types of the header prototype', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const e of builtin.entries) {
      for (const s of suggestionsOf(e)) {
        if (!s.fix || !s.signature || !s.signature.includes('(') || s.signature.includes(' / ')) continue;
        const name = /([A-Za-z_]\w*)\s*\(/.exec(s.signature)?.[1];
        const sym = name ? indexedSymbol(name) : undefined;
        if (!sym?.prototype) continue;
        checked++;
        const ours = JSON.stringify(parameterTypes(s.signature)!.map(normalise));
        const protos = [sym.prototype, ...(sym.overloads ?? [])];
        // An overloaded function matches when one of its prototypes does.
        if (!protos.some((p) => JSON.stringify(parameterTypes(p)!.map(normalise)) === ours))
          mismatches.push(`${e.cuda[0]}: ${s.signature}  <>  ${protos.join(' | ')}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });
});

/** Spelling differences a compiler ignores: `const` on a by-value parameter, spaces. */
function normalise(type: string): string {
  return type
    .replace(/^const (?=[^*&]*$)/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('the CANN version', () => {
  it('reads what users write', () => {
    expect(cannVersionFor('8.1')).toBe('8.1.RC1');
    expect(cannVersionFor('8.1.rc1')).toBe('8.1.RC1');
    expect(cannVersionFor('8.3.RC1')).toBe('8.1.RC1'); // between two indexed releases: the older is sure
    expect(cannVersionFor('8.5')).toBe('8.5.0');
    expect(cannVersionFor('9.0.1')).toBe('9.0.0');
    expect(cannVersionFor('9.1.0')).toBe('9.0.0');
    expect(cannVersionFor('latest')).toBe('master');
    expect(() => cannVersionFor('8.0.RC3')).toThrow(/older than the oldest indexed release \(8\.1\.RC1\)/);
    expect(() => cannVersionFor('banana')).toThrow(/unknown CANN version "banana"/);
    expect(DEFAULT_CANN_VERSION).toBe('8.1.RC1');
  });

  it('cudaFree writes aclrtFree before 8.5.0 and aclrtFreeWithDevSync from 8.5.0 on', () => {
    const old = KnowledgeBase.builtinFor('8.1.RC1').lookup('cudaFree')!;
    expect(old).toMatchObject({ ascend: 'aclrtFree', fix: { rename: 'aclrtFree' } });
    expect((old as { cann?: { fallbackFrom?: string } }).cann?.fallbackFrom).toBe('aclrtFreeWithDevSync');
    expect(KnowledgeBase.builtinFor('8.5.0').lookup('cudaFree')).toMatchObject({
      ascend: 'aclrtFreeWithDevSync',
      fix: { rename: 'aclrtFreeWithDevSync' },
    });
    expect(KnowledgeBase.builtinFor('8.1.RC1').lookup('cudaFreeHost')).toMatchObject({
      ascend: 'aclrtFreeHost',
      fix: { rename: 'aclrtFreeHost' },
    });
  });

  it('an answer no older idiom replaces becomes manual, names the newer API only in its notes, and has no fix', () => {
    const e = KnowledgeBase.builtinFor('8.1.RC1').lookup('cublasSdot')!;
    expect(e.ascend).toBeNull();
    expect(e.mapping).toBe('manual');
    expect(e.fix).toBeUndefined();
    expect(e.notes).toMatch(/^CANN 8\.1\.RC1 does not declare aclblasSdot \(unreleased \(master\)\)/);
    expect(KnowledgeBase.builtinFor('master').lookup('cublasSdot')!.ascend).toBe('aclblasSdot');
  });

  it('a doc-only answer is never fixed, for any version', () => {
    for (const v of CANN_VERSIONS) {
      const e = KnowledgeBase.builtinFor(v).lookup('nvrtcAddNameExpression')!;
      expect(e.fix, v).toBeUndefined();
      expect(e.notes).toContain(
        'aclrtcAddNameExpr (https://gitcode.com/cann/asc-devkit/blob/master/docs/zh/api/Utils-API/RTC/aclrtcAddNameExpr.md)',
      );
    }
  });
});

describe('the header reader', () => {
  // A header written for this test in the shapes CANN's headers use.
  const header = `
#ifndef INC_EXTERNAL_ACL_X_H_
#define INC_EXTERNAL_ACL_X_H_
#define ACL_EVENT_SYNC 0x00000001U
#ifdef __cplusplus
extern "C" {
#endif
static const int ACL_SUCCESS = 0;
typedef void *aclrtStream;
typedef struct aclfftHandle_t *aclfftHandle;
typedef enum aclrtMemcpyKind { ACL_MEMCPY_HOST_TO_HOST, ACL_MEMCPY_HOST_TO_DEVICE = 1, } aclrtMemcpyKind;
typedef void (*aclrtCallback)(void *userData);
/** a comment with aclrtFake(int) in it */
ACL_FUNC_VISIBILITY aclError aclrtFree(void *devPtr);
ACL_FUNC_VISIBILITY ACL_DEPRECATED_MESSAGE("use aclrtFree") aclError aclrtOld(void *p,
                                                                         size_t n);
#ifdef __cplusplus
}
#endif
namespace AscendC {
template <typename T> __aicore__ inline void DataCopy(const LocalTensor<T>& dst, const GlobalTensor<T>& src, uint32_t n) { body(); }
class TPipe { public: void InitBuffer(int x); };
enum class Mode : uint8_t { A, B };
}
#endif
`;
  const d = parseHeader(header);

  it('reads functions with their prototypes, through visibility and deprecation macros', () => {
    expect([...d.functions.keys()].sort()).toEqual(['AscendC::DataCopy', 'aclrtFree', 'aclrtOld']);
    expect(d.functions.get('aclrtFree')).toEqual(['aclError aclrtFree(void *devPtr)']);
    expect(d.functions.get('aclrtOld')).toEqual(['aclError aclrtOld(void *p, size_t n)']);
    expect(parameterTypes(d.functions.get('AscendC::DataCopy')![0])).toEqual([
      'const LocalTensor<T>&',
      'const GlobalTensor<T>&',
      'uint32_t',
    ]);
  });

  it('reads types, enum constants, constants and macros, not include guards or members', () => {
    expect([...d.types].sort()).toEqual([
      'AscendC::Mode',
      'AscendC::TPipe',
      'aclfftHandle',
      'aclfftHandle_t',
      'aclrtCallback',
      'aclrtMemcpyKind',
      'aclrtStream',
    ]);
    expect([...d.enumConstants].sort()).toEqual([
      'ACL_MEMCPY_HOST_TO_DEVICE',
      'ACL_MEMCPY_HOST_TO_HOST',
      'AscendC::Mode::A',
      'AscendC::Mode::B',
    ]);
    expect([...d.constants]).toEqual(['ACL_SUCCESS']);
    expect([...d.macros]).toEqual(['ACL_EVENT_SYNC']);
  });
});

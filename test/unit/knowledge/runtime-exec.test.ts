import { describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { builtinFiles } from '../../../server/src/knowledge/data';
import type { LoadedMappingFile } from '../../../server/src/knowledge';

// Expected values copied by hand from the CANN docs:
// gitcode.com/cann/runtime docs/zh/api_ref/{06_stream_management,07_event_management,05_context_management,
// 14_Kernel_loading_and_execution,15_model_running_instance_management}.md and
// gitcode.com/cann/asc-devkit docs/zh/api/Utils-API/RTC/aclrtcCreateProg.md.
const kb = KnowledgeBase.builtin();
const file = builtinFiles['runtime-exec.json'] as LoadedMappingFile;

describe('runtime-exec mappings match the CANN docs', () => {
  it('cudaStreamCreate -> aclrtCreateStream (rename)', () => {
    const e = kb.lookup('cudaStreamCreate')!;
    expect(e.ascend).toBe('aclrtCreateStream');
    expect(e.signature).toBe('aclError aclrtCreateStream(aclrtStream *stream)');
    expect(e.mapping).toBe('rename');
    expect(e.fix).toMatchObject({ rename: 'aclrtCreateStream' });
  });

  it('cudaStreamWaitEvent keeps (stream, event) and drops the flags', () => {
    const e = kb.lookup('cudaStreamWaitEvent')!;
    expect(e.ascend).toBe('aclrtStreamWaitEvent');
    expect(e.signature).toContain('aclrtStream stream, aclrtEvent event');
    expect(e.mapping).toBe('rewrite');
    expect(e.fix).toMatchObject({ call: 'aclrtStreamWaitEvent($1, $2)', arity: 3 });
  });

  it('cudaEventElapsedTime -> aclrtEventElapsedTime with float *ms first', () => {
    const e = kb.lookup('cudaEventElapsedTime')!;
    expect(e.ascend).toBe('aclrtEventElapsedTime');
    expect(e.signature).toContain('float *ms, aclrtEvent startEvent, aclrtEvent endEvent');
    expect(e.mapping).toBe('rename');
  });

  it('cudaEventCreateWithFlags -> aclrtCreateEventWithFlag (uint32_t flag)', () => {
    const e = kb.lookup('cudaEventCreateWithFlags')!;
    expect(e.ascend).toBe('aclrtCreateEventWithFlag');
    expect(e.signature).toContain('uint32_t flag');
    expect(kb.lookup('cudaEventDisableTiming')!.ascend).toBe('ACL_EVENT_SYNC');
  });

  it('stream capture maps to aclmdlRI capture', () => {
    const begin = kb.lookup('cudaStreamBeginCapture')!;
    expect(begin.ascend).toBe('aclmdlRICaptureBegin');
    expect(begin.signature).toContain('aclmdlRICaptureMode mode');
    expect(kb.lookup('cudaStreamEndCapture')!.signature).toContain('aclmdlRI *modelRI');
    expect(kb.lookup('cudaGraphLaunch')!.ascend).toBe('aclmdlRIExecuteAsync');
    expect(kb.lookup('cudaStreamCaptureModeRelaxed')!.ascend).toBe('ACL_MODEL_RI_CAPTURE_MODE_RELAXED');
    expect(kb.lookup('cudaGraphInstantiate')!.mapping).toBe('manual');
  });

  it('cuCtxCreate drops the flags argument', () => {
    const e = kb.lookup('cuCtxCreate')!;
    expect(e.signature).toBe('aclError aclrtCreateContext(aclrtContext *context, int32_t deviceId)');
    expect(e.fix).toMatchObject({ call: 'aclrtCreateContext($1, $3)', arity: 3 });
  });

  it('cuModuleGetFunction moves the output handle last', () => {
    const e = kb.lookup('cuModuleGetFunction')!;
    expect(e.ascend).toBe('aclrtBinaryGetFunction');
    expect(e.signature).toContain('const aclrtBinHandle binHandle, const char *kernelName, aclrtFuncHandle *funcHandle');
    expect(e.fix).toMatchObject({ call: 'aclrtBinaryGetFunction($2, $3, $1)', arity: 3 });
  });

  it('cuInit(0) -> aclInit(nullptr)', () => {
    const e = kb.lookup('cuInit')!;
    expect(e.signature).toBe('aclError aclInit(const char *configPath)');
    expect(e.fix).toMatchObject({ call: 'aclInit(nullptr)', arity: 1 });
  });

  it('nvrtcCreateProgram -> aclrtcCreateProg from acl/acl_rt_compile.h', () => {
    const e = kb.lookup('nvrtcCreateProgram')!;
    expect(e.ascend).toBe('aclrtcCreateProg');
    expect(e.ascendHeader).toBe('acl/acl_rt_compile.h');
    expect(e.signature).toContain('int numHeaders, const char **headers, const char **includeNames');
    expect(new URL(e.docUrl).host).toBe('gitcode.com');
  });

  it('textures have no equivalent', () => {
    for (const name of ['cudaCreateTextureObject', 'tex2D', 'surf2Dwrite', 'cudaTextureObject_t']) {
      const e = kb.lookup(name)!;
      expect(e.mapping).toBe('none');
      expect(e.ascend).toBeNull();
    }
  });

  it('every entry has an https docUrl and a non-empty cuda list', () => {
    expect(file.entries.length).toBeGreaterThan(0);
    for (const e of file.entries) {
      expect(e.cuda.length).toBeGreaterThan(0);
      expect(e.docUrl.startsWith('https://')).toBe(true);
    }
  });
});

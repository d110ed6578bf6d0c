/** The built-in mapping files, bundled into the server and CLI (esbuild inlines the JSON). */
import runtime from './runtime.json';
import runtimeExec from './runtime-exec.json';
import kernel from './kernel.json';
import blasDnn from './blas-dnn.json';
import libs from './libs.json';
import ncclHeaders from './nccl-headers.json';
import portingGaps from './porting-gaps.json';
import pytorch from './pytorch.json';
import build from './build.json';
import cxxDevice from './cxx-device.json';
import deviceLibs from './device-libs.json';

export const builtinFiles: Record<string, unknown> = {
  'runtime.json': runtime,
  'runtime-exec.json': runtimeExec,
  'kernel.json': kernel,
  'blas-dnn.json': blasDnn,
  'libs.json': libs,
  'nccl-headers.json': ncclHeaders,
  'porting-gaps.json': portingGaps,
  'pytorch.json': pytorch,
  'build.json': build,
  'cxx-device.json': cxxDevice,
  'device-libs.json': deviceLibs,
};

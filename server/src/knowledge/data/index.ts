/**
 * The built-in mapping files. Each is read on first use: a report that finds the knowledge base
 * precomputed for its CANN version (knowledge/precomputed.ts) never reads them. The bundles read them from
 * dist/knowledge/data/ (scripts/build.mjs), so a start-up does not read and compile their ~1 MB.
 */
const loaders: Record<string, () => unknown> = {
  'runtime.json': (): unknown => require('./runtime.json'),
  'runtime-exec.json': (): unknown => require('./runtime-exec.json'),
  'kernel.json': (): unknown => require('./kernel.json'),
  'blas-dnn.json': (): unknown => require('./blas-dnn.json'),
  'libs.json': (): unknown => require('./libs.json'),
  'nccl-headers.json': (): unknown => require('./nccl-headers.json'),
  'porting-gaps.json': (): unknown => require('./porting-gaps.json'),
  'pytorch.json': (): unknown => require('./pytorch.json'),
  'build.json': (): unknown => require('./build.json'),
  'cxx-device.json': (): unknown => require('./cxx-device.json'),
  'device-libs.json': (): unknown => require('./device-libs.json'),
};

/** File name -> its parsed content (enumerable getters: iterating them loads every file). */
export const builtinFiles: Record<string, unknown> = Object.defineProperties(
  {},
  Object.fromEntries(Object.entries(loaders).map(([name, load]) => [name, { enumerable: true, get: load }])),
);

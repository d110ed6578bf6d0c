/**
 * The CMake scanner: CUDA as a project language, the CUDA toolkit's packages and imported targets
 * (`find_package(CUDAToolkit)`, `CUDA::cublas`), the CUDA variables and properties (`CMAKE_CUDA_*`,
 * `CUDA_ARCHITECTURES`), FindCUDA's `cuda_add_*` commands, NVIDIA libraries linked by name and nvcc flags
 * in values. Also records each target and its sources for the project picture.
 */
import type { KnowledgeBase } from '../../knowledge';
import type { Family } from '../../knowledge/families';
import type { Occurrence } from '../scan';
import { lineIndexOf } from '../resolve';
import { parseCMake, type CMakeCommand } from './cmake-syntax';
import { flagOf, linkHit, NVIDIA_LINK_LIBRARIES, type FlagHit } from './flags';
import type { ExtensionDecl } from './facts';
import type { LanguageScan } from './scan-result';
import { suppressionsIn } from '../suppressions';

const BUILD: Family = { library: 'build', source: 'headers' };

/** find_package names that are NVIDIA's. */
const NVIDIA_PACKAGES = /^(CUDAToolkit|CUDA|CUDNN|cuDNN|CUDNN_FRONTEND|NCCL|CUB|Thrust|CUTLASS|TensorRT|NvToolExt|nvtx3|CUDAHostCompiler)$/;
/**
 * Words in values that name CUDA variables, properties and imported targets: CMake's own (CMAKE_CUDA_*,
 * the CUDA_* target properties, FindCUDAToolkit's CUDAToolkit_* and CUDA:: targets, FindCUDA's CUDA_*
 * results and options). A project's own `CUDA_KERNEL_SOURCE` or `CUDA_HOME` variable is not CMake's.
 */
const CUDA_PROPERTIES =
  'ARCHITECTURES|SEPARABLE_COMPILATION|RESOLVE_DEVICE_SYMBOLS|STANDARD|STANDARD_REQUIRED|EXTENSIONS|RUNTIME_LIBRARY|' +
  'PTX_COMPILATION|CUBIN_COMPILATION|FATBIN_COMPILATION|OPTIX_COMPILATION';
const FIND_CUDA =
  'NVCC_FLAGS(?:_[A-Z]+)?|TOOLKIT_ROOT_DIR|LIBRARIES|INCLUDE_DIRS|FOUND|VERSION(?:_MAJOR|_MINOR|_STRING)?|HOST_COMPILER|' +
  'PROPAGATE_HOST_FLAGS|64_BIT_DEVICE_CODE|BUILD_CUBIN|GENERATED_OUTPUT_DIR|NVCC_EXECUTABLE|SDK_ROOT_DIR|VERBOSE_BUILD|' +
  'USE_STATIC_CUDA_RUNTIME|[A-Za-z]+_LIBRAR(?:Y|IES)';
const VALUE_NAMES = new RegExp(
  `\\bCUDA::[A-Za-z0-9_]+|\\bCMAKE_CUDA_[A-Z0-9_]+\\b|\\bCUDA_(?:${CUDA_PROPERTIES}|${FIND_CUDA})\\b|\\bCUDAToolkit_[A-Za-z0-9_]+\\b`,
  'g',
);
const TARGET_COMMANDS = new Set([
  'add_library',
  'add_executable',
  'cuda_add_library',
  'cuda_add_executable',
  'pybind11_add_module',
  'python_add_library',
]);
const TARGET_KEYWORDS = new Set([
  'STATIC',
  'SHARED',
  'MODULE',
  'OBJECT',
  'INTERFACE',
  'EXCLUDE_FROM_ALL',
  'WIN32',
  'MACOSX_BUNDLE',
  'WITH_SOABI',
  'NO_EXTRAS',
  'THIN_LTO',
  'OPT_SIZE',
]);
const SOURCE_SCOPE = new Set(['PRIVATE', 'PUBLIC', 'INTERFACE']);

export function scanCMake(text: string, kb: KnowledgeBase, lineStarts: number[]): LanguageScan {
  const file = parseCMake(text);
  const occurrences: Occurrence[] = [];
  const seen = new Set<number>();
  // One finding per symbol and command: `set(CMAKE_CUDA_FLAGS "${CMAKE_CUDA_FLAGS} ...")` is one change.
  let inCommand = new Set<string>();
  const add = (symbol: string, start: number, end: number, isCall: boolean, family?: Family) => {
    if (seen.has(start) || inCommand.has(symbol)) return;
    seen.add(start);
    inCommand.add(symbol);
    occurrences.push({
      symbol,
      construct: isCall ? 'function' : 'identifier',
      start,
      end,
      isCall,
      inMacro: false,
      family: kb.has(symbol) ? undefined : (family ?? BUILD),
    });
  };
  const addHit = (h: FlagHit) => add(h.symbol, h.start, h.end, false, h.family);
  const extensions: ExtensionDecl[] = [];
  const targets = new Map<string, ExtensionDecl>();
  for (const cmd of file.commands) {
    inCommand = new Set();
    const name = cmd.name.toLowerCase(); // command names are case-insensitive
    const args = cmd.args;
    if (name === 'project') {
      for (const a of args.slice(1)) if (a.value === 'CUDA') add('project(CUDA)', a.start, a.end, false);
    } else if (name === 'enable_language' || name === 'check_language') {
      for (const a of args) if (a.value === 'CUDA') add('enable_language(CUDA)', a.start, a.end, false);
    } else if (name === 'find_package' && args[0] && NVIDIA_PACKAGES.test(args[0].value)) {
      add(`find_package(${args[0].value})`, args[0].start, args[0].end, false);
    } else if (name.startsWith('cuda_')) {
      add(`${name}()`, cmd.nameStart, cmd.nameEnd, true);
    }
    if (TARGET_COMMANDS.has(name) && args[0]) {
      const decl = targetDecl(cmd, lineStarts);
      extensions.push(decl);
      targets.set(decl.name, decl);
    } else if (name === 'target_sources' && args[0]) {
      const decl = targets.get(args[0].value);
      if (decl)
        addSources(
          decl,
          args.slice(1).filter((a) => !SOURCE_SCOPE.has(a.value)),
        );
    }
    const linking = name === 'target_link_libraries' || name === 'link_libraries';
    for (const a of args) {
      if (a.kind === 'bracket') continue; // literal text (a script, a message), never a setting
      if (linking && a.kind === 'unquoted' && NVIDIA_LINK_LIBRARIES.has(a.value)) {
        addHit(linkHit(a.value, a.start, a.value.length));
        continue;
      }
      // Every name below contains `CUDA`; every flag starts with `-` or names nvcc: most values have neither.
      if (a.value.includes('CUDA'))
        for (const m of a.value.matchAll(VALUE_NAMES)) {
          const word = m[0];
          const start = a.start + m.index;
          add(word.startsWith('CUDA::') ? word : `${word} (CMake)`, start, start + word.length, false);
        }
      // Flags and the compiler inside values (`set(CMAKE_CUDA_FLAGS "... -gencode ...")`, `-lcublas`).
      if (a.value.includes('-') || a.value.includes('nvcc'))
        for (const w of a.value.matchAll(/[^\s;"']+/g)) {
          const hit = flagOf(w[0], a.start + w.index);
          if (hit) addHit(hit);
        }
    }
  }
  const suppressions = suppressionsIn(file.comments, lineStarts);
  occurrences.sort((a, b) => a.start - b.start || a.end - b.end);
  return { occurrences, suppressions, errorNodes: file.errors, facts: { extensions, uses: [] } };
}

function targetDecl(cmd: CMakeCommand, lineStarts: number[]): ExtensionDecl {
  const decl: ExtensionDecl = {
    name: cmd.args[0].value,
    via: `cmake:${cmd.name.toLowerCase()}`,
    sources: [],
    unresolvedSources: false,
    inlineCuda: false,
    line: lineIndexOf(lineStarts, cmd.nameStart) + 1,
  };
  addSources(
    decl,
    cmd.args.slice(1).filter((a) => !TARGET_KEYWORDS.has(a.value)),
  );
  return decl;
}

function addSources(decl: ExtensionDecl, args: Array<{ value: string }>): void {
  for (const a of args) {
    if (a.value.includes('${') || a.value.includes('$<')) decl.unresolvedSources = true;
    else if (a.value === 'IMPORTED' || a.value === 'ALIAS')
      return; // not a built target
    else decl.sources.push(...a.value.split(';').filter(Boolean));
  }
}

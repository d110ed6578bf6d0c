/**
 * The table of qualifier macros a file sees (macros.ts MacroTable): its own `#define`s, its project
 * headers', and the CUDA libraries' (CUTLASS_DEVICE...) when it uses them; built once per include closure
 * and set of relevant own definitions, not once per file. Also the file's `#include`s and `#define`s read
 * once per text (the table and the declaration index both need them).
 */
import { LIBRARY_MACROS, MacroTable, qualifierMacroDefinitions, type MacroDefinition } from './macros';
import { textIncludes } from './declarations';
import type { ProjectDeclarations } from './declarations';

/**
 * The macros that stand for CUDA qualifiers in this file (macros.ts): its own `#define`s, its project
 * headers', and the CUDA libraries' (CUTLASS_DEVICE...) when it uses them. Undefined when there are none.
 */
const LIBRARY_MACRO_USE = new RegExp(`\\b(?:${LIBRARY_MACROS.map((m) => m.name).join('|')})\\b`);

/** The file's `#include`s from its text, once per text (the macro table and the declarations both need them). */
let lastIncludes: { text: string; includes: ReturnType<typeof textIncludes> } | undefined;

export function includesOfText(text: string): ReturnType<typeof textIncludes> {
  if (lastIncludes?.text !== text) lastIncludes = { text, includes: textIncludes(text) };
  return lastIncludes.includes;
}

/** The file's object-like `#define`s, once per text (the macro table and the declarations both need them). */
let lastDefines: { text: string; defines: MacroDefinition[] } | undefined;

export function definesOfText(text: string): MacroDefinition[] {
  if (lastDefines?.text !== text) lastDefines = { text, defines: qualifierMacroDefinitions(text) };
  return lastDefines.defines;
}

/**
 * Macro tables already built, by the included headers' macros (one array per include closure, shared by
 * the files that include the same headers) and then by what else goes in: the table is built once per
 * project and kind of file, not once per file.
 */
const macroTables = new WeakMap<readonly MacroDefinition[], Map<string, MacroTable | undefined>>();
const NO_MACROS: readonly MacroDefinition[] = [];
/** The names the included macros define with a body of names or a decoration (by included array). */
const namedIn = new WeakMap<readonly MacroDefinition[], Set<string>>();

export function macroTableFor(
  text: string,
  options: { project?: { declarations: ProjectDeclarations; file: string } },
): MacroTable | undefined {
  const included = options.project
    ? options.project.declarations.macrosFromIncludes(options.project.file, includesOfText(text))
    : NO_MACROS;
  // One pass over the text for all the libraries' macros (a test per name cost ~3% of a report's time).
  const library = LIBRARY_MACRO_USE.test(text) ? LIBRARY_MACROS.filter((m) => text.includes(m.name)) : [];
  // The file's own `#define NAME 256` matter only for a name some other definition gives a body of names
  // (a value vetoes a decoration): the others change nothing in the table, and are left out of its key.
  let names = namedIn.get(included);
  if (!names) namedIn.set(included, (names = new Set(included.filter((d) => d.body !== 'value').map((d) => d.name))));
  const all = definesOfText(text);
  const ownNamed = new Set(all.filter((d) => d.body !== 'value').map((d) => d.name));
  const own = all.filter((d) => d.body !== 'value' || ownNamed.has(d.name) || names.has(d.name) || library.some((m) => m.name === d.name));
  if (own.length === 0 && included.length === 0 && library.length === 0) return undefined;
  let byKey = macroTables.get(included);
  if (!byKey) macroTables.set(included, (byKey = new Map<string, MacroTable | undefined>()));
  const key = `${library.map((m) => m.name).join(',')}\u0000${own.map((d) => `${d.name}\u0001${d.body}\u0001${d.expansion.join(' ')}`).join('\u0000')}`;
  if (byKey.has(key)) return byKey.get(key);
  const table = new MacroTable([...library, ...included, ...own]);
  const result = table.size ? table : undefined;
  byKey.set(key, result);
  return result;
}

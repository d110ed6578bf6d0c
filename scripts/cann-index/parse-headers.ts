// Reads the declarations of one C/C++ header: functions (with their prototype), types (typedef, struct,
// class, union, enum, using), enum constants and macros. Not a compiler: it is written for the shape of
// CANN's public headers (C declarations with visibility macros, C++ namespaces and templates in Ascend C)
// and errs on the side of recording a name only where the header's text declares it.
//
// Names inside a namespace are recorded qualified (AscendC::DataCopy); class members are not recorded
// (the knowledge base suggests free functions, types and constants).

/** Comments and string/char literals blanked (newlines kept), so braces and parentheses in them do not count. */
export function stripComments(text: string): string {
  let out = '';
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    const d = text[i + 1];
    if (c === '/' && d === '/') {
      while (i < n && text[i] !== '\n') {
        // A backslash-newline continues a line comment (and a macro).
        if (text[i] === '\\' && text[i + 1] === '\n') {
          out += ' ';
          i += 1;
          break;
        }
        i++;
      }
      continue;
    }
    if (c === '/' && d === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end === -1 ? n : end + 2;
      out += text.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
      continue;
    }
    if (c === '"' || c === "'") {
      // R"delim( ... )delim" raw strings are rare in these headers; plain literals are blanked.
      let j = i + 1;
      while (j < n && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += c + ' '.repeat(Math.max(0, Math.min(j, n) - i - 1)) + (j < n && text[j] === c ? c : '');
      i = j < n && text[j] === c ? j + 1 : j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

const KEYWORDS = new Set([
  'if',
  'for',
  'while',
  'switch',
  'return',
  'sizeof',
  'alignof',
  'decltype',
  'static_assert',
  'typeof',
  'operator',
  'new',
  'delete',
  'throw',
  'catch',
  'do',
  'else',
  'case',
  'default',
  'noexcept',
  'alignas',
  '__attribute__',
  '__declspec',
  'asm',
  '__asm__',
  'defined',
  'template',
  'typename',
  'const',
  'volatile',
]);

/** Words that may precede a declaration without being part of its type. */
const DECL_NOISE =
  /^(extern|static|inline|__inline__|__inline|constexpr|virtual|explicit|friend|thread_local|__forceinline__|__aicore__|__global__|__host__|__device__|__simt_callee__|__simt_vf__|__attribute__)$/;

function lines(text: string): string[] {
  // Joins backslash-continued lines so that a macro is one line.
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}

/** Parses a header; returns { functions: Map name->prototype, types: Set, enumConstants: Set, macros: Set }. */
export interface HeaderDecls {
  /** Each function's prototypes: more than one for overloads. */
  functions: Map<string, string[]>;
  types: Set<string>;
  enumConstants: Set<string>;
  /** Named constants: `static const int ACL_SUCCESS = 0;`, `constexpr uint32_t X = 1;`. */
  constants: Set<string>;
  macros: Set<string>;
}

export function parseHeader(source: string): HeaderDecls {
  const text = stripComments(source);
  const macros = new Set<string>();
  const code: string[] = [];
  for (const line of lines(text)) {
    const m = /^\s*#\s*(\w+)\s*(.*)$/.exec(line);
    if (!m) {
      code.push(line);
      continue;
    }
    if (m[1] === 'define') {
      const name = /^([A-Za-z_]\w*)/.exec(m[2]);
      // Include guards (FOO_H_, __FOO_H__) are macros too, but no one suggests them.
      if (name && !/(^_*[A-Z0-9_]*_H(PP)?_*$)|(_INC(LUDE)?_*$)/.test(name[1])) macros.add(name[1]);
    }
    code.push(''); // keep line count; other directives (#if, #include) are dropped: both branches are read
  }
  const result: HeaderDecls = { functions: new Map(), types: new Set(), enumConstants: new Set(), constants: new Set(), macros };
  walk(code.join('\n'), [], result);
  return result;
}

/** Finds the index of the brace that closes the one at `open`. */
function closeOf(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return text.length;
}

/** Walks one scope's text (a namespace body or the file), recording declarations with the scope's prefix. */
function walk(text: string, scope: string[], out: HeaderDecls): void {
  let i = 0;
  let start = 0;
  let parens = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === '(') parens++;
    else if (c === ')') parens = Math.max(0, parens - 1);
    else if (c === ';' && parens === 0) {
      statement(text.slice(start, i), scope, out);
      start = i + 1;
    } else if (c === '{' && parens === 0) {
      const close = closeOf(text, i);
      const head = text.slice(start, i);
      const body = text.slice(i + 1, close);
      // What follows the block up to `;` belongs to it (typedef struct {...} name;), unless it is a definition.
      let end = close + 1;
      let tail = '';
      const after = /^\s*([\w\s,*&[\]]*?)\s*;/.exec(text.slice(end, end + 400));
      if (
        after &&
        /^(typedef|struct|union|enum|class)\b|\b(typedef|enum|struct|union)\b/.test(head.trim()) &&
        !/\)\s*(const\s*)?$/.test(head.trim())
      ) {
        tail = after[1];
        end += after[0].length;
      }
      block(head, body, tail, scope, out);
      i = end;
      start = end;
      continue;
    }
    i++;
  }
  if (text.slice(start).trim()) statement(text.slice(start), scope, out);
}

const qualify = (scope: string[], name: string): string => (scope.length ? `${scope.join('::')}::${name}` : name);

function block(head: string, body: string, tail: string, scope: string[], out: HeaderDecls): void {
  const h = head.replace(/\s+/g, ' ').trim();
  let m;
  if ((m = /^(?:inline )?namespace(?: ([\w:]+))?$/.exec(h))) {
    walk(body, m[1] ? [...scope, ...m[1].split('::')] : scope, out); // anonymous namespace: same scope
    return;
  }
  if (/^extern\s*"[\s\w]*"$/.test(h)) {
    walk(body, scope, out);
    return;
  } // extern "C" (literal blanked)
  const typedef = /^typedef\b/.test(h);
  if ((m = /\benum\b(?:\s+(?:class|struct))?(?:\s+(?:__attribute__\s*\(\(.*?\)\)\s*)?([A-Za-z_]\w*))?(?:\s*:\s*[\w\s:]+)?$/.exec(h))) {
    const isClass = /\benum\s+(class|struct)\b/.test(h);
    if (m[1]) out.types.add(qualify(scope, m[1]));
    for (const name of tailNames(tail, typedef)) out.types.add(qualify(scope, name));
    const enumScope = isClass && m[1] ? [...scope, m[1]] : scope;
    for (const part of splitTop(body, ',')) {
      const c = /^\s*([A-Za-z_]\w*)/.exec(part);
      if (c) out.enumConstants.add(qualify(enumScope, c[1]));
    }
    return;
  }
  if (
    (m =
      /\b(struct|class|union)\b(?:\s+(?:alignas\s*\([^)]*\)|__attribute__\s*\(\(.*?\)\)|[A-Z_][A-Z0-9_]+(?=\s)))*\s*([A-Za-z_]\w*)?(?:\s+final)?(?:\s*:\s*[^{]*)?$/.exec(
        h,
      )) &&
    !/\)\s*(const)?\s*$/.test(h)
  ) {
    if (m[2]) out.types.add(qualify(scope, m[2]));
    for (const name of tailNames(tail, typedef)) out.types.add(qualify(scope, name));
    return; // members are not recorded
  }
  // A function definition: the head is its prototype.
  fn(h, scope, out);
}

/** The names a `} a, *b;` after a typedef'd block declares. */
function tailNames(tail: string, typedef: boolean): string[] {
  if (!typedef || !tail) return [];
  return splitTop(tail, ',')
    .map((p) => /([A-Za-z_]\w*)\s*(\[[^\]]*\])?\s*$/.exec(p)?.[1])
    .filter((x): x is string => !!x);
}

/** Splits at a separator outside (), <>, [] and {}. */
function splitTop(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let angle = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') depth--;
    else if (c === '<') angle++;
    else if (c === '>') angle = Math.max(0, angle - 1);
    else if (c === sep && depth === 0 && angle === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function statement(raw: string, scope: string[], out: HeaderDecls): void {
  const s = raw.replace(/\s+/g, ' ').trim();
  if (!s) return;
  let m;
  if ((m = /^using ([A-Za-z_]\w*)\s*=/.exec(s))) {
    out.types.add(qualify(scope, m[1]));
    return;
  }
  if (/^template\b/.test(s) && (m = /^template\s*<.*>\s*using ([A-Za-z_]\w*)\s*=/.exec(s))) {
    out.types.add(qualify(scope, m[1]));
    return;
  }
  if (/^using\b/.test(s) || /^(namespace|friend|static_assert)\b/.test(s)) return;
  if (/^typedef\b/.test(s)) {
    // typedef ret (*name)(args);  typedef struct X *name;  typedef int a, *b;
    const fp = /\(\s*(?:[A-Z_]+\s+)?\*\s*([A-Za-z_]\w*)\s*\)\s*\(/.exec(s);
    if (fp) {
      out.types.add(qualify(scope, fp[1]));
      return;
    }
    const fnType = /^typedef [^()]*?\b([A-Za-z_]\w*)\s*\([^()]*\)\s*$/.exec(s); // typedef void name(int)
    if (fnType) {
      out.types.add(qualify(scope, fnType[1]));
      return;
    }
    // typedef struct aclfftHandle_t *aclfftHandle: the tag is declared too (an incomplete type).
    const tag = /^typedef (?:const )?(?:struct|union|enum) ([A-Za-z_]\w*)\b/.exec(s);
    if (tag) out.types.add(qualify(scope, tag[1]));
    for (const part of splitTop(s.replace(/^typedef\s+/, ''), ',')) {
      const name = /([A-Za-z_]\w*)\s*(\[[^\]]*\]\s*)*$/.exec(part.trim());
      if (name) out.types.add(qualify(scope, name[1]));
    }
    return;
  }
  // struct X; / class X; forward declarations name a type too (opaque handles: struct aclrtStream_*).
  if ((m = /^(?:typedef )?(?:struct|class|union|enum(?: class)?) ([A-Za-z_]\w*)$/.exec(s))) {
    out.types.add(qualify(scope, m[1]));
    return;
  }
  // Constants at namespace scope; other variables (extern int x;) are not recorded.
  const constant = /^(?:(?:static|extern|inline)\s+)*(?:constexpr|const)\b[^=(]*?\b([A-Za-z_]\w*)\s*(?:\[[^\]]*\]\s*)?(?:=|$)/.exec(s);
  if (constant && !/^\s*(?:\w+\s+)*\w+\s*\(/.test(s.split('=')[0])) {
    out.constants.add(qualify(scope, constant[1]));
    return;
  }
  if (s.includes('(')) fn(s, scope, out);
}

/** Records a function declaration or definition head `ret name(params) qualifiers`. */
function fn(h: string, scope: string[], out: HeaderDecls): void {
  let s = h.replace(/\s+/g, ' ').trim();
  // Attributes and visibility/deprecation macro calls before the name: __attribute__((x)), ACL_DEPRECATED_MESSAGE(...).
  s = s
    .replace(/__attribute__\s*\(\((?:[^()]|\([^()]*\))*\)\)/g, ' ')
    .replace(/__declspec\s*\([^)]*\)/g, ' ')
    .replace(/\[\[[^\]]*\]\]/g, ' ');
  let template = '';
  const t = /^template\s*<(.*?)>\s*(?=[A-Za-z_])/.exec(s);
  if (t) {
    // Balanced <...> of the template header.
    let depth = 0;
    let k = s.indexOf('<');
    for (; k < s.length; k++) {
      if (s[k] === '<') depth++;
      else if (s[k] === '>' && --depth === 0) break;
    }
    template = s.slice(0, k + 1);
    s = s.slice(k + 1).trim();
  }
  // The name is the identifier (possibly qualified, or an operator) before the first top-level '(' that is
  // not a macro call (ALL_CAPS(...)) nor part of the return type.
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    if (c !== '(' || depth) continue;
    const before = s.slice(0, i).trimEnd();
    const nm = /((?:[A-Za-z_]\w*::)*~?[A-Za-z_]\w*)$/.exec(before);
    if (!nm) return;
    const name = nm[1];
    const last = name.split('::').pop()!;
    const close = matchParen(s, i);
    if (/^[A-Z][A-Z0-9_]*$/.test(last)) {
      // ALL_CAPS(...): a macro invocation (a deprecation or visibility macro with arguments); skip it.
      s = `${s.slice(0, before.length - name.length)} ${s.slice(close + 1)}`;
      i = before.length - name.length;
      continue;
    }
    if (KEYWORDS.has(last) || DECL_NOISE.test(last)) return;
    const ret = before.slice(0, -name.length).trim();
    // A return type is required (constructors, macro calls like FOO(x) and expressions are not functions).
    const retWords = ret.split(/\s+/).filter((w) => w && !DECL_NOISE.test(w) && !/^[A-Z][A-Z0-9_]*$/.test(w));
    if (!retWords.length && !/\boperator\b/.test(name)) return;
    if (name.includes('::') && !/^(std|AscendC)::/.test(name)) return; // out-of-class member definitions
    if (/[=]/.test(ret)) return; // an initialiser, not a declaration
    const params = s.slice(i + 1, close);
    const full = qualify(scope, name);
    const cleanRet = retWords
      .join(' ')
      .replace(/\s*\*\s*/g, ' *')
      .trim();
    const proto = `${template ? `${template} ` : ''}${cleanRet} ${name}(${params.replace(/\s+/g, ' ').trim()})`
      .replace(/\s+/g, ' ')
      .replace(/\( /g, '(')
      .replace(/ \)/g, ')');
    const protos = out.functions.get(full);
    if (!protos) out.functions.set(full, [proto]);
    else if (!protos.includes(proto)) protos.push(proto);
    return;
  }
}

function matchParen(s: string, open: number): number {
  let depth = 0;
  for (let i = open; i < s.length; i++) {
    if (s[i] === '(') depth++;
    else if (s[i] === ')' && --depth === 0) return i;
  }
  return s.length - 1;
}

export { parameterTypes, parameterType } from '../../server/src/knowledge/cann';

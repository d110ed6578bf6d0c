// The consistency check keeps a fix off a name the file declares itself (fix/consistency.ts declaredLine):
// as a struct field, a parameter, a macro or a function, before or after the use, and names the first
// declaration's line.
import { describe, expect, it } from 'vitest';
import { fixed } from '../../helpers/fix';

const lines = (...l: string[]) => l.join('\n');
const use = ['void f(void *p) {', '  cudaStream_t s;', '  cudaMalloc(&p, 4);', '}'];

async function reasonFor(symbol: string, line: number, text: string): Promise<string | undefined> {
  const r = await fixed(text);
  return r.skipped.find((s) => s.finding.symbol === symbol && s.finding.line === line)?.reason;
}

describe('a name the file declares itself is not renamed', () => {
  it.each([
    ['a struct field', 'struct A { int cudaStream_t; };'],
    ['a parameter of a prototype', 'void g(int cudaStream_t);'],
    ['a macro', '#define cudaStream_t int'],
  ])('declared as %s on line 2', async (_what, declaration) => {
    expect(await reasonFor('cudaStream_t', 4, lines('#include <acl/acl.h>', declaration, ...use, ''))).toBe(
      "'cudaStream_t' is declared by this project (line 2), not taken from CUDA: it is not renamed",
    );
  });

  it('a function (a field holding a pointer) declared after the use', async () => {
    expect(await reasonFor('cudaMalloc', 4, lines('#include <acl/acl.h>', ...use, 'struct B { void *cudaMalloc; };', ''))).toBe(
      "'cudaMalloc' is declared by this project (line 6), not taken from CUDA: it is not renamed",
    );
  });

  it('declared twice: the first declaration is named', async () => {
    const text = lines('#include <acl/acl.h>', 'struct A { int cudaStream_t; };', '#define cudaStream_t int', ...use, '');
    expect(await reasonFor('cudaStream_t', 5, text)).toContain('(line 2)');
  });

  it('a name written only in a comment or a string is not a declaration', async () => {
    const text = lines('#include <acl/acl.h>', '// struct A { int cudaStream_t; };', 'const char *n = "int cudaStream_t;";', ...use, '');
    expect(await reasonFor('cudaStream_t', 5, text)).toBeUndefined();
  });
});

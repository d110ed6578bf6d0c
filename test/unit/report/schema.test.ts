import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import type { TObject } from '@sinclair/typebox';
import { jsonFileSchema, jsonFindingSchema, jsonKernelSchema } from '../../../server/src/report/schema';
import { runCli } from '../../helpers/cli';

/** The fields a schema object declares (TypeBox objects list them under `properties`). */
const declared = (schema: TObject): string[] => Object.keys(schema.properties);

describe('the JSON report per-file schema (report/schema.ts) describes what the writer writes', () => {
  const run = runCli(['report', 'examples/cuda-app', '--format', 'json', '-q', '-j', '1']);
  const report = JSON.parse(run.stdout) as { files: Array<{ findings: object[]; kernels: object[] }> };

  it('every file of the shipped example validates', () => {
    expect(run.code).toBe(0);
    const validate = new Ajv({ allErrors: true, strict: false }).compile(jsonFileSchema);
    for (const file of report.files) expect(validate(file) ? [] : validate.errors).toEqual([]);
  });

  it('the schema declares every field the writer writes (none is written and left unchecked)', () => {
    const written = { file: new Set<string>(), finding: new Set<string>(), kernel: new Set<string>() };
    for (const file of report.files) {
      for (const k of Object.keys(file)) written.file.add(k);
      for (const f of file.findings) for (const k of Object.keys(f)) written.finding.add(k);
      for (const k of file.kernels) for (const key of Object.keys(k)) written.kernel.add(key);
    }
    // The example has findings and kernels, so all three kinds of object were seen.
    expect(written.finding.size).toBeGreaterThan(10);
    expect(written.kernel.size).toBeGreaterThan(5);
    for (const k of written.file) expect(declared(jsonFileSchema)).toContain(k);
    for (const k of written.finding) expect(declared(jsonFindingSchema)).toContain(k);
    for (const k of written.kernel) expect(declared(jsonKernelSchema)).toContain(k);
  });

  it('a finding on line 0 or with an unknown kind is refused', () => {
    const validate = new Ajv({ allErrors: true, strict: false }).compile(jsonFindingSchema);
    const finding = {
      symbol: 'cudaMalloc',
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 11,
      ruleId: 'runtime/cudaMalloc',
      category: 'memory',
      library: 'runtime',
      kind: 'rewrite',
      ascend: 'aclrtMalloc',
      message: 'm',
      fixable: true,
      docUrl: null,
    };
    expect(validate(finding)).toBe(true);
    expect(validate({ ...finding, line: 0 })).toBe(false);
    expect(validate({ ...finding, kind: 'renamed' })).toBe(false);
  });
});

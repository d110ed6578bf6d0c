import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { publishedReportSchema } from '../../../server/src/report/report-schema';
import { REPO, runCli } from '../../helpers/cli';

interface SchemaNode {
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
}

/**
 * The places in `value` (as `summary.effort.kernels[].route`) where an object has a field its schema does
 * not declare; objects whose schema lists no properties (open maps) are not looked into.
 */
function undeclared(value: unknown, schema: SchemaNode, at: string, seen: Set<string>): string[] {
  if (Array.isArray(value)) return schema.items ? value.flatMap((v) => undeclared(v, schema.items!, `${at}[]`, seen)) : [];
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    const where = at ? `${at}.${k}` : k;
    seen.add(where);
    const declared = schema.properties?.[k];
    if (declared) out.push(...undeclared(v, declared, where, seen));
    else if (schema.properties) out.push(where);
    else if (typeof schema.additionalProperties === 'object') out.push(...undeclared(v, schema.additionalProperties, where, seen));
  }
  return out;
}

describe('the JSON report schema (report-schema.ts, effort/schema.ts, common/summary.ts) and docs/report.schema.json', () => {
  const published = path.join(REPO, 'docs', 'report.schema.json');
  const schema = JSON.parse(fs.readFileSync(published, 'utf8')) as SchemaNode;
  const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);
  const reports = ['a2a3', '950'].map((target) => {
    const run = runCli(['report', 'examples/cuda-app', '--format', 'json', '--target', target, '-q', '-j', '1']);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout) as { summary: { target: string; effort: { kernels: Array<{ route: string }> } } };
  });

  it('docs/report.schema.json is what the TypeBox schema builds (run `npm run docs` after changing it)', () => {
    expect(fs.readFileSync(published, 'utf8')).toBe(publishedReportSchema());
  });

  it("the shipped example's reports for both targets validate against the published file", () => {
    for (const r of reports) expect(validate(r) ? [] : validate.errors).toEqual([]);
    // The Ascend 950 report takes the SIMT route for some kernel, the A2/A3 one never does.
    expect(reports[1].summary.effort.kernels.some((k) => k.route === 'simt')).toBe(true);
    expect(reports[0].summary.effort.kernels.some((k) => k.route === 'simt')).toBe(false);
  });

  it('the schema declares every field the writer writes, summary and estimate included (none is left unchecked)', () => {
    const seen = new Set<string>();
    for (const r of reports) expect(undeclared(r, schema, '', seen)).toEqual([]);
    // The walk reached the estimate's nested objects, so a field missing there would have been found.
    for (const where of [
      'summary.topSymbols[].kind',
      'summary.effort.automatic.lineShare',
      'summary.effort.kernels[].alternatives[].route',
    ])
      expect(seen).toContain(where);
  });

  it('a report with a PyTorch project picture validates too, its extensions checked field by field', () => {
    // test/fixtures/python: setup.py declares CUDA extensions that Python code loads (docs/languages.md).
    const run = runCli(['report', 'test/fixtures/python', '--format', 'json', '-q', '-j', '1']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as { extensions?: unknown[] };
    expect(report.extensions?.length).toBeGreaterThan(0);
    expect(validate(report) ? [] : validate.errors).toEqual([]);
    const seen = new Set<string>();
    expect(undeclared(report, schema, '', seen)).toEqual([]);
    for (const where of [
      'extensions[].declaredIn.line',
      'extensions[].callers[].via',
      'extensions[].sources[].headerKernels[].kernels[].line',
    ])
      expect(seen).toContain(where);
    // A line 0 or a count below 0 in an extension is refused.
    const bad = structuredClone(report) as { extensions: Array<{ declaredIn: { line: number }; findings: number }> };
    bad.extensions[0].declaredIn.line = 0;
    expect(validate(bad)).toBe(false);
    bad.extensions[0].declaredIn.line = 1;
    bad.extensions[0].findings = -1;
    expect(validate(bad)).toBe(false);
  });

  it('a summary with an unknown target, a negative count or an estimate in other units is refused', () => {
    const good = structuredClone(reports[0]) as unknown as { summary: Record<string, unknown> & { effort: Record<string, unknown> } };
    expect(validate(good)).toBe(true);
    for (const [field, value] of [
      ['target', 'a100'],
      ['findings', -1],
    ] as const)
      expect(validate({ ...good, summary: { ...good.summary, [field]: value } })).toBe(false);
    expect(validate({ ...good, summary: { ...good.summary, effort: { ...good.summary.effort, unit: 'person-days' } } })).toBe(false);
    const { effort: _effort, ...withoutEffort } = good.summary;
    expect(validate({ ...good, summary: withoutEffort })).toBe(false);
  });
});

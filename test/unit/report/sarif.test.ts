import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { KnowledgeBase } from '../../../server/src/knowledge';
import { renderSarif, sarifUri } from '../../../server/src/report/sarif';
import { runCli } from '../../helpers/cli';
import { HOSTILE, hostileReport, sampleReport } from '../../helpers/report';

// The SARIF 2.1.0 schema, committed under test/schemas (source noted in its README).
const schema = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'schemas', 'sarif-schema-2.1.0.json'), 'utf8'));
// unicodeRegExp off: the schema's language pattern is not valid with the u flag (it was written for ECMAScript without it).
const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

function valid(log: unknown): string[] {
  return validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

interface SarifRun {
  tool: {
    driver: {
      name: string;
      version: string;
      rules: Array<{
        id: string;
        helpUri?: string;
        help: { text: string; markdown?: string };
        shortDescription: { text: string };
        defaultConfiguration: { level: string };
      }>;
    };
  };
  columnKind: string;
  results: Array<{
    ruleId: string;
    ruleIndex: number;
    level: string;
    message: { text: string };
    locations: Array<{
      physicalLocation: {
        artifactLocation: { uri: string };
        region: Record<string, number>;
        contextRegion?: { snippet: { text: string } };
      };
    }>;
  }>;
}

describe('SARIF report', () => {
  const kb = KnowledgeBase.builtin();
  const log = JSON.parse(renderSarif(sampleReport(), kb));
  const run: SarifRun = log.runs[0];

  it('is valid SARIF 2.1.0', () => {
    expect(log.version).toBe('2.1.0');
    expect(valid(log)).toEqual([]);
  });

  it('the schema check is not a rubber stamp', () => {
    const broken = JSON.parse(JSON.stringify(log));
    broken.runs[0].results[0].level = 'fatal';
    delete broken.runs[0].tool.driver.name;
    expect(valid(broken).length).toBeGreaterThanOrEqual(2);
  });

  it('one result per finding, with the region and a level by mapping kind', () => {
    expect(run.results).toHaveLength(8);
    const malloc = run.results[0];
    expect(malloc).toMatchObject({ ruleId: 'runtime/cudaMalloc', level: 'note', message: { text: "'cudaMalloc' test message." } });
    expect(malloc.locations[0].physicalLocation.artifactLocation.uri).toBe('src/app.cu');
    expect(malloc.locations[0].physicalLocation.region).toEqual({ startLine: 3, startColumn: 3, endLine: 3, endColumn: 13 });
    expect(malloc.locations[0].physicalLocation.contextRegion!.snippet.text).toBe('  cudaMalloc(&p, n);');
    const levels = Object.fromEntries(run.results.map((r) => [r.ruleId, r.level]));
    expect(levels['cublas/cublasSgemm']).toBe('warning');
    expect(levels['unmapped/runtime']).toBe('warning');
    expect(levels['kernel/asm']).toBe('error');
    expect(run.columnKind).toBe('utf16CodeUnits');
  });

  it('rules come from the knowledge base with help text and helpUri = docUrl', () => {
    const ids = run.tool.driver.rules.map((r) => r.id);
    expect(ids).toEqual([...ids].sort());
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex].id).toBe(r.ruleId);
    const entry = kb.lookup('cudaMalloc')!;
    const rule = run.tool.driver.rules.find((r) => r.id === 'runtime/cudaMalloc')!;
    expect(rule.helpUri).toBe(entry.docUrl);
    expect(rule.help.text).toContain(`→ ${entry.ascend}`);
    expect(rule.help.text).toContain(entry.signature!);
    expect(rule.defaultConfiguration.level).toBe('note');
    const unmapped = run.tool.driver.rules.find((r) => r.id === 'unmapped/runtime')!;
    expect(unmapped.helpUri).toBeUndefined();
    expect(unmapped.help.text).toContain('no CANN mapping on record');
  });

  it('percent-encodes paths and never links to non-http URLs', () => {
    expect(sarifUri('src/a b#1.cu')).toBe('src/a%20b%231.cu');
    expect(sarifUri('/abs/x.cu')).toBe('file:///abs/x.cu');
    const hostile = JSON.parse(renderSarif(hostileReport(), kb));
    expect(valid(hostile)).toEqual([]);
    const h: SarifRun = hostile.runs[0];
    expect(decodeURIComponent(h.results[0].locations[0].physicalLocation.artifactLocation.uri)).toBe(HOSTILE.path);
    const rule = h.tool.driver.rules.find((r) => r.id === h.results[0].ruleId)!;
    expect(rule.helpUri).toBeUndefined();
    // Report text stays plain text: no Markdown help is built from it.
    expect(rule.help.markdown).toBeUndefined();
    expect(rule.help.text).toBe(HOSTILE.message);
  });
});

describe('ascendify report --format sarif on the example project', () => {
  let log: { runs: SarifRun[] };
  beforeAll(() => {
    const r = runCli(['report', 'examples/cuda-app', '--format', 'sarif', '--quiet']);
    expect(r.code).toBe(0);
    log = JSON.parse(r.stdout);
  });

  it('validates and carries every finding of the JSON report', () => {
    expect(valid(log)).toEqual([]);
    const json = JSON.parse(runCli(['report', 'examples/cuda-app', '--format', 'json', '--quiet']).stdout);
    expect(log.runs[0].results).toHaveLength(json.summary.findings);
    const rule = log.runs[0].tool.driver.rules.find((x) => x.id === 'runtime/cudaMemcpy')!;
    expect(rule.helpUri).toMatch(/^https:\/\//);
  });
});

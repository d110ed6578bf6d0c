import { describe, expect, it } from 'vitest';
import { csvField, renderCsv } from '../../../server/src/report/csv';
import { HOSTILE, hostileReport, sampleReport } from '../../helpers/report';

/** A strict RFC 4180 reader written for the test: quoted fields, doubled quotes, CRLF records. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') {
        quoted = false;
        i++;
        continue;
      }
      field += c;
      i++;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
      i++;
      continue;
    }
    if (c === ',') {
      row.push(field);
      field = '';
      i++;
      continue;
    }
    if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
      continue;
    }
    if (c === '"' || c === '\n' || c === '\r') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    field += c;
    i++;
  }
  if (field !== '' || row.length) throw new Error('last record does not end with CRLF');
  return rows;
}

describe('CSV report', () => {
  it('one row per finding with a header, CRLF records', () => {
    const rows = parseCsv(renderCsv(sampleReport()));
    expect(rows[0]).toEqual([
      'file',
      'line',
      'column',
      'end_line',
      'end_column',
      'symbol',
      'kind',
      'library',
      'category',
      'rule_id',
      'cann_equivalent',
      'safe_fix',
      'message',
      'source',
      'doc_url',
      // The project-level header columns (empty on a file's own finding: project-level.test.ts).
      'included_by_files',
      'included_in',
    ]);
    expect(rows).toHaveLength(9);
    expect(rows[1].slice(0, 12)).toEqual([
      'src/app.cu',
      '3',
      '3',
      '3',
      '13',
      'cudaMalloc',
      'rewrite',
      'runtime',
      'memory',
      'runtime/cudaMalloc',
      'acl_cudaMalloc',
      'yes',
    ]);
    expect(rows[1][13]).toBe('  cudaMalloc(&p, n);');
    // The source with commas is quoted and reads back unchanged.
    expect(rows[2][13]).toBe('  cudaMemcpy(d, s, n, cudaMemcpyHostToDevice);');
    expect(rows[5]).toContain('unmapped');
    expect(rows[5][14]).toBe('');
    expect(rows[8][0]).toBe('src/host.cpp');
  });

  it('quotes as RFC 4180 says and guards against spreadsheet formulas', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=SUM(A1)')).toBe("'=SUM(A1)");
    expect(csvField('@cmd')).toBe("'@cmd");
    expect(csvField(-3)).toBe('-3');
    expect(csvField(null)).toBe('');
    const rows = parseCsv(renderCsv(hostileReport()));
    expect(rows[1][0]).toBe(HOSTILE.path);
    expect(rows[1][5]).toBe(HOSTILE.symbol);
    expect(rows[1][12]).toBe(HOSTILE.message);
    expect(rows[1][13]).toBe(HOSTILE.source);
    expect(rows[2][13]).toBe(`'=cmd|" /C calc"!A0`);
  });

  it('--csv-mode symbols: count, kind, mapped or not, per symbol', () => {
    const rows = parseCsv(renderCsv(sampleReport(), 'symbols'));
    expect(rows[0]).toEqual(['symbol', 'count', 'files', 'kind', 'library', 'category', 'mapped', 'cann_equivalent', 'rule_id']);
    expect(rows).toHaveLength(9);
    const by = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
    expect(by.cudaFooBar).toEqual(['cudaFooBar', '1', '1', 'unmapped', 'runtime', 'identifier', 'no', '', 'unmapped/runtime']);
    expect(by.cudaFree).toEqual(['cudaFree', '1', '1', 'rename', 'runtime', 'memory', 'yes', 'acl_cudaFree', 'runtime/cudaFree']);
    expect(by.asm.slice(3, 7)).toEqual(['none', 'kernel', 'ptx', 'yes']);
  });

  it('symbols mode counts repeated symbols across files, most frequent first', () => {
    const report = sampleReport();
    report.files[1].findings.push({ ...report.files[0].findings[0], line: 3 });
    report.files[0].findings.push({ ...report.files[0].findings[0], line: 10 });
    const rows = parseCsv(renderCsv(report, 'symbols'));
    expect(rows[1].slice(0, 3)).toEqual(['cudaMalloc', '3', '2']);
  });
});

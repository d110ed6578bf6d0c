/**
 * Findings kept for a long time (the language server's workspace index) in a compact form. A finding
 * object takes ~176 bytes; a large workspace has hundreds of thousands of them (262,300 on the 2,000-file
 * benchmark: 46 MB of the server's heap). All but their positions repeat: every finding of one symbol in
 * one context has the same rule, mapping and message. So a packed file keeps, per finding, a number for
 * that shared part (its template) and its six positions: 28 bytes.
 */
import { findingAt, type Finding } from './resolve';

/** The fields of a finding other than where it is. */
type Template = Omit<Finding, 'start' | 'end' | 'line' | 'column' | 'endLine' | 'endColumn'>;

const FIELDS = 7; // template, start, end, line, column, endLine, endColumn

/** The templates of the findings packed with it: one table for a whole index (shared by its files). */
export class FindingTemplates {
  private readonly list: Template[] = [];
  // Candidates by message: findings with one message nearly always share everything else too.
  private readonly byMessage = new Map<string, number[]>();

  idOf(f: Finding): number {
    let ids = this.byMessage.get(f.message);
    if (!ids) this.byMessage.set(f.message, (ids = []));
    for (const id of ids) if (sameTemplate(this.list[id], f)) return id;
    const { start, end, line, column, endLine, endColumn, ...template } = f;
    this.list.push(template);
    ids.push(this.list.length - 1);
    return this.list.length - 1;
  }

  at(id: number): Template {
    return this.list[id];
  }

  get size(): number {
    return this.list.length;
  }
}

function sameTemplate(t: Template, f: Finding): boolean {
  return (
    t.symbol === f.symbol &&
    t.ruleId === f.ruleId &&
    t.library === f.library &&
    t.category === f.category &&
    t.construct === f.construct &&
    t.kind === f.kind &&
    t.ascend === f.ascend &&
    t.isCall === f.isCall &&
    t.inMacro === f.inMacro &&
    t.entry === f.entry &&
    t.resolved === f.resolved &&
    t.safeFix === f.safeFix
  );
}

/** One file's findings, packed. */
export interface PackedFindings {
  readonly templates: FindingTemplates;
  readonly data: Int32Array;
}

export function packFindings(findings: readonly Finding[], templates: FindingTemplates): PackedFindings {
  const data = new Int32Array(findings.length * FIELDS);
  findings.forEach((f, i) => {
    const at = i * FIELDS;
    data[at] = templates.idOf(f);
    data[at + 1] = f.start;
    data[at + 2] = f.end;
    data[at + 3] = f.line;
    data[at + 4] = f.column;
    data[at + 5] = f.endLine;
    data[at + 6] = f.endColumn;
  });
  return { templates, data };
}

export function packedCount(packed: PackedFindings): number {
  return packed.data.length / FIELDS;
}

/** The shared part of the `i`th finding (no object made: for counting and filtering). */
export function packedTemplate({ templates, data }: PackedFindings, i: number): Template {
  return templates.at(data[i * FIELDS]);
}

/**
 * The distinct shared parts of a file's findings in the order they first occur, each with how many findings
 * have it: what counting needs, without a finding object or an entry per finding.
 */
export function templateCounts(packed: PackedFindings): { templates: Template[]; counts: number[] } {
  const at = new Map<number, number>();
  const templates: Template[] = [];
  const counts: number[] = [];
  for (let i = 0, n = packedCount(packed); i < n; i++) {
    const id = packed.data[i * FIELDS];
    const k = at.get(id);
    if (k !== undefined) counts[k]++;
    else {
      at.set(id, templates.length);
      templates.push(packed.templates.at(id));
      counts.push(1);
    }
  }
  return { templates, counts };
}

/** The `i`th finding as it was packed: a new object of the shape resolve.ts gives findings. */
export function unpackFinding({ templates, data }: PackedFindings, i: number): Finding {
  const at = i * FIELDS;
  return findingAt(templates.at(data[at]), data[at + 1], data[at + 2], data[at + 3], data[at + 4], data[at + 5], data[at + 6]);
}

/** The findings as they were packed. */
export function unpackFindings(packed: PackedFindings): Finding[] {
  const out = new Array<Finding>(packedCount(packed));
  for (let i = 0; i < out.length; i++) out[i] = unpackFinding(packed, i);
  return out;
}

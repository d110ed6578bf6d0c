/**
 * User rule files: a project adds or overrides mapping entries (in-house wrappers around CUDA calls)
 * in `.ascendify.json` / `.ascendify.yaml` at the workspace root, or a file named in settings / `--rules`.
 * Validated with the same schema as the built-in data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { KnowledgeBase, KnowledgeError, validateMappingFile, type MappingFile } from './index';

export const RULE_FILE_NAMES = ['.ascendify.json', '.ascendify.yaml', '.ascendify.yml'];

/** Reads and validates a rule file; throws KnowledgeError with every problem listed. */
export function loadRuleFile(file: string): MappingFile {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new KnowledgeError(`cannot read rule file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? parseYaml(raw) : JSON.parse(raw);
  } catch (e) {
    throw new KnowledgeError(`rule file ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
  const errors = validateMappingFile(data, path.basename(file));
  if (errors.length) throw new KnowledgeError(`rule file ${file} is invalid:\n  ${errors.join('\n  ')}`);
  return data as MappingFile;
}

/** The rule file in `dir`, if any (first of RULE_FILE_NAMES). */
export function findRuleFile(dir: string): string | undefined {
  for (const name of RULE_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Built-in knowledge plus the given rule file (user entries override built-ins of the same name). */
export function knowledgeWithRules(ruleFile: string | undefined): KnowledgeBase {
  const kb = KnowledgeBase.builtin();
  return ruleFile ? kb.withRules(loadRuleFile(ruleFile).entries) : kb;
}

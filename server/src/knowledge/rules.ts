/**
 * User rule files: a project adds or overrides mapping entries (in-house wrappers around CUDA calls)
 * in `.ascendify.json` / `.ascendify.yaml` at the workspace root, or a file named in settings / `--rules`.
 * Validated with the same schema as the built-in data.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { yamlModule } from '../common/lazy-modules';
import { KnowledgeBase, KnowledgeError, validateMappingFile, type MappingFile } from './index';
import type { LoadedMappingFile } from './schema';
import { cannVersionFor, CannVersionError, defaultCannVersion } from './cann';
import { readRuleLevels } from './rule-ids';
import { DEFAULT_TARGET, type PortingTarget } from '../common/targets';

export const RULE_FILE_NAMES = ['.ascendify.json', '.ascendify.yaml', '.ascendify.yml'];
const MAX_RULE_FILE_BYTES = 16 * 1024 * 1024;

/** Reads and validates a rule file; throws KnowledgeError with every problem listed. */
export function loadRuleFile(file: string): LoadedMappingFile {
  let raw: string;
  try {
    // A FIFO or device would block the read forever (a hostile repository could ship one); a rule file
    // is small, so anything huge is a mistake, not rules.
    const stat = fs.statSync(file);
    if (!stat.isFile()) throw new KnowledgeError(`rule file ${file} is not a regular file`);
    if (stat.size > MAX_RULE_FILE_BYTES)
      throw new KnowledgeError(
        `rule file ${file} is ${(stat.size / 1048576).toFixed(1)} MB: over the ${MAX_RULE_FILE_BYTES / 1048576} MB a rule file may have`,
      );
    raw = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof KnowledgeError) throw e;
    throw new KnowledgeError(`cannot read rule file ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let data: unknown;
  try {
    data = /\.ya?ml$/i.test(file) ? yamlModule().parse(raw) : JSON.parse(raw);
  } catch (e) {
    throw new KnowledgeError(`rule file ${file} is not valid ${/\.ya?ml$/i.test(file) ? 'YAML' : 'JSON'}: ${(e as Error).message}`);
  }
  const errors = validateMappingFile(data, path.basename(file));
  if (errors.length) throw new KnowledgeError(`rule file ${file} is invalid:\n  ${errors.join('\n  ')}`);
  const rules = data as MappingFile;
  return { ...rules, entries: rules.entries ?? [] } satisfies LoadedMappingFile;
}

/** The rule file in `dir`, if any (first of RULE_FILE_NAMES). */
export function findRuleFile(dir: string): string | undefined {
  for (const name of RULE_FILE_NAMES) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Built-in knowledge answered for the CANN version, plus the given rule file (user entries override
 * built-ins of the same name). The version: `cannVersion` (--cann, the ascendify.cannVersion setting),
 * else the rule file's `cannVersion`, else the default for the porting target (defaultCannVersion).
 */
export function knowledgeWithRules(
  ruleFile: string | undefined,
  cannVersion?: string,
  target: PortingTarget = DEFAULT_TARGET,
): KnowledgeBase {
  const rules = ruleFile ? loadRuleFile(ruleFile) : undefined;
  const wanted = cannVersion?.trim() || rules?.cannVersion || defaultCannVersion(target);
  let version: string;
  try {
    version = cannVersionFor(wanted);
  } catch (e) {
    if (e instanceof CannVersionError) throw new KnowledgeError(cannVersion?.trim() ? e.message : `rule file ${ruleFile}: ${e.message}`);
    throw e;
  }
  const kb = KnowledgeBase.builtinFor(version);
  if (!rules) return kb;
  // The schema has checked the levels: readRuleLevels only maps `info` to `information`.
  return kb.withRules(rules.entries).withRuleControl(readRuleLevels(rules.rules, ruleFile!).levels, rules.ignore ?? []);
}

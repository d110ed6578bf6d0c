import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TARGET, PORTING_TARGET_IDS, PORTING_TARGETS, parseTargetName, targetChoices } from '../../../server/src/common/targets';
import { CANN_VERSIONS, defaultCannVersion } from '../../../server/src/knowledge/cann';

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../package.json'), 'utf8'));

describe('porting targets: one table', () => {
  it('the extension setting lists the same targets, descriptions and default as the table', () => {
    const setting = manifest.contributes.configuration.properties['ascendify.target'];
    expect(setting.enum).toEqual(['a2a3', '950']);
    expect(setting.enum).toEqual([...PORTING_TARGET_IDS]);
    expect(setting.enumDescriptions).toEqual(PORTING_TARGETS.map((t) => t.description));
    expect(setting.default).toBe(DEFAULT_TARGET);
  });

  it('reads the ids and aliases users write, in any case and spacing', () => {
    expect(parseTargetName('a2a3')).toBe('a2a3');
    expect(parseTargetName('A2/A3')).toBe('a2a3');
    expect(parseTargetName('atlas')).toBe('a2a3');
    expect(parseTargetName('Ascend 950')).toBe('950');
    expect(parseTargetName('SIMT')).toBe('950');
    expect(parseTargetName('h100')).toBeUndefined();
    expect(targetChoices()).toBe('a2a3 (Atlas A2/A3) or 950 (Ascend 950)');
  });

  it('each target defaults to an indexed CANN version: 8.1.RC1 for A2/A3, 9.0.0 (first SIMT headers) for 950', () => {
    expect(defaultCannVersion('a2a3')).toBe('8.1.RC1');
    expect(defaultCannVersion('950')).toBe('9.0.0');
    for (const t of PORTING_TARGETS) expect(CANN_VERSIONS).toContain(t.defaultCannVersion);
  });
});

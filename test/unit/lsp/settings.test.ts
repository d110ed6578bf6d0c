import { describe, expect, it } from 'vitest';
import pkg from '../../../package.json';
import { DEFAULT_SETTINGS, readSettings, severityFor } from '../../../server/src/lsp/settings';

describe('language server settings', () => {
  it('package.json documents every setting the server reads, with the same defaults', () => {
    const props = (
      pkg.contributes as {
        configuration: { properties: Record<string, { default: unknown; description?: string; markdownDescription?: string }> };
      }
    ).configuration.properties;
    for (const [key, value] of Object.entries(DEFAULT_SETTINGS)) {
      if (key === 'workspaceTrusted') continue; // sent by the extension from VS Code's workspace trust, not a user setting
      const entry = props[`ascendify.${key}`];
      expect(entry, key).toBeDefined();
      expect(entry.default, key).toEqual(value);
      expect(entry.description ?? entry.markdownDescription, key).toBeTruthy();
    }
  });

  it('reads what the client sends, and falls back to the default for values of the wrong type', () => {
    const s = readSettings({
      enable: 'yes',
      include: ['**/*.cu', 3],
      exclude: ['third_party/**'],
      target: 'Ascend 950',
      severity: { manual: 'error', rename: 'off', rewrite: 'loud' },
      maxFileSizeMB: -1,
      debounceMs: 0,
      effortWeights: [1],
    });
    expect(s.enable).toBe(true);
    expect(s.include).toEqual(DEFAULT_SETTINGS.include);
    expect(s.exclude).toEqual(['third_party/**']);
    expect(s.target).toBe('950');
    expect(s.severity).toEqual({ unmapped: 'warning', none: 'warning', manual: 'error', rewrite: 'information', rename: 'off' });
    expect(s.maxFileSizeMB).toBe(10);
    expect(s.debounceMs).toBe(0);
    expect(s.effortWeights).toEqual({});
    expect(readSettings(null)).toEqual(DEFAULT_SETTINGS);
  });

  it('maps severities to LSP values, "off" to none', () => {
    const s = readSettings({ severity: { manual: 'error', rename: 'off', rewrite: 'hint' } });
    expect(severityFor(s, 'manual')).toBe(1);
    expect(severityFor(s, 'unmapped')).toBe(2);
    expect(severityFor(s, 'rewrite')).toBe(4);
    expect(severityFor(s, 'rename')).toBeUndefined();
  });
});

describe('ascendify.rules: per-rule levels over the kind severity', () => {
  it('reads rule levels, drops what is not a level, and a rule level overrides its kind', () => {
    const s = readSettings({ rules: { 'runtime/cudaFree': 'error', 'unmapped/*': 'off', 'cub/x': 'loud' }, severity: { rename: 'hint' } });
    expect(s.rules).toEqual({ 'runtime/cudaFree': 'error', 'unmapped/*': 'off' });
    expect(severityFor(s, 'rename', 'runtime/cudaFree')).toBe(1); // DiagnosticSeverity.Error
    expect(severityFor(s, 'rename', 'runtime/cudaMalloc')).toBe(4); // the kind's: Hint
    expect(severityFor(s, 'unmapped', 'unmapped/cub')).toBeUndefined();
    // The knowledge base's merged levels (rule file + setting) when given.
    expect(severityFor(s, 'rename', 'runtime/cudaMalloc', { 'runtime/*': 'warning' })).toBe(2);
  });
});

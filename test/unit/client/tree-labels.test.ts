/** The findings tree's labels and filter description, and the rule links the client renders (pure functions). */
import { describe, expect, it } from 'vitest';
import { describeFilter, filterDescription, findingLabel, splitPath } from '../../../client/src/format';
import { isRulePage, openRuleLink, withRuleCommands } from '../../../client/src/links';

const at = (line: number) => ({ start: { line, character: 2 }, end: { line, character: 12 } });

describe('findings tree labels', () => {
  it('a file row is its name with the folder beside it', () => {
    expect(splitPath('Samples/0_Introduction/vectorAdd/vectorAdd.cu')).toEqual({
      name: 'vectorAdd.cu',
      folder: 'Samples/0_Introduction/vectorAdd',
    });
    expect(splitPath('main.cu')).toEqual({ name: 'main.cu', folder: '' });
  });

  it('a finding row is the 1-based line, the name and its CANN name, without an arrow to itself', () => {
    expect(findingLabel({ range: at(13), symbol: 'cudaMalloc', ascend: 'aclrtMalloc' })).toBe('L14 cudaMalloc → aclrtMalloc');
    expect(findingLabel({ range: at(0), symbol: 'threadIdx', ascend: 'threadIdx' })).toBe('L1 threadIdx');
    expect(findingLabel({ range: at(4), symbol: '__shared__', ascend: null })).toBe('L5 __shared__');
  });

  it('the description names the active filter and how many findings pass it', () => {
    expect(filterDescription(340, 340, {})).toBe('340 findings');
    expect(filterDescription(12, 340, { kinds: ['manual', 'none'], fixable: true })).toBe(
      '12 of 340 findings · filter: kind manual, none; auto-fixable',
    );
    expect(describeFilter({ routes: ['Ascend C SIMD redesign (tiles + vector/cube APIs)'], severities: ['warning'] })).toBe(
      'severity warning; route Ascend C SIMD redesign (tiles + vector/cube APIs)',
    );
  });
});

describe('rule links', () => {
  const page = 'file:///home/u/.vscode/extensions/ascendify.ascendify-0.1.0/docs/rules/runtime/cudaMalloc.md';

  it('only local rule pages are rule links', () => {
    expect(isRulePage(page)).toBe(true);
    expect(isRulePage('https://gitcode.com/cann/runtime/blob/master/docs/zh/api_ref/x.md')).toBe(false);
    expect(isRulePage('file:///home/u/project/README.md')).toBe(false);
  });

  it('hover Markdown links the rule page through the command that renders it; the CANN documentation link stays', () => {
    const md = `[CANN documentation](https://gitcode.com/cann/x.md) · [Rule runtime/cudaMalloc](${page})`;
    const { text, changed } = withRuleCommands(md);
    expect(changed).toBe(true);
    expect(text).toBe(
      `[CANN documentation](https://gitcode.com/cann/x.md) · [Rule runtime/cudaMalloc](command:ascendify.openRule?${encodeURIComponent(JSON.stringify([page]))})`,
    );
    expect(JSON.parse(decodeURIComponent(openRuleLink(page).split('?')[1]))).toEqual([page]);
    expect(withRuleCommands('[x](https://example.org/a.md)')).toEqual({ text: '[x](https://example.org/a.md)', changed: false });
  });
});

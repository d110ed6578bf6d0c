import { describe, expect, it } from 'vitest';
import { withTrust } from '../../../client/src/trust';

describe('withTrust', () => {
  const items = [{ section: 'ascendify' }, { section: 'editor' }, { section: 'ascendify' }];

  it('marks the ascendify sections with the trust state and leaves other sections alone', () => {
    const answers = [{ target: '950' }, { tabSize: 2 }, null];
    expect(withTrust(items, answers, false)).toEqual([{ target: '950', workspaceTrusted: false }, { tabSize: 2 }, null]);
    expect(withTrust(items, answers, true)[0]).toEqual({ target: '950', workspaceTrusted: true });
  });

  it('does not change the answers it was given', () => {
    const answers = [{ target: 'a2a3' }];
    withTrust(items, answers, false);
    expect(answers).toEqual([{ target: 'a2a3' }]);
  });
});

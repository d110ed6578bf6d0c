import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamedReplacement } from '../../../server/src/common/atomic';

// fs.writevSync made replaceable by the tests below (a failed or short write cannot be caused on demand).
const real = vi.hoisted(() => ({ writevSync: undefined as unknown as typeof import('node:fs').writevSync }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  real.writevSync = actual.writevSync;
  return { ...actual, writevSync: vi.fn(actual.writevSync) };
});

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-streamed-'));
const target = path.join(dir, 'report.json');
const tmp = `${target}.test.tmp`;
const writes = () => vi.mocked(fs.writevSync).mock.calls;

afterEach(() => {
  vi.mocked(fs.writevSync).mockClear();
  vi.mocked(fs.writevSync).mockImplementation(real.writevSync);
  fs.rmSync(tmp, { force: true });
});

describe('a file written while it is being made (StreamedReplacement)', () => {
  it('puts the pieces in order in place only on finish; until then the old file stays', () => {
    fs.writeFileSync(target, 'old report');
    const file = new StreamedReplacement(tmp, target);
    file.write('{"files":[');
    for (let i = 0; i < 500; i++) file.write(...(i ? [',', Buffer.from(`{"n":${i}}`)] : [Buffer.from('{"n":0}')]));
    file.write('', new Uint8Array(0));
    file.write(']}');
    expect(fs.readFileSync(target, 'utf8')).toBe('old report');
    file.finish();
    const expected = `{"files":[${Array.from({ length: 500 }, (_, i) => `{"n":${i}}`).join(',')}]}`;
    expect(fs.readFileSync(target, 'utf8')).toBe(expected);
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('gathers small pieces into batches of batchBytes, one writev each, written as they fill up', () => {
    const file = new StreamedReplacement(tmp, target, 0o666, 1000);
    // 300 pieces of 10 bytes: three batches of 1,000 bytes.
    for (let i = 0; i < 300; i++) file.write(`piece${String(i).padStart(5, '0')}`);
    expect(writes()).toHaveLength(3);
    expect(fs.statSync(tmp).size).toBe(3000);
    file.write('tail');
    expect(writes()).toHaveLength(3);
    file.finish();
    expect(writes()).toHaveLength(4);
    expect(fs.readFileSync(target, 'utf8')).toBe(
      `${Array.from({ length: 300 }, (_, i) => `piece${String(i).padStart(5, '0')}`).join('')}tail`,
    );
  });

  it('writes a batch when it holds 1,024 pieces (the most one writev takes), whatever their size', () => {
    const file = new StreamedReplacement(tmp, target);
    for (let i = 0; i < 1024; i++) file.write('x');
    expect(writes()).toHaveLength(1);
    expect(writes()[0][1]).toHaveLength(1024);
    file.finish();
    expect(fs.readFileSync(target, 'utf8')).toBe('x'.repeat(1024));
  });

  it('abort leaves the old file and no temp file, and writes nothing more', () => {
    fs.writeFileSync(target, 'old report');
    const file = new StreamedReplacement(tmp, target);
    file.write('half a report');
    file.abort();
    expect(writes()).toHaveLength(0);
    expect(fs.readFileSync(target, 'utf8')).toBe('old report');
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('refuses a temp file that exists already (a planted file or link is never written through)', () => {
    fs.writeFileSync(tmp, 'planted');
    expect(() => new StreamedReplacement(tmp, target)).toThrow(/EEXIST/);
    expect(fs.readFileSync(tmp, 'utf8')).toBe('planted');
  });

  it('a failed write is kept for finish, which removes the temp file and keeps the old file', () => {
    fs.writeFileSync(target, 'old report');
    vi.mocked(fs.writevSync).mockImplementation(((fd: number, buffers: Uint8Array[]) => {
      if (writes().length === 2) throw Object.assign(new Error('no space left on device'), { code: 'ENOSPC' });
      return real.writevSync(fd, buffers);
    }) as never);
    const file = new StreamedReplacement(tmp, target, 0o666, 0); // no batching: a write per call
    file.write('one');
    file.write('two'); // fails; the caller goes on
    file.write('three'); // not written after a failure
    expect(writes()).toHaveLength(2);
    expect(() => file.finish()).toThrow('no space left on device');
    expect(fs.readFileSync(target, 'utf8')).toBe('old report');
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('a short write goes on from where it stopped', () => {
    vi.mocked(fs.writevSync).mockImplementation(((fd: number, buffers: Uint8Array[]) => {
      // Each call writes only the first 3 bytes of what it was given.
      return real.writevSync(fd, [Buffer.concat(buffers).subarray(0, 3)]);
    }) as never);
    const file = new StreamedReplacement(tmp, target, 0o666, 0);
    file.write('abc', 'def');
    file.write('ghi');
    file.finish();
    expect(fs.readFileSync(target, 'utf8')).toBe('abcdefghi');
  });
});

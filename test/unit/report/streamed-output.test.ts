import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamedReplacement } from '../../../server/src/atomic';

// fs.writev made replaceable by the tests below (a failed or short write cannot be caused on demand).
const real = vi.hoisted(() => ({ writev: undefined as unknown as typeof import('node:fs').writev }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  real.writev = actual.writev;
  return { ...actual, writev: vi.fn(actual.writev) };
});
type WritevCallback = (e: NodeJS.ErrnoException | null, written: number) => void;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ascendify-streamed-'));
const target = path.join(dir, 'report.json');
const tmp = `${target}.test.tmp`;

afterEach(() => {
  vi.mocked(fs.writev).mockClear();
  vi.mocked(fs.writev).mockImplementation(real.writev as never);
  fs.rmSync(tmp, { force: true });
});

describe('a file written while it is being made (StreamedReplacement)', () => {
  it('puts the pieces in order in place only on finish; until then the old file stays', async () => {
    fs.writeFileSync(target, 'old report');
    const file = new StreamedReplacement(tmp, target);
    file.write('{"files":[');
    for (let i = 0; i < 500; i++) file.write(...(i ? [',', Buffer.from(`{"n":${i}}`)] : [Buffer.from('{"n":0}')]));
    file.write('', new Uint8Array(0));
    file.write(']}');
    expect(fs.readFileSync(target, 'utf8')).toBe('old report');
    await file.finish();
    const expected = `{"files":[${Array.from({ length: 500 }, (_, i) => `{"n":${i}}`).join(',')}]}`;
    expect(fs.readFileSync(target, 'utf8')).toBe(expected);
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('gathers small pieces into batches of batchBytes, one writev each, in order', async () => {
    const file = new StreamedReplacement(tmp, target, 0o666, 1000);
    // 300 pieces of 10 bytes: three batches of 1,000 bytes, written as they fill up (before finish).
    for (let i = 0; i < 300; i++) file.write(`piece${String(i).padStart(5, '0')}`);
    expect(fs.writev).toHaveBeenCalledTimes(3);
    file.write('tail');
    expect(fs.writev).toHaveBeenCalledTimes(3);
    await file.finish();
    expect(fs.writev).toHaveBeenCalledTimes(4);
    expect(fs.readFileSync(target, 'utf8')).toBe(`${Array.from({ length: 300 }, (_, i) => `piece${String(i).padStart(5, '0')}`).join('')}tail`);
  });

  it('writes a batch when it holds 1,024 pieces (the most one writev takes), whatever their size', async () => {
    const file = new StreamedReplacement(tmp, target);
    for (let i = 0; i < 1024; i++) file.write('x');
    expect(fs.writev).toHaveBeenCalledTimes(1);
    expect(vi.mocked(fs.writev).mock.calls[0][1]).toHaveLength(1024);
    await file.finish();
    expect(fs.readFileSync(target, 'utf8')).toBe('x'.repeat(1024));
  });

  it('abort leaves the old file and no temp file', async () => {
    fs.writeFileSync(target, 'old report');
    const file = new StreamedReplacement(tmp, target);
    file.write('half a report');
    await file.abort();
    expect(fs.readFileSync(target, 'utf8')).toBe('old report');
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('refuses a temp file that exists already (a planted file or link is never written through)', () => {
    fs.writeFileSync(tmp, 'planted');
    expect(() => new StreamedReplacement(tmp, target)).toThrow(/EEXIST/);
    expect(fs.readFileSync(tmp, 'utf8')).toBe('planted');
  });

  it('a failed write fails finish, removes the temp file and keeps the old file', async () => {
    fs.writeFileSync(target, 'old report');
    let calls = 0;
    vi.mocked(fs.writev).mockImplementation(((fd: number, buffers: Uint8Array[], position: number, callback: WritevCallback) => {
      if (++calls === 2) {
        setImmediate(() => callback(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }), 0));
        return;
      }
      real.writev(fd, buffers, position, callback);
    }) as never);
    const file = new StreamedReplacement(tmp, target, 0o666, 0); // no batching: a write per call
    file.write('one');
    file.write('two');
    file.write('three');
    await expect(file.finish()).rejects.toThrow('no space left on device');
    expect(fs.readFileSync(target, 'utf8')).toBe('old report');
    expect(fs.existsSync(tmp)).toBe(false);
  });

  it('a short write goes on from where it stopped', async () => {
    let first = true;
    vi.mocked(fs.writev).mockImplementation(((fd: number, buffers: Uint8Array[], position: number, callback: WritevCallback) => {
      // The first call writes only the first 3 bytes of what it was given.
      real.writev(fd, first ? [Buffer.concat(buffers).subarray(0, 3)] : buffers, position, callback);
      first = false;
    }) as never);
    const file = new StreamedReplacement(tmp, target, 0o666, 0);
    file.write('abc', 'def');
    file.write('ghi');
    await file.finish();
    expect(fs.readFileSync(target, 'utf8')).toBe('abcdefghi');
  });
});

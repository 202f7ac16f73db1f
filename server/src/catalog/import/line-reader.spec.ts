import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ImportLineError } from './import-format.js';
import { DEFAULT_READ_LIMITS, readLines, type ReadLimits } from './line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'countersign-line-reader-'));
let n = 0;
const file = (content: string | Buffer) => {
  const path = join(dir, `f${n++}`);
  writeFileSync(path, content);
  return path;
};

async function read(
  path: string,
  gzip = false,
  limits: ReadLimits = DEFAULT_READ_LIMITS,
): Promise<string[]> {
  const lines: string[] = [];
  for await (const line of readLines(path, { gzip, limits })) lines.push(line);
  return lines;
}

describe(readLines.name, () => {
  it('yields lines without their LF or CRLF ends, across chunks, multi-byte characters whole', async () => {
    // 60,000 bytes after 40,000: the line spans the 64 KB chunks of the file stream.
    const first = 'x'.repeat(40_000);
    const long = 'é'.repeat(30_000);
    expect(await read(file(`a\tb\r\n${first}\n${long}\n\n`))).toEqual(['a\tb', first, long, '']);
  });

  it('refuses a last line without its line end, naming the line', async () => {
    await expect(read(file('code\tvalue\nA0001\t1\nA0002\t'))).rejects.toEqual(
      new ImportLineError(3, 'the last line has no line end: the file is cut short'),
    );
  });

  it('accepts trailing blanks or a DOS end-of-file mark after the last line', async () => {
    expect(await read(file('a\nb\n\u001a'))).toEqual(['a', 'b']);
  });

  it('refuses a NUL byte with its line', async () => {
    await expect(read(file('a\nb\nc\u0000d\ne\n'))).rejects.toEqual(
      new ImportLineError(3, 'the line holds a NUL byte: this is a binary file, not a text file'),
    );
  });

  it('refuses a line over the limit, also one that never ends', async () => {
    const limits = { ...DEFAULT_READ_LIMITS, maxLineBytes: 100 };
    await expect(read(file(`ok\n${'x'.repeat(101)}\n`), false, limits)).rejects.toMatchObject({
      line: 2,
      reason: expect.stringMatching(/longer than 100 bytes/),
    });
    await expect(read(file('x'.repeat(1_000_000)), false, limits)).rejects.toMatchObject({
      line: 1,
      reason: expect.stringMatching(/longer than 100 bytes/),
    });
  });

  it('reads a gzip, and refuses one that is cut short, damaged, or expands like a bomb', async () => {
    const text =
      Array.from({ length: 2000 }, (_, i) => `line ${i}\t${(i * 7919) % 10007}`).join('\n') + '\n';
    const gz = gzipSync(text);
    expect(await read(file(gz), true)).toHaveLength(2000);
    await expect(read(file(gz.subarray(0, gz.length - 20)), true)).rejects.toMatchObject({
      reason: 'the compressed file ends in the middle (truncated)',
    });
    const damaged = Buffer.from(gz);
    damaged.fill(0xff, 20, 60);
    await expect(read(file(damaged), true)).rejects.toMatchObject({
      reason: expect.stringMatching(/damaged|truncated|NUL/),
    });
    const limits = { ...DEFAULT_READ_LIMITS, ratioFloorBytes: 1024 * 1024 };
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024, `${'a'.repeat(1023)}\n`));
    await expect(read(file(bomb), true, limits)).rejects.toMatchObject({
      reason: expect.stringMatching(/expands more than 100 times .* decompression bomb/),
    });
    await expect(
      read(file(bomb), true, { ...limits, maxRatio: 1e9, maxDecompressedBytes: 2 * 1024 * 1024 }),
    ).rejects.toMatchObject({ reason: expect.stringMatching(/expands to more than 2 MB/) });
  });
});

import { createReadStream } from 'node:fs';
import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ImportLineError } from './import-format.js';

/** What a file may be before it is refused: bounds on lines and on what a gzip expands to. */
export interface ReadLimits {
  /** The longest line, in bytes (the widest CMS record is 320 characters). */
  maxLineBytes: number;
  /** A gzip never expands past this, whatever its size. */
  maxDecompressedBytes: number;
  /** Past `ratioFloorBytes`, a gzip may expand at most this many times its compressed size. */
  maxRatio: number;
  ratioFloorBytes: number;
}

/**
 * Text files compress 5-15 times (the full PTP file: 6x, ICD-10-CM: 12x); a gzip bomb
 * compresses about a thousand times.
 */
export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxLineBytes: 64 * 1024,
  maxDecompressedBytes: 2 * 1024 ** 3,
  maxRatio: 100,
  ratioFloorBytes: 16 * 1024 ** 2,
};

const mb = (bytes: number) => `${Math.round(bytes / 1024 ** 2).toLocaleString('en-US')} MB`;

/**
 * The lines of a file (gunzipped when `gzip`), without their line ends, refusing with the line
 * and the reason: a NUL byte, a line longer than the limit, a gzip that expands too far or is
 * cut short, and a last line without its line end (a file cut short in the middle of a line).
 * Every stream error surfaces here as a rejection of the loop, never as an uncaught event.
 */
export async function* readLines(
  path: string,
  options: { gzip: boolean; limits?: ReadLimits; onBytesRead?: (compressedBytes: number) => void },
): AsyncGenerator<string, void, undefined> {
  const limits = options.limits ?? DEFAULT_READ_LIMITS;
  let compressed = 0;
  const raw = createReadStream(path);
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      compressed += chunk.length;
      options.onBytesRead?.(compressed);
      callback(null, chunk);
    },
  });
  const stages: Array<Readable | Transform> = options.gzip
    ? [raw, counter, createGunzip()]
    : [raw, counter];
  const text = stages[stages.length - 1]!;
  // pipeline forwards an error of any stage to the last one, whose iteration then rejects.
  pipeline(stages as [Readable, ...Transform[]], () => undefined);

  let lineNo = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let expanded = 0;
  const tooLong = () =>
    new ImportLineError(
      lineNo + 1,
      `the line is longer than ${limits.maxLineBytes.toLocaleString('en-US')} bytes: this is not a code set or edit file`,
    );
  try {
    for await (const chunk of text as AsyncIterable<Buffer>) {
      expanded += chunk.length;
      if (options.gzip && expanded > limits.maxDecompressedBytes) {
        throw new ImportLineError(
          lineNo + 1,
          `the compressed file expands to more than ${mb(limits.maxDecompressedBytes)}: refused`,
        );
      }
      if (
        options.gzip &&
        expanded > limits.ratioFloorBytes &&
        expanded > compressed * limits.maxRatio
      ) {
        throw new ImportLineError(
          lineNo + 1,
          `the compressed file expands more than ${limits.maxRatio} times (${mb(compressed)} to over ${mb(expanded)}): refused as a decompression bomb`,
        );
      }
      const nul = chunk.indexOf(0);
      if (nul >= 0) {
        let line = lineNo + 1;
        for (let i = chunk.indexOf(10); i !== -1 && i < nul; i = chunk.indexOf(10, i + 1))
          line += 1;
        throw new ImportLineError(
          line,
          'the line holds a NUL byte: this is a binary file, not a text file',
        );
      }
      let start = 0;
      for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, end);
        if (pendingBytes + piece.length > limits.maxLineBytes) throw tooLong();
        const bytes = pendingBytes ? Buffer.concat([...pending, piece]) : piece;
        pending = [];
        pendingBytes = 0;
        start = end + 1;
        lineNo += 1;
        const line = bytes.toString('utf8');
        yield line.endsWith('\r') ? line.slice(0, -1) : line;
      }
      if (start < chunk.length) {
        const rest = chunk.subarray(start);
        pendingBytes += rest.length;
        if (pendingBytes > limits.maxLineBytes) throw tooLong();
        pending.push(Buffer.from(rest));
      }
    }
  } catch (error) {
    if (error instanceof ImportLineError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    if (/unexpected end of file/i.test(reason))
      throw new ImportLineError(lineNo + 1, 'the compressed file ends in the middle (truncated)');
    if (/incorrect header check|invalid|unknown compression/i.test(reason))
      throw new ImportLineError(lineNo + 1, `the compressed file is damaged (${reason})`);
    throw error;
  } finally {
    for (const stage of stages) stage.destroy();
  }
  // A DOS end-of-file mark or trailing blanks are not a cut; anything else without its line end is.
  // eslint-disable-next-line no-control-regex -- \x1a is the DOS end-of-file mark this allows
  if (pendingBytes > 0 && /[^\s\x1a]/.test(Buffer.concat(pending).toString('utf8'))) {
    throw new ImportLineError(lineNo + 1, 'the last line has no line end: the file is cut short');
  }
}

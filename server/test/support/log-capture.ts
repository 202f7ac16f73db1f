import { createJsonLogger } from '../../src/logging/json-logger.js';

/**
 * Everything the process writes to stdout and stderr while capturing: the server's logger
 * (the same JSON logger `npm start` uses, at the most verbose level), Node's own warnings and
 * anything else that prints. Kept in memory, not echoed.
 */
export class LogCapture {
  readonly logger = createJsonLogger('verbose');
  private readonly chunks: string[] = [];
  private restore: (() => void) | null = null;
  private originalStderr: ((text: string) => boolean) | null = null;

  start(): void {
    const out = process.stdout.write.bind(process.stdout);
    const err = process.stderr.write.bind(process.stderr);
    this.originalStderr = err;
    const keep = (chunk: unknown): true => {
      this.chunks.push(
        typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'),
      );
      return true;
    };
    process.stdout.write = keep;
    process.stderr.write = keep;
    this.restore = () => {
      process.stdout.write = out;
      process.stderr.write = err;
    };
  }

  /** Prints to the real stderr, past the capture (a test's own report). */
  print(text: string): void {
    (this.originalStderr ?? process.stderr.write.bind(process.stderr))(`${text}\n`);
  }

  stop(): void {
    this.restore?.();
    this.restore = null;
  }

  get lines(): string[] {
    return this.chunks.join('').split('\n').filter(Boolean);
  }

  /** The log lines that contain any of `secrets` (compared case-insensitively, also JSON-escaped). */
  linesContaining(secrets: readonly string[]): string[] {
    const needles = secrets
      .flatMap((s) => [s, JSON.stringify(s).slice(1, -1)])
      .map((s) => s.toLowerCase());
    return this.lines.filter((line) =>
      needles.some((needle) => line.toLowerCase().includes(needle)),
    );
  }
}

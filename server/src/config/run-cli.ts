import { ConfigError } from './config.js';

/**
 * Runs a command-line entry point: exits with the code `main` resolves to; a configuration
 * problem prints its message alone, anything else its stack, and exits 1.
 */
export function runCli(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(
        `${error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    },
  );
}

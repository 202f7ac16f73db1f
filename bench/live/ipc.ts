/** The message a live-benchmark server answers with its statement count (see sql-counter.ts). */
export const SQL_COUNT_MESSAGE = 'livebench:sql-count';

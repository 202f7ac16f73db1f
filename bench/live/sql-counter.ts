/**
 * Preloaded (`node --import`) into each server the live benchmark starts, the app's and the bare
 * one's alike, so both are counted the same way: every statement a pg client sends. The count
 * goes only to the parent over the IPC channel of `fork`, so nothing in the server changes.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';
import { SQL_COUNT_MESSAGE } from './ipc.js';

// The servers load pg as CommonJS from the root node_modules; this is the same module instance.
const { Client } = createRequire(import.meta.url)('pg') as typeof pg;

let statements = 0;
const query = Client.prototype.query as (...args: unknown[]) => unknown;
(Client.prototype as { query: (...args: unknown[]) => unknown }).query = function (
  this: pg.Client,
  ...args: unknown[]
) {
  statements++;
  return query.apply(this, args);
};

process.on('message', (message: unknown) => {
  if (message === SQL_COUNT_MESSAGE) process.send?.({ sqlCount: statements });
});

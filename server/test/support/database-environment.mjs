/**
 * The integration files' Jest environment: before a file's code loads, it gets a database of its
 * own, a copy of the run's migrated template, as COUNTERSIGN_TEST_DB_URL; the copy is dropped
 * when the file ends. A file whose docblock says `@database code-sets` gets a copy of the
 * template with the shipped public code sets loaded instead.
 */
import { TestEnvironment } from 'jest-environment-node';
import { TEMPLATE_ENV, codeSetTemplate, copyTemplate, dropDatabase } from './test-databases.mjs';

export default class DatabaseEnvironment extends TestEnvironment {
  constructor(config, context) {
    super(config, context);
    this.wantsCodeSets = context.docblockPragmas.database === 'code-sets';
    this.databaseUrl = null;
  }

  async setup() {
    await super.setup();
    const templateUrl = process.env[TEMPLATE_ENV];
    if (!templateUrl)
      throw new Error(`${TEMPLATE_ENV} is not set: run through npm run test:int -w server`);
    this.databaseUrl = await copyTemplate(
      this.wantsCodeSets ? await codeSetTemplate(templateUrl) : templateUrl,
    );
    this.global.process.env.COUNTERSIGN_TEST_DB_URL = this.databaseUrl;
  }

  async teardown() {
    try {
      if (this.databaseUrl) await dropDatabase(this.databaseUrl);
    } finally {
      await super.teardown();
    }
  }
}

import { Module } from '@nestjs/common';
import { CatalogGeneration } from './catalog-generation.js';
import { CatalogImportService } from './catalog-import.service.js';
import { CatalogSearchService } from './catalog-search.service.js';
import { CatalogController } from './catalog.controller.js';
import { CatalogRepository } from './catalog.repository.js';
import { CatalogService } from './catalog.service.js';

/** The code catalogue: lookups, the typeahead search, and imports of code sets and edit files. */
@Module({
  controllers: [CatalogController],
  providers: [
    CatalogRepository,
    CatalogService,
    CatalogSearchService,
    CatalogImportService,
    CatalogGeneration,
  ],
  exports: [CatalogService, CatalogSearchService, CatalogGeneration],
})
export class CatalogModule {}

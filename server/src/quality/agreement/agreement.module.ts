import { Module } from '@nestjs/common';
import { AgreementController } from './agreement.controller.js';
import { AgreementRepository } from './agreement.repository.js';
import { AgreementService } from './agreement.service.js';

/** Agreement statistics over blind double coding: GET /api/quality/agreement. */
@Module({
  controllers: [AgreementController],
  providers: [AgreementRepository, AgreementService],
})
export class AgreementModule {}

/**
 * @countersign/shared: the one definition of every shape, event and error code that crosses
 * the wire, and the pure coding rules that run in both the browser and the server.
 */
export * from './errors/error-codes.js';
export * from './common/text.js';
export * from './coding/formats.js';
export * from './coding/place-of-service.js';
export * from './coding/npi.js';
export * from './coding/pointers.js';
export * from './coding/code-sections.js';
export * from './coding/editions.js';
export * from './auth/roles.js';
export * from './auth/auth.schema.js';
export * from './users/initials.js';
export * from './users/user.schema.js';
export * from './users/people.schema.js';
export * from './review/review-state.schema.js';
export * from './review/review-policy.js';
export * from './review/review-commands.schema.js';
export * from './review/approval-blockers.js';
export * from './assignment/assignment.schema.js';
export * from './assignment/assignment-rules.js';
export * from './encounter/encounter.schema.js';
export * from './encounter/worklist.schema.js';
export * from './encounter/encounter-events.js';
export * from './realtime/events.js';
export * from './catalog/catalog.schema.js';
export * from './edits/edits.schema.js';
export * from './edits/edits.js';
export * from './edits/ptp.js';
export * from './edits/fees.js';
export * from './edits/code-attributes.js';
export * from './audit/audit.schema.js';
export * from './intake/intake.schema.js';
export * from './export/claim-export.js';
export * from './export/export-media.js';
export * from './export/export.schema.js';
export * from './quality/accuracy.js';
export * from './quality/chart-result.js';
export * from './quality/quality.schema.js';
export * from './quality/sampling.schema.js';
export * from './quality/sampling.js';
export * from './quality/precedent.schema.js';
export * from './agreement/agreement.js';
export * from './agreement/double-coding.schema.js';
export * from './practice/scoring.js';
export * from './quality/precedent-draft.js';

import { z } from 'zod';
import type { Refinement } from '../shared/json-check';
import { caseEventRefinements } from './refinements';
import { caseStages, enforcementFields } from './types';

// The single source of the case API's shapes: the HTTP layer validates with these, the OpenAPI document is generated
// from them, and so is the JSON Schema the workflow re-validates events with (a client may bypass HTTP) without
// bringing zod into the workflow bundle (event-schema.generated.ts, npm run workflow:schemas).

// Plain string formats rather than z.iso.*, so that the JSON Schema generated from these (for the workflow's zod-free
// check, event-schema.generated.ts) says exactly what zod checks.
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
// What JSON Schema cannot say, each a named rule of refinements.ts checked by hand in the workflow (event-check.ts):
//   instant: realInstant, instantInYears (2000-2099, as Shanghai reads it); date: realDate, dateInYears;
//   appearance-plan: deputyGivesReason; loss-report-review: returnedWithComments; registration-amended's changes:
//   someChange; and every text() trims before its length checks (x-trim).
// The generator (npm run workflow:schemas) refuses any other refinement or transform, so the two cannot drift.
const rule = (r: Refinement) => [r.check, r.path ? { message: r.message, path: [...r.path] } : r.message] as const;
const R = caseEventRefinements;
const instant = z
  .string()
  .regex(INSTANT, '须为带时区的ISO 8601时刻，例如 2026-02-10T09:30:00+08:00')
  .refine(...rule(R.realInstant))
  .refine(...rule(R.instantInYears))
  .describe('ISO 8601 instant with offset, within 2000-2099, e.g. 2026-02-10T09:30:00+08:00');
const date = z
  .string()
  .regex(DATE, '须为 YYYY-MM-DD 格式的日期')
  .refine(...rule(R.realDate))
  .refine(...rule(R.dateInYears))
  .describe('Shanghai calendar date, YYYY-MM-DD, within 2000-2099');
const text = (max: number) => z.string().trim().min(1).max(max);
const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/, 'letters, digits and dashes, at most 64');

export const caseIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9-]{2,63}$/,
    'a case id is 3 to 64 letters, digits or dashes, starting with a letter or digit',
  );
export const agencyIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,63}$/, 'unknown agency id format');
export const stageSchema = z.enum(caseStages);
export const fieldSchema = z.enum(enforcementFields);
export const judgmentOutcomeSchema = z.enum(['won', 'lost', 'partly-lost', 'dismissed', 'other']);
export const judgmentInstanceSchema = z.enum(['first', 'second', 'retrial']);
export const judgmentDocumentTypeSchema = z.enum(['judgment', 'ruling']);
/** When a completion happened, if not now: not in the future, not before the case's trigger (checked by the case). */
const occurredAt = instant.optional().describe('when it happened, if earlier than now (not before the trigger)');

export const triggerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('oral-notice'), receivedAt: instant }).describe('口头通知行政起诉事项 (pre-suit)'),
  z
    .object({
      type: z.literal('entrustment-letter'),
      receivedAt: instant,
      stage: z.enum(['pre-suit', 'in-suit', 'post-judgment']).default('pre-suit'),
    })
    .describe('《委托协调化解函》'),
  z.object({ type: z.literal('response-notice'), receivedAt: instant }).describe('应诉通知书 (in-suit)'),
  z
    .object({
      type: z.literal('judgment'),
      receivedAt: instant,
      outcome: judgmentOutcomeSchema,
      documentNo: text(100).optional(),
      instance: judgmentInstanceSchema.default('first'),
      documentType: judgmentDocumentTypeSchema.default('judgment'),
    })
    .describe('裁判文书 (post-judgment; a first-instance one starts its appeal period)'),
]);

export const registrationSchema = z.object({
  caseId: caseIdSchema,
  title: text(200),
  agencyId: agencyIdSchema,
  countyGovernmentDefendant: z.boolean().default(false),
  field: fieldSchema,
  plaintiff: text(200),
  trigger: triggerSchema,
});
export type Registration = z.infer<typeof registrationSchema>;
export type RegistrationInput = z.input<typeof registrationSchema>;

const mediationResultSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('resolved'), summary: text(4000) }),
  z.object({
    outcome: z.literal('failed'),
    process: text(4000).describe('协调化解过程'),
    demands: text(4000).describe('双方诉求'),
    disputeFocus: text(4000).describe('争议焦点'),
    failureReasons: text(4000).describe('无法协调化解原因'),
  }),
]);

export const registrationChangesSchema = z
  .object({
    title: text(200).optional(),
    agencyId: agencyIdSchema.optional(),
    field: fieldSchema.optional(),
    triggerReceivedAt: instant.optional(),
    outcome: judgmentOutcomeSchema.optional(),
  })
  .refine(...rule(R.someChange));

export const caseEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('presuit-feedback'),
    summary: text(4000),
    settled: z.boolean().optional().describe('true: the dispute was settled before suit (诉前化解); the case ends'),
    occurredAt,
  }),
  z.object({ type: z.literal('entrustment-letter'), receivedAt: instant }),
  z.object({ type: z.literal('mediation-progress'), summary: text(4000), occurredAt }),
  z.object({
    type: z.literal('mediation-extension'),
    newEndDate: date,
    partiesConsented: z.literal(true, {
      error: '延长协调化解期限须经各方当事人同意（partiesConsented: true）',
    }),
    courtInformedOn: date,
  }),
  z.object({ type: z.literal('mediation-result'), result: mediationResultSchema, occurredAt }),
  z.object({ type: z.literal('response-notice'), receivedAt: instant }),
  z.object({ type: z.literal('insuit-report'), summary: text(4000).optional(), occurredAt }),
  z.object({ type: z.literal('defence-submitted'), note: text(1000).optional(), occurredAt }),
  z.object({ type: z.literal('self-correction'), description: text(4000), courtInformedOn: date.optional() }),
  z.object({
    type: z.literal('withdrawn'),
    rulingOn: date.describe('the date of the court’s 准予撤诉 ruling'),
    reason: text(1000).optional(),
  }),
  z.object({
    type: z.literal('hearing-scheduled'),
    hearingId: id.optional(),
    scheduledAt: instant,
    headAppearanceRequired: z.boolean(),
    record: z
      .object({
        appeared: z.boolean(),
        who: text(100),
        role: z.enum(['principal', 'deputy', 'vice-county-head', 'other']),
        spoke: z.boolean(),
        viceCountyHeadAppeared: z.boolean().optional(),
      })
      .optional()
      .describe('a hearing learned of after it took place: its appearance record (required for a past date)'),
  }),
  z.object({ type: z.literal('hearing-rescheduled'), hearingId: id, scheduledAt: instant, reason: text(1000) }),
  z.object({ type: z.literal('hearing-cancelled'), hearingId: id, reason: text(1000) }),
  z
    .object({
      type: z.literal('appearance-plan'),
      hearingId: id,
      appearing: z.enum(['principal', 'deputy']),
      name: text(100),
      reason: text(1000).optional(),
      viceCountyHead: text(100)
        .optional()
        .describe('when the county government is the defendant: the vice county head who appears'),
      occurredAt,
    })
    .refine(...rule(R.deputyGivesReason)),
  z.object({
    type: z.literal('substitute-approval'),
    hearingId: id,
    approved: z.boolean(),
    comment: text(1000).optional(),
  }),
  z.object({
    type: z.literal('appearance-record'),
    hearingId: id,
    appeared: z.boolean(),
    who: text(100),
    role: z.enum(['principal', 'deputy', 'vice-county-head', 'other']),
    spoke: z.boolean(),
    viceCountyHeadAppeared: z.boolean().optional(),
  }),
  z.object({
    type: z.literal('judgment'),
    receivedAt: instant,
    outcome: judgmentOutcomeSchema,
    documentNo: text(100).optional(),
    instance: judgmentInstanceSchema.default('first'),
    documentType: judgmentDocumentTypeSchema.default('judgment'),
  }),
  z.object({
    type: z.literal('appeal-filed'),
    filedOn: date,
    by: z.enum(['agency', 'plaintiff', 'third-party']),
  }),
  z.object({ type: z.literal('judgment-effective'), effectiveOn: date }),
  z.object({
    type: z.literal('appeal-decision'),
    decision: z.enum(['appeal', 'accept']),
    reason: text(2000).optional(),
    occurredAt,
  }),
  z.object({
    type: z.literal('filing'),
    documentNo: text(100).optional(),
    note: text(1000).optional(),
    occurredAt,
  }),
  z.object({ type: z.literal('loss-analysis-report'), summary: text(8000), occurredAt }),
  z
    .object({
      type: z.literal('loss-report-review'),
      decision: z.enum(['approved', 'returned']),
      comments: text(4000).optional(),
    })
    .refine(...rule(R.returnedWithComments)),
  z.object({ type: z.literal('major-case'), reason: text(2000) }),
  z
    .object({ type: z.literal('recalculate-deadlines') })
    .describe('recompute provisional due dates after new calendar data'),
  z.object({ type: z.literal('registration-amended'), changes: registrationChangesSchema, reason: text(2000) }),
  z.object({ type: z.literal('registration-voided'), reason: text(2000) }),
]);
export type CaseEvent = z.infer<typeof caseEventSchema>;
export type CaseEventType = CaseEvent['type'];
/** An event as a client sends it (defaults not yet applied): the workflow parses it again. */
export type CaseEventInput = z.input<typeof caseEventSchema>;
export const caseEventTypes = caseEventSchema.options.map((o) => o.shape.type.value) as CaseEventType[];

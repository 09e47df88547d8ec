import { z } from 'zod';
import { caseStages, enforcementFields } from './types';

// The single source of the case API's shapes: the HTTP layer validates with these, the workflow's update validator
// re-validates with them (a client may bypass HTTP), and the OpenAPI document is generated from them.

// Plain string formats rather than z.iso.*: these schemas also run inside the workflow sandbox, where z.iso.date()
// misreads its own definition (it checks for a Date object there).
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const realDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};
const instant = z
  .string()
  .regex(INSTANT, 'an ISO 8601 instant with offset, e.g. 2026-02-10T09:30:00+08:00')
  .refine((v) => realDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v)), 'not a real instant')
  .describe('ISO 8601 instant with offset, e.g. 2026-02-10T09:30:00+08:00');
const date = z
  .string()
  .regex(DATE, 'a date as YYYY-MM-DD')
  .refine(realDate, 'not a real calendar date')
  .describe('Shanghai calendar date, YYYY-MM-DD');
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
    })
    .describe('生效裁判文书 (post-judgment)'),
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

export const caseEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('presuit-feedback'), summary: text(4000) }),
  z.object({ type: z.literal('entrustment-letter'), receivedAt: instant }),
  z.object({ type: z.literal('mediation-progress'), summary: text(4000) }),
  z.object({
    type: z.literal('mediation-extension'),
    newEndDate: date,
    partiesConsented: z.literal(true, {
      error: 'an extension needs the consent of all parties (partiesConsented: true)',
    }),
    courtInformedOn: date,
  }),
  z.object({ type: z.literal('mediation-result'), result: mediationResultSchema }),
  z.object({ type: z.literal('response-notice'), receivedAt: instant }),
  z.object({ type: z.literal('insuit-report'), summary: text(4000).optional() }),
  z.object({ type: z.literal('self-correction'), description: text(4000), courtInformedOn: date.optional() }),
  z.object({ type: z.literal('withdrawn'), reason: text(1000).optional() }),
  z.object({
    type: z.literal('hearing-scheduled'),
    hearingId: id.optional(),
    scheduledAt: instant,
    headAppearanceRequired: z.boolean(),
  }),
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
    })
    .refine((p) => p.appearing !== 'deputy' || !!p.reason, {
      path: ['reason'],
      message: 'a deputy appearing needs the principal head’s reason',
    }),
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
  }),
  z.object({ type: z.literal('filing'), documentNo: text(100).optional(), note: text(1000).optional() }),
  z.object({ type: z.literal('loss-analysis-report'), summary: text(8000) }),
  z
    .object({
      type: z.literal('loss-report-review'),
      decision: z.enum(['approved', 'returned']),
      comments: text(4000).optional(),
    })
    .refine((r) => r.decision !== 'returned' || !!r.comments, {
      path: ['comments'],
      message: 'a report sent back needs comments',
    }),
  z.object({ type: z.literal('major-case'), reason: text(2000) }),
  z
    .object({ type: z.literal('recalculate-deadlines') })
    .describe('recompute provisional due dates after new calendar data'),
]);
export type CaseEvent = z.infer<typeof caseEventSchema>;
export type CaseEventType = CaseEvent['type'];
export const caseEventTypes = caseEventSchema.options.map((o) => o.shape.type.value) as CaseEventType[];

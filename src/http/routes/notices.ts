import { Router } from 'express';
import { z } from 'zod';
import type { Directory } from '../../directory';
import { noticeKinds } from '../../notifications/types';
import { noticeStatuses, type NoticeFilter, type RegistryStore } from '../../registry';
import { canSeeAgency, registryScope, type Principal } from '../../access';
import { NotFoundError } from '../../errors';
import type { NoticeService } from '../../services/notices';
import { principalOf } from '../auth';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';

const recipientSchema = z
  .string()
  .regex(
    /^(bureau|court|principal-leader|county-government|agency:[a-z0-9-]+|leader:[a-z0-9-]+)$/,
    'a recipient such as bureau or agency:<id>',
  );
const caseIdSchema = z.string().min(1).max(128);

export const noticesQuerySchema = z
  .object({
    caseId: caseIdSchema.optional(),
    recipient: recipientSchema.optional(),
    status: z.enum(noticeStatuses).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

export const caseRecordParamsSchema = z.object({ caseId: caseIdSchema });

export const noticeSchema = z
  .object({
    id: z.string(),
    key: z.string(),
    caseId: z.string(),
    dutyId: z.string().nullable(),
    kind: z.enum(noticeKinds),
    agencyId: z.string().nullable(),
    recipient: z.string(),
    /** `none`: the recipient had no usable contact (the row is `undeliverable`). */
    channel: z.enum(['email', 'wecom', 'dingtalk', 'webhook', 'log', 'none']),
    contactNo: z.number().int(),
    target: z.string(),
    status: z.enum(noticeStatuses),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    channelAnswer: z.string().nullable(),
    subject: z.string(),
    body: z.string(),
    facts: z.record(z.string(), z.unknown()),
    requestedAt: z.string(),
    createdAt: z.string(),
    sendingAt: z.string().nullable(),
    deliveredAt: z.string().nullable(),
    failedAt: z.string().nullable(),
  })
  .openapi('Notice');

const caseRecordSchema = z
  .object({
    case: z.record(z.string(), z.unknown()),
    stageChanges: z.array(z.record(z.string(), z.unknown())),
    duties: z.array(z.record(z.string(), z.unknown())),
    hearings: z.array(z.record(z.string(), z.unknown())),
    mediations: z.array(z.record(z.string(), z.unknown())),
    judgment: z.record(z.string(), z.unknown()).nullable(),
    timeline: z.array(z.record(z.string(), z.unknown())),
    notices: z.array(noticeSchema),
  })
  .openapi('CaseRecord');

registerRoute({
  method: 'get',
  path: '/api/notices',
  summary: 'Notices and their delivery proof (the outbox)',
  description:
    'Bureau and operator see every notice; an agency those of its own cases or addressed to it; a leader those of the agencies in charge or addressed to the leader. Newest first.',
  request: { query: noticesQuerySchema },
  responses: {
    200: {
      description: 'the notices',
      content: { 'application/json': { schema: z.object({ notices: z.array(noticeSchema) }) } },
    },
  },
});

registerRoute({
  method: 'get',
  path: '/api/cases/{caseId}/record',
  summary: "The registry's copy of a case (登记建档)",
  description:
    'Header, stage changes, duties, hearings, mediations, judgment, timeline and notices; kept after the workflow is gone. A case you may not see answers 404.',
  request: { params: caseRecordParamsSchema },
  responses: { 200: { description: 'the case record', content: { 'application/json': { schema: caseRecordSchema } } } },
});

export const noticeParamsSchema = z.object({ id: z.string().min(1).max(1024) });

registerRoute({
  method: 'post',
  path: '/api/notices/{id}/resend',
  summary: 'Resend one notice (one outbox row) — bureau only',
  description:
    'A failed, undeliverable or still pending row is reopened in the outbox and due at once: the delivery worker sends it again, to the contact as the directory has it now, with a new 7-day horizon. A delivered row answers 409.',
  request: { params: noticeParamsSchema },
  responses: {
    202: {
      description: 'the resend started',
      content: {
        'application/json': {
          schema: z.object({ id: z.string(), status: z.literal('resending') }),
        },
      },
    },
  },
});

/** What a principal may see of the notices: undefined for everything. */
function scopeOf(p: Principal): NoticeFilter['scope'] {
  const scope = registryScope(p);
  return scope && { agencyIds: scope.agencyIds, recipients: scope.parties };
}

/** GET /notices and GET /cases/:caseId/record, read from the registry. */
export function createNoticesRouter(deps: {
  store: RegistryStore;
  directory: Directory;
  /** Resends need it; without one (read-only deployments, tests of the reads) the route is not mounted. */
  notices?: NoticeService;
}): Router {
  const router = Router();

  const notices = deps.notices;
  if (notices)
    router.post('/notices/:id/resend', async (req, res) => {
      const { id } = parseOr400(noticeParamsSchema, req.params, 'path');
      res.status(202).json(await notices.resend(id, principalOf(req)));
    });

  router.get('/notices', async (req, res) => {
    const query = parseOr400(noticesQuerySchema, req.query, 'query');
    const notices = await deps.store.listNotices({ ...query, scope: scopeOf(principalOf(req)) });
    res.json({ notices });
  });

  router.get('/cases/:caseId/record', async (req, res) => {
    const { caseId } = parseOr400(caseRecordParamsSchema, req.params, 'path');
    const record = await deps.store.getCaseRecord(caseId);
    // 👉 Someone else's case answers exactly like a missing one: existence is not disclosed.
    if (!record || !canSeeAgency(principalOf(req), record.case.agencyId)) throw new NotFoundError('未找到该案件');
    res.json(record);
  });

  return router;
}

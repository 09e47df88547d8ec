import { Router } from 'express';
import { z } from 'zod';
import type { CaseService } from '../../services/cases';
import {
  caseEventSchema,
  caseEventTypes,
  caseIdSchema,
  agencyIdSchema,
  registrationSchema,
  stageSchema,
} from '../../workflows/case/schemas';
import { TIMELINE_KEPT } from '../../workflows/case/machine';
import { principalOf } from '../auth';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';

const caseParams = z.object({ caseId: caseIdSchema });
/** A retry with the same key (and the same body) answers what the first call answered. */
const idempotencyHeader = z.object({ 'idempotency-key': z.string().min(1).max(200).optional() });
const boolParam = z.enum(['true', 'false']).transform((v) => v === 'true');
export const caseListQuery = z.object({
  agencyId: agencyIdSchema.optional(),
  stage: stageSchema.optional(),
  overdue: boolParam.optional(),
  major: boolParam.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

// The state is the workflow's plain JSON (src/workflows/case/types.ts); documented loosely to stay one source.
const caseStateSchema = z
  .object({
    caseId: z.string(),
    stage: stageSchema,
    agencyId: z.string(),
    leaderId: z.string(),
    allowedEvents: z.array(z.enum(caseEventTypes)).describe('the events this caller may send now'),
    timeline: z
      .array(z.record(z.string(), z.unknown()))
      .describe(`the ${TIMELINE_KEPT} most recent timeline entries; every entry is in GET /api/cases/{caseId}/record`),
  })
  .passthrough()
  .openapi('CaseState');
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

registerRoute({
  method: 'post',
  path: '/api/cases',
  summary: '登记案件 Register a case',
  description:
    'Starts the case workflow (id case-<caseId>) and answers its state once due dates are computed and the first notices sent.',
  request: {
    headers: idempotencyHeader,
    body: { content: { 'application/json': { schema: registrationSchema } } },
  },
  responses: {
    201: json(caseStateSchema, 'registered'),
    400: json(
      z.object({}),
      'malformed, an unknown agency, or a date outside 2000–2099 / whose due dates cannot be computed (the id stays free)',
    ),
    422: json(z.object({}), 'the Idempotency-Key was used for another request'),
    403: json(z.object({}), 'not allowed to register for this agency'),
    409: json(z.object({}), 'the case id is already registered'),
  },
});
registerRoute({
  method: 'get',
  path: '/api/cases',
  summary: '案件列表 List cases (from Temporal visibility)',
  request: { query: caseListQuery },
  responses: {
    200: json(
      z.object({ cases: z.array(z.object({ caseId: z.string() }).passthrough()) }),
      'matching cases the caller may see',
    ),
  },
});
registerRoute({
  method: 'get',
  path: '/api/cases/{caseId}',
  summary: '案件详情 A case’s state',
  request: { params: caseParams },
  responses: { 200: json(caseStateSchema, 'the case') },
});
registerRoute({
  method: 'post',
  path: '/api/cases/{caseId}/events',
  summary: '案件事项 Send an event (command) to a case',
  request: {
    params: caseParams,
    headers: idempotencyHeader,
    body: { content: { 'application/json': { schema: caseEventSchema } } },
  },
  responses: {
    200: json(caseStateSchema, 'accepted; the new state'),
    400: json(z.object({}), 'malformed (every issue with its path, in Chinese), or an unknown agency in an amendment'),
    422: json(z.object({}), 'the Idempotency-Key was used for another request'),
    403: json(z.object({}), 'operators read only'),
    409: json(z.object({}), 'not allowed in the case’s current state (reason given)'),
  },
});

/** Thin handlers: parse, call the case service, answer. */
export function casesRouter(cases: CaseService): Router {
  const router = Router();
  router.post('/cases', async (req, res) => {
    const registration = parseOr400(registrationSchema, req.body, 'registration');
    const state = await cases.register(registration, principalOf(req), req.idempotency);
    res
      .status(201)
      .location(`/api/cases/${encodeURIComponent(state.caseId)}`)
      .json(state);
  });
  router.get('/cases', async (req, res) => {
    const filter = parseOr400(caseListQuery, req.query, 'query');
    res.json({ cases: await cases.list(filter, principalOf(req)) });
  });
  router.get('/cases/:caseId', async (req, res) => {
    const { caseId } = parseOr400(caseParams, req.params, 'path');
    res.json(await cases.get(caseId, principalOf(req)));
  });
  router.post('/cases/:caseId/events', async (req, res) => {
    const { caseId } = parseOr400(caseParams, req.params, 'path');
    const event = parseOr400(caseEventSchema, req.body, 'event');
    res.json(await cases.applyEvent(caseId, event, principalOf(req), req.idempotency));
  });
  return router;
}

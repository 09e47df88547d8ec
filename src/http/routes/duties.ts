import { Router } from 'express';
import { z } from 'zod';
import type { RegistryStore } from '../../registry';
import { registryScope, type Principal } from '../../access';
import { principalOf } from '../auth';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';

export const dutyListQuery = z.object({
  owner: z
    .string()
    .regex(/^(bureau|agency:[a-z0-9-]+|leader:[a-z0-9-]+)$/, 'owner is bureau, agency:<id> or leader:<id>')
    .optional(),
  status: z.enum(['open', 'done', 'overdue', 'waived']).optional().describe('default: open and overdue'),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});

const dutyRowSchema = z
  .object({
    caseId: z.string(),
    dutyId: z.string(),
    title: z.string(),
    owner: z.string(),
    dueDate: z.string(),
    status: z.string(),
  })
  .passthrough()
  .openapi('DutyListRow');

registerRoute({
  method: 'get',
  path: '/api/duties',
  summary: '待办事项 A to-do list of duties across cases (from the registry)',
  description:
    'An agency sees the duties of its own cases; a leader those of the agencies in charge and its own; the bureau and operators all.',
  request: { query: dutyListQuery },
  responses: {
    200: {
      description: 'duties, soonest due first',
      content: { 'application/json': { schema: z.object({ duties: z.array(dutyRowSchema) }) } },
    },
  },
});

/** What a principal may see of the duties: undefined for everything (an agency's own duties are on its own cases). */
const scopeOf = (p: Principal) => {
  const scope = registryScope(p);
  return scope && { agencyIds: scope.agencyIds, owners: scope.parties };
};

export function dutiesRouter(store: RegistryStore): Router {
  const router = Router();
  router.get('/duties', async (req, res) => {
    const q = parseOr400(dutyListQuery, req.query, 'query');
    const scope = scopeOf(principalOf(req));
    res.json({ duties: await store.listDuties({ ...q, ...(scope ? { scope } : {}) }) });
  });
  return router;
}

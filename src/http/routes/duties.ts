import { Router } from 'express';
import { z } from 'zod';
import { createDeadlineEngine, type DeadlineEngine } from '../../deadlines';
import type { RegistryStore } from '../../registry';
import { shanghaiDate } from '../../time/shanghai';
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
    workingDaysLeft: z
      .number()
      .int()
      .describe('working days from today (Shanghai) to the due date; 0 due today, negative when past'),
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

/** Working days after `today` up to `dueDate` (negative: those after `dueDate` up to `today`), on the official calendar. */
export function workingDaysBetween(deadlines: DeadlineEngine, today: string, dueDate: string): number {
  const [from, to, sign] = dueDate >= today ? [today, dueDate, 1] : [dueDate, today, -1];
  let n = 0;
  // Three years at most: a countdown further out than that is not a to-do's concern.
  for (let d = nextDay(from), i = 0; d <= to && i < 1100; d = nextDay(d), i++)
    if (deadlines.isWorkingDay(d).working) n++;
  return sign * n;
}
const nextDay = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export function dutiesRouter(
  store: RegistryStore,
  deadlines: DeadlineEngine = createDeadlineEngine(),
  now: () => Date = () => new Date(),
): Router {
  const router = Router();
  router.get('/duties', async (req, res) => {
    const q = parseOr400(dutyListQuery, req.query, 'query');
    const scope = scopeOf(principalOf(req));
    const today = shanghaiDate(now().toISOString());
    const duties = await store.listDuties({ ...q, ...(scope ? { scope } : {}) });
    res.json({
      duties: duties.map((d) => ({ ...d, workingDaysLeft: workingDaysBetween(deadlines, today, d.dueDate) })),
    });
  });
  return router;
}

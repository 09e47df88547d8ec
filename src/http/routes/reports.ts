import { Router } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Directory } from '../../directory';
import type { RegistryStore } from '../../registry';
import { shanghaiMidnight, type Quarter } from '../../reports/period';
import { ReportService } from '../../services/reports';
import { agencyIdSchema } from '../../workflows/case/schemas';
import { acknowledgeLetterSchema, answerLetterSchema } from '../../workflows/oversight/schemas';
import { principalOf } from '../auth';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** A bound: a Shanghai date (its 00:00) or an ISO instant with offset; normalized to a UTC instant. */
const bound = z
  .string()
  .refine(
    (v) => (DATE.test(v) || INSTANT.test(v)) && !Number.isNaN(Date.parse(DATE.test(v) ? `${v}T00:00:00Z` : v)),
    'a date YYYY-MM-DD (Shanghai) or an ISO instant with offset',
  )
  .transform((v) => (DATE.test(v) ? shanghaiMidnight(v) : new Date(Date.parse(v)).toISOString()))
  .describe('YYYY-MM-DD (00:00 Shanghai) or an ISO 8601 instant with offset');

export const indicatorsQuerySchema = z
  .strictObject({ from: bound, to: bound, agencyId: agencyIdSchema.optional() })
  .refine((q) => Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'to must be after from (the period is [from, to))',
  })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 5 * 366 * 86_400_000, {
    path: ['to'],
    message: 'a period is at most five years',
  });

export const quarterParamsSchema = z.object({
  year: z.coerce.number().int().min(2000).max(2099),
  quarter: z.coerce
    .number()
    .int()
    .min(1)
    .max(4)
    .transform((q) => q as Quarter),
});
export const reportFormatSchema = z.strictObject({ format: z.enum(['json', 'html', 'markdown']).default('json') });
export const letterParamsSchema = z.object({
  letterId: z.string().regex(/^\d{4}-Q[1-4]-[a-z0-9][a-z0-9-]{1,63}$/, 'a letter id such as 2026-Q4-hrss'),
});

const loose = (name: string) => z.object({}).passthrough().openapi(name);
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const empty = (description: string) => json(z.object({}), description);

registerRoute({
  method: 'get',
  path: '/api/reports/indicators',
  summary: '统计指标 Indicators for a period [from, to)',
  description:
    'Cases by entry stage and field, mediation outcomes, 败诉率, 负责人出庭应诉率 (with every miss), late and overdue duties, 万人成讼率 against the city average; each figure with its case ids. Bureau and operator see the county and every agency; an agency its own; a leader the agencies in charge.',
  request: { query: indicatorsQuerySchema },
  responses: { 200: json(loose('Indicators'), 'the figures the caller may see') },
});
registerRoute({
  method: 'get',
  path: '/api/reports/quarterly/{year}/{quarter}',
  summary: '季度通报 A stored quarterly report',
  description:
    'JSON (figures, letters, interviews), or the rendered report with ?format=html or ?format=markdown. 404 until the report has been generated.',
  request: { params: quarterParamsSchema, query: reportFormatSchema },
  responses: {
    200: {
      description: 'the report',
      content: {
        'application/json': { schema: loose('QuarterlyReport') },
        'text/html': { schema: z.string() },
        'text/markdown': { schema: z.string() },
      },
    },
  },
});
registerRoute({
  method: 'post',
  path: '/api/reports/quarterly/{year}/{quarter}/run',
  summary: '生成季度通报 Run a quarter’s report now (bureau)',
  description:
    'Workflow quarterly-report-<year>-Q<q>. A run in progress is joined; a completed report is run again with a new run id and replaces the stored report, without sending notices or letters twice.',
  request: { params: quarterParamsSchema },
  responses: {
    202: json(
      z.object({ workflowId: z.string(), runId: z.string(), status: z.enum(['started', 'running']) }),
      'started, or joined',
    ),
    403: empty('only the bureau'),
    409: empty('the quarter is not over yet'),
  },
});
registerRoute({
  method: 'get',
  path: '/api/reports/letters/{letterId}',
  summary: '工作提醒函 A reminder letter and its answer',
  request: { params: letterParamsSchema },
  responses: { 200: json(loose('ReminderLetter'), 'the letter as the registry keeps it') },
});
registerRoute({
  method: 'post',
  path: '/api/reports/letters/{letterId}/acknowledge',
  summary: '签收工作提醒函 The agency acknowledges a letter',
  request: {
    params: letterParamsSchema,
    body: { content: { 'application/json': { schema: acknowledgeLetterSchema } } },
  },
  responses: {
    200: json(loose('ReminderLetterState'), 'acknowledged; the letter’s state'),
    403: empty('only the agency of the letter'),
    409: empty('already acknowledged or answered'),
  },
});
registerRoute({
  method: 'post',
  path: '/api/reports/letters/{letterId}/answer',
  summary: '反馈整改措施 The agency answers a letter with its rectification measures',
  request: { params: letterParamsSchema, body: { content: { 'application/json': { schema: answerLetterSchema } } } },
  responses: {
    200: json(loose('ReminderLetterState'), 'answered; the letter’s state'),
    403: empty('only the agency of the letter'),
    409: empty('already answered'),
  },
});

export interface ReportsRouterDeps {
  client: Client;
  store: RegistryStore;
  directory: Directory;
  /** The clock (tests pin it). */
  now?: () => Date;
  /** The worker's task queue (YINGSU_TASK_QUEUE); `yingsu-cases` by default. */
  taskQueue?: string;
}

/** Thin handlers: parse, call the report service, answer. */
export function createReportsRouter(deps: ReportsRouterDeps): Router {
  const reports = new ReportService(deps.client, deps.store, deps.directory, deps.now, deps.taskQueue);
  const router = Router();
  router.get('/reports/indicators', async (req, res) => {
    const q = parseOr400(indicatorsQuerySchema, req.query, 'query');
    res.json(await reports.indicators({ from: q.from, to: q.to }, q.agencyId, principalOf(req)));
  });
  router.get('/reports/quarterly/:year/:quarter', async (req, res) => {
    const { year, quarter } = parseOr400(quarterParamsSchema, req.params, 'path');
    const { format } = parseOr400(reportFormatSchema, req.query, 'query');
    const report = await reports.quarterly(year, quarter);
    if (format === 'html') res.type('html').send(report.html);
    else if (format === 'markdown') res.type('text/markdown; charset=utf-8').send(report.markdown);
    else
      res.json({
        id: report.id,
        year: report.year,
        quarter: report.quarter,
        period: report.period,
        generatedAt: report.generatedAt,
        generation: report.generation,
        figures: report.figures,
      });
  });
  router.post('/reports/quarterly/:year/:quarter/run', async (req, res) => {
    const { year, quarter } = parseOr400(quarterParamsSchema, req.params, 'path');
    res.status(202).json(await reports.run(year, quarter, principalOf(req)));
  });
  router.get('/reports/letters/:letterId', async (req, res) => {
    const { letterId } = parseOr400(letterParamsSchema, req.params, 'path');
    res.json(await reports.letter(letterId, principalOf(req)));
  });
  router.post('/reports/letters/:letterId/acknowledge', async (req, res) => {
    const { letterId } = parseOr400(letterParamsSchema, req.params, 'path');
    const body = parseOr400(acknowledgeLetterSchema, req.body ?? {}, 'body');
    res.json(await reports.acknowledge(letterId, body, principalOf(req)));
  });
  router.post('/reports/letters/:letterId/answer', async (req, res) => {
    const { letterId } = parseOr400(letterParamsSchema, req.params, 'path');
    const body = parseOr400(answerLetterSchema, req.body, 'body');
    res.json(await reports.answer(letterId, body, principalOf(req)));
  });
  return router;
}

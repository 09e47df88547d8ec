import { Router, type Response } from 'express';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import type { Directory } from '../../directory';
import { DocumentService } from '../../documents/service';
import { attachment, DOCX_TYPE, XLSX_TYPE } from '../../documents/official';
import type { RegistryStore } from '../../registry';
import { agencyIdSchema, caseIdSchema, fieldSchema, stageSchema } from '../../workflows/case/schemas';
import { principalOf } from '../auth';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';
import { indicatorsQuerySchema, letterParamsSchema, quarterParamsSchema } from './reports';

export const ledgerQuerySchema = z.strictObject({
  agencyId: agencyIdSchema.optional(),
  stage: stageSchema.optional(),
  field: fieldSchema.optional(),
});
export const feedbackParamsSchema = z.object({
  caseId: caseIdSchema,
  round: z.coerce.number().int('轮次是正整数').min(1, '轮次从 1 开始').max(99),
});

const file = (type: string, description: string) => ({
  description,
  content: { [type]: { schema: z.string().openapi({ format: 'binary' }) } },
});
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

const reportItem = z
  .object({
    year: z.number(),
    quarter: z.number(),
    title: z.string(),
    documentNo: z.string(),
    generatedAt: z.string(),
    generation: z.number(),
  })
  .openapi('QuarterlyReportItem');
const letterItem = z
  .object({
    id: z.string(),
    year: z.number(),
    quarter: z.number(),
    agencyId: z.string(),
    agencyName: z.string(),
    documentNo: z.string(),
    issuedAt: z.string(),
    dueDate: z.string().nullable(),
    status: z.enum(['issued', 'acknowledged', 'answered']),
    acknowledgedAt: z.string().nullable(),
    answeredAt: z.string().nullable(),
    overdueSince: z.string().nullable(),
    breaches: z.array(z.object({ kind: z.string(), text: z.string(), caseIds: z.array(z.string()) })),
  })
  .openapi('ReminderLetterItem');

registerRoute({
  method: 'get',
  path: '/api/reports/quarterly',
  summary: '季度通报列表 The stored quarterly reports',
  description: 'Newest first; every role receives the reports, so every role may list them.',
  responses: { 200: json(z.object({ reports: z.array(reportItem) }), 'the reports') },
});
registerRoute({
  method: 'get',
  path: '/api/reports/letters',
  summary: '工作提醒函列表 The reminder letters the caller may see',
  description:
    'Bureau and operators: all; an agency: its own; a leader: those to the agencies in charge. Newest first.',
  responses: { 200: json(z.object({ letters: z.array(letterItem) }), 'the letters') },
});
registerRoute({
  method: 'get',
  path: '/api/reports/quarterly/{year}/{quarter}/document.docx',
  summary: '季度通报（Word）The quarterly report as an official document',
  request: { params: quarterParamsSchema },
  responses: { 200: file(DOCX_TYPE, 'the report (.docx): 红头, document number, body, issuing organ and date') },
});
registerRoute({
  method: 'get',
  path: '/api/reports/letters/{letterId}/document.docx',
  summary: '工作提醒函（Word）A reminder letter as an official document',
  request: { params: letterParamsSchema },
  responses: { 200: file(DOCX_TYPE, 'the letter (.docx)') },
});
registerRoute({
  method: 'get',
  path: '/api/cases/{caseId}/mediations/{round}/feedback-letter.docx',
  summary: '委托协调化解反馈函（Word）From a mediation round’s result',
  description:
    'When mediation failed, with the process, both parties’ demands, the dispute’s focus and the reasons it failed. 409 while the round has no result.',
  request: { params: feedbackParamsSchema },
  responses: {
    200: file(DOCX_TYPE, 'the feedback letter (.docx)'),
    409: json(z.object({}), 'the round has no result yet'),
  },
});
registerRoute({
  method: 'get',
  path: '/api/ledger.xlsx',
  summary: '案件台账（Excel）One row per case the caller may see',
  description:
    'Agency, field, stage, trigger dates, duties overdue and outcome, read from the registry. An agency sees its own cases, a leader those of the agencies in charge.',
  request: { query: ledgerQuerySchema },
  responses: { 200: file(XLSX_TYPE, 'the ledger (.xlsx)') },
});
registerRoute({
  method: 'get',
  path: '/api/reports/indicators.xlsx',
  summary: '统计指标（Excel）Indicators for a period [from, to)',
  request: { query: indicatorsQuerySchema },
  responses: {
    200: file(
      XLSX_TYPE,
      'the indicators (.xlsx), per agency the caller may see and the county for the bureau and operators',
    ),
  },
});

const send = (res: Response, type: string, doc: { fileName: string; body: Buffer }, ascii: string) => {
  res.setHeader('Cache-Control', 'no-store');
  res.type(type).setHeader('Content-Disposition', attachment(doc.fileName, ascii));
  res.send(doc.body);
};

/** Thin handlers: parse, call the document service, send the file. */
export function documentsRouter(deps: {
  client: Client;
  store: RegistryStore;
  directory: Directory;
  now?: () => Date;
}): Router {
  const docs = new DocumentService(deps.client, deps.store, deps.directory, deps.now);
  const router = Router();
  router.get('/reports/quarterly', async (_req, res) => {
    res.json({ reports: await docs.listReports() });
  });
  router.get('/reports/letters', async (req, res) => {
    res.json({ letters: await docs.listLetters(principalOf(req)) });
  });
  router.get('/reports/quarterly/:year/:quarter/document.docx', async (req, res) => {
    const { year, quarter } = parseOr400(quarterParamsSchema, req.params, 'path');
    send(res, DOCX_TYPE, await docs.quarterlyDocx(year, quarter), `report-${year}-Q${quarter}.docx`);
  });
  router.get('/reports/letters/:letterId/document.docx', async (req, res) => {
    const { letterId } = parseOr400(letterParamsSchema, req.params, 'path');
    send(res, DOCX_TYPE, await docs.letterDocx(letterId, principalOf(req)), `letter-${letterId}.docx`);
  });
  router.get('/cases/:caseId/mediations/:round/feedback-letter.docx', async (req, res) => {
    const { caseId, round } = parseOr400(feedbackParamsSchema, req.params, 'path');
    send(
      res,
      DOCX_TYPE,
      await docs.feedbackLetterDocx(caseId, round, principalOf(req)),
      `feedback-${caseId}-${round}.docx`,
    );
  });
  router.get('/ledger.xlsx', async (req, res) => {
    const q = parseOr400(ledgerQuerySchema, req.query, 'query');
    send(res, XLSX_TYPE, await docs.ledgerXlsx(q, principalOf(req)), 'ledger.xlsx');
  });
  router.get('/reports/indicators.xlsx', async (req, res) => {
    const q = parseOr400(indicatorsQuerySchema, req.query, 'query');
    send(
      res,
      XLSX_TYPE,
      await docs.indicatorsXlsx({ from: q.from, to: q.to }, q.agencyId, principalOf(req)),
      'indicators.xlsx',
    );
  });
  return router;
}

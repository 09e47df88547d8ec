import express, { Router } from 'express';
import { z } from 'zod';
import type { CaseService } from '../../services/cases';
import type { Directory } from '../../directory';
import { attachment, XLSX_TYPE } from '../../documents/official';
import { ForbiddenError, InvalidInputError } from '../../errors';
import { ledgerTemplate } from '../../ledger-import/columns';
import { LedgerImportService } from '../../ledger-import/service';
import type { RegistryStore } from '../../registry';
import { principalOf } from '../auth';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';

/** An upload is at most this large: a county's ledger of a few thousand rows is well under it. */
export const IMPORT_LIMIT = '5mb';

export const importQuerySchema = z.strictObject({
  dryRun: z
    .enum(['true', 'false'], { error: 'dryRun 为 true（只校验）或 false（校验通过后登记）' })
    .default('true')
    .transform((v) => v === 'true'),
});

const rowSchema = z
  .object({
    row: z.number().int(),
    caseId: z.string().nullable(),
    ok: z.boolean(),
    errors: z.array(z.object({ column: z.string().describe('the column’s Chinese header'), message: z.string() })),
    registered: z.boolean().optional(),
    events: z.array(z.string()).optional(),
  })
  .openapi('LedgerImportRow');
const resultSchema = z
  .object({ dryRun: z.boolean(), valid: z.boolean(), registered: z.number().int(), rows: z.array(rowSchema) })
  .openapi('LedgerImportResult');
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

registerRoute({
  method: 'get',
  path: '/api/import/ledger-template.xlsx',
  summary: '台账导入模板 The template for bringing existing cases in',
  description: 'Chinese headers, a note per column, and drop-down lists for agency, field, trigger type and outcomes.',
  responses: {
    200: {
      description: 'the template',
      content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } },
    },
  },
});
registerRoute({
  method: 'post',
  path: '/api/import/ledger',
  summary: '导入案件台账 Validate, then register existing cases (bureau)',
  description:
    'The body is the .xlsx itself (at most 5 MB). Every row is validated first, with errors per row and column in Chinese; nothing is registered unless every row is valid. With dryRun=false each case is then registered with the events that already happened (dated by their own column where the event has a date, else by the import).',
  request: {
    query: importQuerySchema,
    body: { content: { [XLSX_TYPE]: { schema: z.string().openapi({ format: 'binary' }) } } },
  },
  responses: {
    200: json(resultSchema, 'per row: ok or its errors; registered counts the cases registered'),
    403: json(z.object({}), 'only the bureau'),
    413: json(z.object({}), 'over 5 MB'),
  },
});

export function ledgerImportRouter(deps: {
  cases: CaseService;
  store: RegistryStore;
  directory: Directory;
  now?: () => Date;
}): Router {
  const service = new LedgerImportService(deps.cases, deps.store, deps.directory, deps.now);
  const router = Router();
  router.get('/import/ledger-template.xlsx', async (_req, res) => {
    res
      .type(XLSX_TYPE)
      .setHeader('Content-Disposition', attachment('行政应诉案件台账导入模板.xlsx', 'ledger-template.xlsx'));
    res.send(await ledgerTemplate(deps.directory));
  });
  router.post(
    '/import/ledger',
    // Refused before the body is read: a non-bureau caller uploads nothing.
    (req, _res, next) =>
      next(principalOf(req).role === 'bureau' ? undefined : new ForbiddenError('只有县司法局可以导入案件台账')),
    express.raw({ type: XLSX_TYPE, limit: IMPORT_LIMIT }),
    async (req, res) => {
      const { dryRun } = parseOr400(importQuerySchema, req.query, 'query');
      if (!Buffer.isBuffer(req.body) || req.body.length === 0) {
        throw new InvalidInputError(
          '请上传 .xlsx 文件',
          [{ path: ['body'], message: `Content-Type 须为 ${XLSX_TYPE}` }],
          'unsupported_media_type',
        );
      }
      res.json(await service.run(req.body, dryRun, principalOf(req)));
    },
  );
  return router;
}

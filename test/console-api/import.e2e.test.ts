import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import request from 'supertest';
import { columns } from '../../src/ledger-import/columns';
import { bearer, startStack } from '../e2e/stack';
import { binary, consoleApp } from './app';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
let stack: Awaited<ReturnType<typeof startStack>>;
let s: Awaited<ReturnType<typeof consoleApp>>;
beforeAll(async () => {
  stack = await startStack();
  s = await consoleApp({ client: stack.client, cases: stack.cases, store: stack.store });
}, 120_000);
afterAll(async () => {
  await s?.close();
  await stack?.stop();
});

const id = () => `IMP-${randomUUID().slice(0, 8)}`;
const pad = (n: number) => String(n).padStart(2, '0');
/** Beijing wall-clock text `YYYY-MM-DD HH:mm` of now plus `days`. */
const beijing = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000 + 8 * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};
const instant = (wall: string) => new Date(`${wall.replace(' ', 'T')}:00+08:00`).toISOString();

type Row = Partial<Record<(typeof columns)[number]['header'], string | Date>>;

/** A ledger filled in from the template the API offers. */
async function ledger(rows: Row[]): Promise<Buffer> {
  const res = await request(s.app)
    .get('/api/import/ledger-template.xlsx')
    .set(bearer('dev-bureau'))
    .buffer(true)
    .parse(binary);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('台账')!;
  rows.forEach((r, i) => {
    columns.forEach((c, j) => {
      const v = r[c.header];
      if (v !== undefined) ws.getCell(i + 2, j + 1).value = v;
    });
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

const base = (caseId: string): Row => ({
  案件编号: caseId,
  案件名称: '刘某诉县自然资源局行政处罚案',
  原告: '刘某',
  涉诉单位: '县自然资源局',
  执法领域: '征地拆迁',
});
const upload = (body: Buffer, dryRun: boolean, token = 'dev-bureau') =>
  request(s.app).post(`/api/import/ledger?dryRun=${dryRun}`).set(bearer(token)).set('Content-Type', XLSX).send(body);
const exists = async (caseId: string) => {
  try {
    await stack.cases.get(caseId, { role: 'bureau' });
    return true;
  } catch {
    return false;
  }
};

test('the template has Chinese headers, a note per column and drop-down lists from a hidden sheet', async () => {
  const res = await request(s.app)
    .get('/api/import/ledger-template.xlsx')
    .set(bearer('dev-bureau'))
    .buffer(true)
    .parse(binary);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe(XLSX);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  const ws = wb.getWorksheet('台账')!;
  expect((ws.getRow(1).values as string[]).slice(1)).toEqual(columns.map((c) => c.header));
  const lists = wb.getWorksheet('选项')!;
  expect(lists.state).toBe('veryHidden');
  const agencies: string[] = [];
  lists.getColumn(1).eachCell((c, r) => r > 1 && agencies.push(String(c.value)));
  expect(agencies).toContain('县自然资源局');
  expect(ws.getCell('D2').dataValidation).toMatchObject({ type: 'list', formulae: ['选项!$A$2:$A$6'] });
  expect(ws.getCell('G2').dataValidation.type).toBe('list');
  expect(ws.getCell('A1').note).toBeDefined();
});

test('every row is checked first, with errors per row and column in Chinese, and nothing is registered when one fails', async () => {
  const good = id();
  const body = await ledger([
    { ...base(good), 登记依据: '应诉通知书（诉中）', 依据收到时间: beijing(-3) },
    {
      ...base(id()),
      案件名称: undefined,
      涉诉单位: '县教育局',
      登记依据: '应诉通知书（诉中）',
      依据收到时间: '三月初',
    },
    { ...base(good), 登记依据: '口头通知行政起诉事项（诉前）', 依据收到时间: beijing(-1), 诉中报告情况: '已报告' },
    {
      ...base(id()),
      登记依据: '委托协调化解函',
      依据收到时间: beijing(-10),
      协调化解结果: '化解未果',
      化解情况或协调过程: '三次协调',
    },
    { ...base(id()), 登记依据: '应诉通知书（诉中）', 依据收到时间: beijing(2) },
  ]);
  const res = await upload(body, false);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ dryRun: false, valid: false, registered: 0 });
  const [r2, r3, r4, r5, r6] = res.body.rows;
  expect(r2).toEqual({ row: 2, caseId: good, ok: true, errors: [] });
  expect(r3.ok).toBe(false);
  expect(r3.errors).toEqual(
    expect.arrayContaining([
      { column: '案件名称', message: '必填' },
      { column: '涉诉单位', message: '“县教育局”不是名录中的涉诉单位' },
      { column: '依据收到时间', message: '无法识别的时间，请填写如 2026-03-02 09:30' },
    ]),
  );
  expect(r4.errors).toEqual(
    expect.arrayContaining([
      { column: '案件编号', message: '与第 2 行的案件编号重复' },
      { column: '诉中报告情况', message: '诉前案件须先填写“应诉通知书收到时间”' },
    ]),
  );
  expect(r5.errors).toEqual(
    expect.arrayContaining([
      { column: '双方诉求', message: '必填' },
      { column: '争议焦点', message: '必填' },
      { column: '未化解原因', message: '必填' },
    ]),
  );
  expect(r6.errors).toEqual([{ column: '依据收到时间', message: '时间不能晚于现在（导入的是已经发生的事项）' }]);
  expect(await exists(good)).toBe(false);
});

test('a dry run of a valid ledger registers nothing; the real run registers each case with the events that already happened', async () => {
  const [a, b, c] = [id(), id(), id()];
  const hearing = beijing(20);
  const judgmentAt = beijing(-2);
  const body = await ledger([
    {
      ...base(a),
      登记依据: '应诉通知书（诉中）',
      依据收到时间: beijing(-5),
      诉中报告情况: '已告知县司法局并报告分管县领导',
      开庭时间: hearing,
      要求负责人出庭: '是',
    },
    {
      ...base(b),
      执法领域: '城乡规划',
      登记依据: '口头通知行政起诉事项（诉前）',
      依据收到时间: beijing(-20),
      诉前反馈情况: '已与原告沟通',
      应诉通知书收到时间: beijing(-10),
      裁判收到时间: judgmentAt,
      裁判结果: '败诉',
      裁判文书号: '（2026）浙0000行初1号',
    },
    {
      ...base(c),
      涉诉单位: '县人力资源和社会保障局',
      执法领域: '工伤认定',
      登记依据: '委托协调化解函',
      依据收到时间: beijing(-30),
      协调化解结果: '化解未果',
      化解情况或协调过程: '三次协调',
      双方诉求: '撤销认定',
      争议焦点: '是否工伤',
      未化解原因: '分歧较大',
    },
  ]);
  const dry = await upload(body, true);
  expect(dry.body).toMatchObject({ dryRun: true, valid: true, registered: 0 });
  expect(dry.body.rows.every((r: { ok: boolean }) => r.ok)).toBe(true);
  expect(await exists(a)).toBe(false);

  const run = await upload(body, false);
  expect(run.status).toBe(200);
  expect(run.body).toMatchObject({ dryRun: false, valid: true, registered: 3 });
  expect(run.body.rows.map((r: { events: string[] }) => r.events)).toEqual([
    ['insuit-report', 'hearing-scheduled'],
    ['presuit-feedback', 'response-notice', 'judgment'],
    ['mediation-result'],
  ]);
  const bureau = { role: 'bureau' as const };
  const sa = await stack.cases.get(a, bureau);
  expect(sa.duties.find((d) => d.id === 'insuit-report')!.status).toBe('done');
  expect(sa.hearings[0]).toMatchObject({ scheduledAt: expect.any(String), headAppearanceRequired: true });
  expect(new Date(sa.hearings[0]!.scheduledAt).toISOString()).toBe(instant(hearing));
  const sb = await stack.cases.get(b, bureau);
  expect(sb.stage).toBe('post-judgment');
  expect(sb.field).toBe('planning');
  expect(sb.judgment).toMatchObject({ outcome: 'lost', documentNo: '（2026）浙0000行初1号' });
  expect(new Date(sb.judgment!.receivedAt).toISOString()).toBe(instant(judgmentAt));
  const sc = await stack.cases.get(c, bureau);
  expect(sc.agencyId).toBe('hrss');
  expect(sc.mediations[0]!.result).toMatchObject({
    outcome: 'failed',
    demands: '撤销认定',
    disputeFocus: '是否工伤',
    failureReasons: '分歧较大',
  });
  // A second upload of the same ledger is refused row by row: the cases are registered now.
  const again = await upload(body, true);
  expect(again.body.rows[0].errors).toEqual([{ column: '案件编号', message: `案件编号 ${a} 已登记，不能重复导入` }]);
});

test('only the bureau imports; a wrong upload answers 400, an oversized one 413', async () => {
  const caseId = id();
  const body = await ledger([{ ...base(caseId), 登记依据: '应诉通知书（诉中）', 依据收到时间: beijing(-3) }]);
  const agency = await upload(body, false, 'dev-agency-natural-resources');
  expect(agency.status).toBe(403);
  expect(agency.body.error.message).toBe('只有县司法局可以导入案件台账');
  await upload(body, false, 'dev-operator').expect(403);
  expect(await exists(caseId)).toBe(false);
  const garbage = await request(s.app)
    .post('/api/import/ledger?dryRun=true')
    .set(bearer('dev-bureau'))
    .set('Content-Type', XLSX)
    .send(Buffer.from('not a workbook'));
  expect(garbage.status).toBe(400);
  expect(garbage.body.error.message).toBe('上传的文件不是有效的 .xlsx 工作簿');
  const json = await request(s.app).post('/api/import/ledger?dryRun=true').set(bearer('dev-bureau')).send({ rows: [] });
  expect(json.status).toBe(400);
  expect(json.body.error.code).toBe('unsupported_media_type');
  const badQuery = await request(s.app)
    .post('/api/import/ledger?dryRun=maybe')
    .set(bearer('dev-bureau'))
    .set('Content-Type', XLSX)
    .send(body);
  expect(badQuery.status).toBe(400);
  expect(badQuery.body.error.issues[0].path).toEqual(['dryRun']);
  const big = await request(s.app)
    .post('/api/import/ledger?dryRun=true')
    .set(bearer('dev-bureau'))
    .set('Content-Type', XLSX)
    .send(Buffer.alloc(6 * 1024 * 1024));
  expect(big.status).toBe(413);
});

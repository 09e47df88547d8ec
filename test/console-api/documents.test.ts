import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import request from 'supertest';
import { createReportActivities } from '../../src/activities/reports';
import { createDeadlineEngine } from '../../src/deadlines';
import { ReportStore } from '../../src/reports/store';
import { directory, silentLog } from '../cases/case-env';
import { duty } from '../registry/fixtures';
import { failed, resolved, seed } from '../reports/fixtures';
import { bearer, binary, consoleApp } from './app';

let s: Awaited<ReturnType<typeof consoleApp>>;
beforeAll(async () => {
  s = await consoleApp({ now: () => new Date('2026-04-01T02:00:00Z') });
  await seed(s.store, [
    {
      id: 'DOC-NR-1',
      agencyId: 'natural-resources',
      field: 'land-taking',
      entered: 'pre-suit',
      registeredAt: '2026-01-10T02:00:00Z',
      suitAt: '2026-01-20T02:00:00Z',
      judgment: { receivedAt: '2026-02-20T02:00:00Z', outcome: 'lost' },
      duties: [
        duty('insuit-report', {
          status: 'overdue',
          dueDate: '2026-01-23',
          overdueSince: '2026-01-23T16:00:00Z',
          title: '诉中报告',
        }),
      ],
    },
    {
      id: 'DOC-NR-2',
      agencyId: 'natural-resources',
      field: 'planning',
      entered: 'pre-suit',
      registeredAt: '2026-02-01T02:00:00Z',
      mediations: [{ stage: 'pre-suit', result: failed('2026-03-01T02:00:00Z') }, { stage: 'pre-suit' }],
    },
    {
      id: 'DOC-HR-1',
      agencyId: 'hrss',
      field: 'work-injury',
      entered: 'in-suit',
      registeredAt: '2026-02-05T02:00:00Z',
      judgment: { receivedAt: '2026-03-05T02:00:00Z', outcome: 'won' },
      mediations: [{ stage: 'in-suit', result: resolved('2026-02-25T02:00:00Z') }],
    },
  ]);
  const acts = createReportActivities({ directory, deadlines: createDeadlineEngine(), log: silentLog, store: s.store });
  const generated = await acts.generateQuarterlyReport({ year: 2026, quarter: 1, generatedAt: '2026-04-01T01:00:00Z' });
  expect(generated.reportId).toBe('quarterly-report-2026-Q1');
  // The letter as the letter workflow records it (the county's thresholds decide whether one is sent; here it is).
  const reports = new ReportStore(s.store);
  for (const l of [
    {
      letterId: '2026-Q1-natural-resources',
      agencyId: 'natural-resources',
      breaches: [
        {
          kind: 'loss-rate' as const,
          value: 1,
          threshold: 0.15,
          caseIds: ['DOC-NR-1'],
          text: '败诉率 100.0%，高于 15.0%',
        },
      ],
    },
  ]) {
    await reports.recordLetter({
      id: l.letterId,
      year: 2026,
      quarter: 1,
      agencyId: l.agencyId,
      leaderId: 'vice-head-li',
      issuedAt: '2026-04-01T01:00:00Z',
      dueDate: '2026-04-22',
      dueAt: '2026-04-22T16:00:00Z',
      status: 'issued',
      acknowledgedAt: null,
      acknowledgedBy: null,
      answeredAt: null,
      answeredBy: null,
      answer: null,
      overdueSince: null,
      escalations: 0,
      breaches: l.breaches,
      letter: '（正文）',
    });
  }
}, 60_000);
afterAll(async () => {
  await s.close();
});

const download = (path: string, token: string) =>
  request(s.app).get(path).set(bearer(token)).buffer(true).parse(binary);

/** The text of a .docx, paragraph by paragraph, read from word/document.xml. */
async function docxText(body: Buffer): Promise<{ paragraphs: string[]; xml: string }> {
  const zip = await JSZip.loadAsync(body);
  const xml = await zip.file('word/document.xml')!.async('string');
  const paragraphs = [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(''))
    .filter(Boolean);
  return { paragraphs, xml };
}

async function sheetRows(body: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: string[][] = [];
  ws.eachRow((row) =>
    rows.push((row.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v)))),
  );
  return rows;
}

test('the quarterly report as .docx is an official document holding the quarter’s figures', async () => {
  const res = await download('/api/reports/quarterly/2026/1/document.docx', 'dev-agency-hrss');
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  expect(res.headers['content-disposition']).toContain(
    `filename*=UTF-8''${encodeURIComponent('2026年第1季度行政诉讼工作情况通报.docx')}`,
  );
  const { paragraphs, xml } = await docxText(res.body);
  expect(paragraphs.slice(0, 4)).toEqual([
    '示例县司法局文件',
    '武司〔2026〕1号',
    '关于2026年第一季度全县行政机关行政诉讼工作情况的通报',
    '各涉诉行政机关：',
  ]);
  const text = paragraphs.join('\n');
  expect(text).toContain('新增登记案件 3 件（DOC-HR-1、DOC-NR-1、DOC-NR-2）');
  expect(text).toContain(
    '审结 2 件（裁判生效 2 件、准予撤诉 0 件），以生效裁判计败诉或部分败诉 1 件（DOC-NR-1），败诉率 50.0%',
  );
  expect(paragraphs.slice(-3, -1)).toEqual(['示例县司法局', '2026年4月1日']);
  // Table: one row per agency with its figures (natural-resources: 2 new, 1 judged, 1 lost, 100.0%).
  expect(text).toMatch(/县自然资源局\n2\n0\n1\n1\n100\.0%/);
  // Fonts of an official document, and the red rule under the document number.
  expect(xml).toContain('w:eastAsia="FangSong"');
  expect(xml).toContain('w:eastAsia="SimSun"');
  expect(xml).toMatch(/<w:bottom w:val="single" w:color="C00000"/);
});

test('a report not generated yet answers 404 in Chinese; a bad quarter 400 with its path', async () => {
  const missing = await request(s.app).get('/api/reports/quarterly/2026/2/document.docx').set(bearer('dev-bureau'));
  expect(missing.status).toBe(404);
  expect(missing.body.error.message).toBe('2026年第二季度通报尚未生成');
  const bad = await request(s.app).get('/api/reports/quarterly/2026/5/document.docx').set(bearer('dev-bureau'));
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues[0].path).toEqual(['quarter']);
});

test('a reminder letter as .docx names the breaches and the cases; another agency’s letter answers 404', async () => {
  const letters = await request(s.app).get('/api/reports/letters').set(bearer('dev-agency-natural-resources'));
  expect(letters.body.letters).toHaveLength(1);
  const letter = letters.body.letters[0];
  expect(letter).toMatchObject({
    id: '2026-Q1-natural-resources',
    agencyName: '县自然资源局',
    documentNo: '武司函〔2026〕101号',
    status: 'issued',
  });
  const res = await download(`/api/reports/letters/${letter.id}/document.docx`, 'dev-agency-natural-resources');
  expect(res.status).toBe(200);
  const { paragraphs } = await docxText(res.body);
  expect(paragraphs.slice(0, 4)).toEqual(['示例县司法局', '武司函〔2026〕101号', '工作提醒函', '县自然资源局：']);
  const text = paragraphs.join('\n');
  expect(text).toContain('（DOC-NR-1）');
  expect(text).toContain('于2026年4月22日前向县司法局书面反馈整改措施');
  expect((await request(s.app).get('/api/reports/letters').set(bearer('dev-agency-hrss'))).body.letters).toEqual([]);
  const foreign = await request(s.app)
    .get(`/api/reports/letters/${letter.id}/document.docx`)
    .set(bearer('dev-agency-hrss'));
  expect(foreign.status).toBe(404);
  expect(foreign.body.error.message).toBe('未找到该《工作提醒函》');
  expect(
    (await request(s.app).get('/api/reports/letters').set(bearer('dev-leader-vice-head-li'))).body.letters,
  ).toHaveLength(1);
  expect((await request(s.app).get('/api/reports/quarterly').set(bearer('dev-agency-hrss'))).body.reports).toEqual([
    expect.objectContaining({ year: 2026, quarter: 1, documentNo: '武司〔2026〕1号', generation: 1 }),
  ]);
});

test('the feedback letter of a failed mediation holds its four required contents; a resolved one says it is resolved', async () => {
  const res = await download('/api/cases/DOC-NR-2/mediations/1/feedback-letter.docx', 'dev-agency-natural-resources');
  expect(res.status).toBe(200);
  const { paragraphs } = await docxText(res.body);
  expect(paragraphs.slice(0, 4)).toEqual(['县自然资源局', 'DOC-NR-2（第1轮）', '委托协调化解反馈函', '县人民法院：']);
  const text = paragraphs.join('\n');
  for (const [heading, content] of [
    ['一、协调化解过程', '多次协调'],
    ['二、双方诉求', '撤销决定'],
    ['三、争议焦点', '补偿标准'],
    ['四、无法协调化解的原因', '分歧较大'],
  ])
    expect(text).toContain(`${heading}\n${content}`);
  expect(paragraphs.slice(-3, -1)).toEqual(['县自然资源局', '2026年3月1日']);
  const ok = await docxText(
    (await download('/api/cases/DOC-HR-1/mediations/1/feedback-letter.docx', 'dev-bureau')).body,
  );
  expect(ok.paragraphs.join('\n')).toContain('行政争议已实质性化解');
  expect(ok.paragraphs.join('\n')).toContain('已化解');
});

test('a feedback letter is refused while the round has no result, for a foreign case, and for a malformed round', async () => {
  const pending = await request(s.app)
    .get('/api/cases/DOC-NR-2/mediations/2/feedback-letter.docx')
    .set(bearer('dev-bureau'));
  expect(pending.status).toBe(409);
  expect(pending.body.error).toMatchObject({
    code: 'mediation_pending',
    message: '第 2 轮委托协调化解尚无结果，反馈函在登记化解结果后生成',
  });
  const foreign = await request(s.app)
    .get('/api/cases/DOC-NR-2/mediations/1/feedback-letter.docx')
    .set(bearer('dev-agency-hrss'));
  const missing = await request(s.app)
    .get('/api/cases/NO-SUCH-CASE/mediations/1/feedback-letter.docx')
    .set(bearer('dev-agency-hrss'));
  expect(foreign.status).toBe(404);
  expect(foreign.body).toEqual(missing.body);
  const bad = await request(s.app)
    .get('/api/cases/DOC-NR-2/mediations/0/feedback-letter.docx')
    .set(bearer('dev-bureau'));
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues).toEqual([{ path: ['round'], message: '轮次从 1 开始' }]);
});

test('the ledger .xlsx has one row per case the caller may see, with overdue duties and outcome', async () => {
  const res = await download('/api/ledger.xlsx', 'dev-bureau');
  expect(res.status).toBe(200);
  const rows = await sheetRows(res.body);
  expect(rows[0]![0]).toBe('行政应诉案件台账');
  expect(rows[1]![0]).toContain('共 3 件');
  const head = rows[2]!;
  expect(head.slice(0, 8)).toEqual([
    '案件编号',
    '案件名称',
    '原告',
    '涉诉单位',
    '分管县领导',
    '执法领域',
    '当前阶段',
    '登记时间',
  ]);
  const byId = Object.fromEntries(
    rows.slice(3).map((r) => [r[0], Object.fromEntries(head.map((h, i) => [h, r[i] ?? '']))]),
  );
  expect(Object.keys(byId).sort()).toEqual(['DOC-HR-1', 'DOC-NR-1', 'DOC-NR-2']);
  expect(byId['DOC-NR-1']).toMatchObject({
    涉诉单位: '县自然资源局',
    分管县领导: '李副县长',
    执法领域: '征地拆迁',
    当前阶段: '诉中',
    逾期未办事项数: '1',
    结果: '败诉',
    应诉通知书收到时间: '2026年1月20日 10:00',
  });
  expect(byId['DOC-NR-1']!['逾期未办事项']).toBe('诉中报告（应于2026-01-23前）');
  expect(byId['DOC-NR-2']).toMatchObject({ 结果: '办理中', 逾期未办事项数: '0' });
  expect(byId['DOC-HR-1']).toMatchObject({ 结果: '胜诉', 执法领域: '工伤认定' });

  const agency = await sheetRows((await download('/api/ledger.xlsx', 'dev-agency-hrss')).body);
  expect(agency.slice(3).map((r) => r[0])).toEqual(['DOC-HR-1']);
  const filtered = await sheetRows(
    (await download('/api/ledger.xlsx?agencyId=natural-resources&field=planning', 'dev-bureau')).body,
  );
  expect(filtered.slice(3).map((r) => r[0])).toEqual(['DOC-NR-2']);
  const foreign = await request(s.app)
    .get('/api/ledger.xlsx?agencyId=natural-resources')
    .set(bearer('dev-agency-hrss'));
  expect(foreign.status).toBe(404);
  const bad = await request(s.app).get('/api/ledger.xlsx?stage=somewhere&colour=red').set(bearer('dev-bureau'));
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues.map((i: { path: string[] }) => i.path.join('.')).sort()).toEqual(['', 'stage']);
});

test('the indicators .xlsx holds each visible agency’s figures, and the county only for the bureau', async () => {
  const res = await download('/api/reports/indicators.xlsx?from=2026-01-01&to=2026-04-01', 'dev-bureau');
  expect(res.status).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const head = (ws.getRow(3).values as string[]).slice(1);
  const row = (name: string) => {
    let found: Record<string, unknown> | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === name) found = Object.fromEntries(head.map((h, i) => [h, r.getCell(i + 1).value]));
    });
    return found;
  };
  expect(row('全县合计')).toMatchObject({ 新增案件: 3, 审结: 2, 败诉: 1, 败诉率: 0.5, 化解未果: 1, 诉中化解成功: 1 });
  expect(row('县自然资源局')).toMatchObject({ 新增案件: 2, 审结: 1, 败诉: 1, 败诉率: 1, 逾期未办事项: 1 });
  expect(row('县人力资源和社会保障局')).toMatchObject({ 新增案件: 1, 败诉率: 0 });
  expect(ws.getCell(`L4`).numFmt).toBe('0.0%');

  const agency = await request(s.app)
    .get('/api/reports/indicators.xlsx?from=2026-01-01&to=2026-04-01')
    .set(bearer('dev-agency-hrss'))
    .buffer(true)
    .parse(binary);
  const rows = await sheetRows(agency.body);
  expect(rows.slice(3, -1).map((r) => r[0])).toEqual(['县人力资源和社会保障局']);
  const bad = await request(s.app)
    .get('/api/reports/indicators.xlsx?from=2026-04-01&to=2026-01-01')
    .set(bearer('dev-bureau'));
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues[0].path).toEqual(['to']);
});

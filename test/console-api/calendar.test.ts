import request from 'supertest';
import { caseState, duty } from '../registry/fixtures';
import { bearer, consoleApp, PUBLIC_URL } from './app';

let s: Awaited<ReturnType<typeof consoleApp>>;
beforeAll(async () => {
  s = await consoleApp();
  await s.store.recordCase({
    state: caseState('CAL-NR-1', {
      duties: [
        duty('insuit-report', {
          dueDate: '2026-03-06',
          dueAt: '2026-03-06T16:00:00.000Z',
          basis: '武政办〔2023〕47号 一(二)：收到应诉通知书后3日内告知县司法局',
        }),
        duty('judgment-filing', {
          ruleId: 'judgment-filing',
          title: '生效裁判7个工作日内报县司法局备案',
          dueDate: '2026-03-02',
          status: 'overdue',
          overdueSince: '2026-03-02T16:00:00.000Z',
          basis: '武政办〔2023〕47号 四(一)',
        }),
        duty('presuit-feedback', {
          ruleId: 'presuit-oral-feedback',
          title: '诉前反馈',
          dueDate: '2026-02-20',
          status: 'done',
          doneAt: '2026-02-19T02:00:00Z',
        }),
      ],
      hearings: [{ id: 'h1', scheduledAt: '2026-04-10T01:30:00.000Z', headAppearanceRequired: true }],
    }),
  });
  await s.store.recordCase({
    state: caseState('CAL-HR-1', {
      agencyId: 'hrss',
      leaderId: 'vice-head-zhang',
      title: '王某诉县人社局工伤认定案',
      duties: [
        duty('insuit-report', { owner: 'agency:hrss', dueDate: '2026-03-11', dueAt: '2026-03-11T16:00:00.000Z' }),
      ],
    }),
  });
});
afterAll(async () => {
  await s.close();
});

/** A strict reading of RFC 5545: CRLF lines, unfolded, one object per BEGIN/END, each VEVENT's properties. */
function parseIcs(text: string): { calendar: Record<string, string>; events: Record<string, string>[] } {
  expect(text.endsWith('\r\n')).toBe(true);
  expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  const lines = text
    .split('\r\n')
    .slice(0, -1)
    .reduce<string[]>(
      (acc, l) => (l.startsWith(' ') ? [...acc.slice(0, -1), acc[acc.length - 1] + l.slice(1)] : [...acc, l]),
      [],
    );
  for (const l of lines) expect(Buffer.byteLength(l)).toBeGreaterThan(0);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines[lines.length - 1]).toBe('END:VCALENDAR');
  const calendar: Record<string, string> = {};
  const events: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;
  for (const l of lines.slice(1, -1)) {
    if (l === 'BEGIN:VEVENT') current = {};
    else if (l === 'END:VEVENT') {
      events.push(current!);
      current = undefined;
    } else {
      const m = /^([A-Z-]+)((?:;[^:]+)?):(.*)$/.exec(l);
      if (!m) throw new Error(`not a content line: ${l}`);
      (current ?? calendar)[m[1]! + m[2]!] = m[3]!.replace(/\\n/g, '\n').replace(/\\([,;\\])/g, '$1');
    }
  }
  return { calendar, events };
}

const feedPath = (url: string) => new URL(url).pathname;

test('a feed lists every open due date and hearing of the person, with the basis and the case link', async () => {
  const created = await request(s.app)
    .post('/api/calendar/feeds')
    .set(bearer('dev-agency-natural-resources'))
    .send({ label: '我的手机日历' });
  expect(created.status).toBe(201);
  expect(created.body.url).toMatch(new RegExp(`^${PUBLIC_URL}/api/calendar/[A-Za-z0-9_-]{43}\\.ics$`));
  const res = await request(s.app).get(feedPath(created.body.url));
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/calendar/);
  const { calendar, events } = parseIcs(res.text);
  expect(calendar['X-WR-CALNAME']).toBe('行政应诉期限 · 县自然资源局（开发）');
  const dates = events
    .filter((e) => e['DTSTART;VALUE=DATE'])
    .map((e) => e['DTSTART;VALUE=DATE'])
    .sort();
  // Open and overdue duties of its own case; the done one and the other agency's are not there.
  expect(dates).toEqual(['20260302', '20260306']);
  const report = events.find((e) => e['DTSTART;VALUE=DATE'] === '20260306')!;
  expect(report.SUMMARY).toBe('【截止】收到应诉通知书后告知县司法局并报告分管县领导 · CAL-NR-1');
  expect(report.DESCRIPTION).toContain('依据：武政办〔2023〕47号 一(二)：收到应诉通知书后3日内告知县司法局');
  expect(report['URL;VALUE=URI']).toBe(`${PUBLIC_URL}/cases/CAL-NR-1`);
  expect(events.find((e) => e['DTSTART;VALUE=DATE'] === '20260302')!.SUMMARY).toMatch(/^【已逾期】/);
  const hearing = events.find((e) => e.SUMMARY?.startsWith('【开庭】'))!;
  expect(hearing.DTSTART).toBe('20260410T013000Z');
  expect(hearing.DESCRIPTION).toContain('2026年4月10日 09:30');
  expect(hearing.DESCRIPTION).toContain('负责人应当出庭应诉');
  // The list shows the feed without its secret.
  const list = await request(s.app).get('/api/calendar/feeds').set(bearer('dev-agency-natural-resources'));
  expect(list.body.feeds).toEqual([expect.objectContaining({ id: created.body.id, label: '我的手机日历' })]);
  expect(JSON.stringify(list.body)).not.toContain(feedPath(created.body.url).slice(14, 40));
});

test('a leader’s feed covers the agencies in charge; the bureau’s covers all', async () => {
  const li = await request(s.app).post('/api/calendar/feeds').set(bearer('dev-leader-vice-head-zhang')).send({});
  const ev = parseIcs((await request(s.app).get(feedPath(li.body.url))).text).events;
  expect(ev.map((e) => e.SUMMARY).join('\n')).toContain('CAL-HR-1');
  expect(ev.map((e) => e.SUMMARY).join('\n')).not.toContain('CAL-NR-1');
  const bureau = await request(s.app).post('/api/calendar/feeds').set(bearer('dev-bureau')).send({});
  const all = parseIcs((await request(s.app).get(feedPath(bureau.body.url))).text).events;
  expect(all.filter((e) => e['DTSTART;VALUE=DATE'])).toHaveLength(3);
});

test('the feed follows the case: a new duty appears at the next read, a done one disappears', async () => {
  const created = await request(s.app).post('/api/calendar/feeds').set(bearer('dev-agency-hrss')).send({});
  const read = async () =>
    parseIcs((await request(s.app).get(feedPath(created.body.url))).text)
      .events.map((e) => e['DTSTART;VALUE=DATE'])
      .sort();
  expect(await read()).toEqual(['20260311']);
  await s.store.recordCase({
    state: caseState('CAL-HR-1', {
      agencyId: 'hrss',
      leaderId: 'vice-head-zhang',
      title: '王某诉县人社局工伤认定案',
      duties: [
        duty('insuit-report', {
          owner: 'agency:hrss',
          dueDate: '2026-03-11',
          status: 'done',
          doneAt: '2026-03-09T01:00:00Z',
        }),
        duty('judgment-filing', {
          owner: 'agency:hrss',
          ruleId: 'judgment-filing',
          title: '备案',
          dueDate: '2026-05-20',
          dueAt: '2026-05-20T16:00:00.000Z',
        }),
      ],
    }),
  });
  expect(await read()).toEqual(['20260520']);
});

test('a revoked feed answers 404; someone else cannot revoke it; a malformed id answers 400', async () => {
  const created = await request(s.app).post('/api/calendar/feeds').set(bearer('dev-agency-natural-resources')).send({});
  const path = feedPath(created.body.url);
  const other = await request(s.app).delete(`/api/calendar/feeds/${created.body.id}`).set(bearer('dev-agency-hrss'));
  expect(other.status).toBe(404);
  expect(other.body.error.message).toBe('未找到该日历订阅');
  await request(s.app).get(path).expect(200);
  await request(s.app)
    .delete(`/api/calendar/feeds/${created.body.id}`)
    .set(bearer('dev-agency-natural-resources'))
    .expect(204);
  const gone = await request(s.app).get(path);
  expect(gone.status).toBe(404);
  expect(gone.body.error.message).toBe('日历订阅不存在或已撤销');
  const unknown = await request(s.app).get(`/api/calendar/${'A'.repeat(43)}.ics`);
  expect(unknown.status).toBe(404);
  expect(unknown.body).toEqual(gone.body);
  const bad = await request(s.app).delete('/api/calendar/feeds/x').set(bearer('dev-agency-natural-resources'));
  expect(bad.status).toBe(400);
  expect(bad.body.error.issues[0].path).toEqual(['feedId']);
  const badLabel = await request(s.app).post('/api/calendar/feeds').set(bearer('dev-bureau')).send({ label: '' });
  expect(badLabel.status).toBe(400);
  expect(badLabel.body.error.issues[0]).toEqual({ path: ['label'], message: '名称不能为空' });
  // Managing feeds needs a caller; only the .ics itself goes by its secret.
  await request(s.app).get('/api/calendar/feeds').expect(401);
});

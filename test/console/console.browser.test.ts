import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import {
  daysAgo,
  eventually,
  screenshot,
  seriousA11yViolations,
  signIn,
  startConsoleStack,
  type ConsoleStack,
} from './console-stack';

// The 工作台 in Debian's Chromium against `npm start`'s stack: people sign in, act from their pages and see the result.
let s: ConsoleStack;

beforeAll(async () => {
  s = await startConsoleStack();
}, 240_000);

afterAll(async () => {
  await s?.stop();
});

const caseId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
type Duty = { caseId: string; dutyId: string; status: string; workingDaysLeft: number };

async function register(body: Record<string, unknown>) {
  const res = await s.call('dev-bureau', 'POST', '/api/cases', body);
  expect(res.status).toBe(201);
  return res.body;
}

async function dutyListed(token: string, id: string, dutyId: string, status?: string): Promise<Duty> {
  return eventually(`${dutyId} of ${id} in ${token}'s duties`, async () => {
    const { body } = await s.call<{ duties: Duty[] }>(token, 'GET', '/api/duties');
    return body.duties.find((d) => d.caseId === id && d.dutyId === dutyId && (!status || d.status === status));
  });
}

async function expectAccessible(page: Page) {
  // Scan the page as it rests: a date picker's time columns or a list still closing are transient popups.
  await page.waitForFunction(
    () =>
      !(globalThis as any).document.querySelector(
        '.ant-picker-dropdown:not(.ant-picker-dropdown-hidden), .ant-select-dropdown:not(.ant-select-dropdown-hidden)',
      ),
  );
  expect(await seriousA11yViolations(page)).toEqual([]);
}

test('an agency officer sees an overdue duty in red, submits the in-suit report from its form and sees it done', async () => {
  const id = caseId('OVERDUE');
  await register({
    caseId: id,
    title: '王某诉县自然资源局不动产登记案',
    agencyId: 'natural-resources',
    field: 'land-taking',
    plaintiff: '王某',
    trigger: { type: 'response-notice', receivedAt: daysAgo(12) },
  });
  await dutyListed('dev-agency-natural-resources', id, 'insuit-report', 'overdue');

  const { context, page } = await s.newPage();
  await signIn(page, 'dev-agency-natural-resources');
  await expect(page.getByTestId('person').innerText()).resolves.toBeTruthy();
  // The in-suit report's row (the case also owes its defence, due later).
  const row = page
    .locator('tr')
    .filter({ has: page.locator(`a[href="/cases/${id}"]`) })
    .filter({ hasText: '告知县司法局' });
  const tag = row.locator('[data-urgency]');
  await tag.waitFor();
  expect(await tag.getAttribute('data-urgency')).toBe('overdue');
  expect(await tag.innerText()).toContain('逾期');
  // Red, and not by its word alone: the computed colour is the overdue red.
  expect(await tag.evaluate((el) => (globalThis as any).getComputedStyle(el).backgroundColor)).toBe('rgb(196, 29, 29)');
  expect(await row.getByTestId('countdown').innerText()).toMatch(/已逾期/);
  await screenshot(page, 'todo-overdue');
  await expectAccessible(page);

  await row.getByRole('button', { name: /^诉中报告：/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('情况说明').fill('已告知县司法局并报告分管县领导');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  // Done: off the to-do list, and marked done on the case page.
  await row.waitFor({ state: 'detached' });
  await page.goto(`/cases/${id}`);
  const duty = page.getByTestId('duty-insuit-report');
  await duty.waitFor();
  expect(await duty.getAttribute('data-status')).toBe('done');
  expect(await duty.innerText()).toContain('已完成');
  await screenshot(page, 'case-done');
  await expectAccessible(page);
  const state = await s.call('dev-bureau', 'GET', `/api/cases/${id}`);
  expect(state.body.duties.find((d: { id: string }) => d.id === 'insuit-report').status).toBe('done');
  await context.close();
}, 120_000);

test('the bureau registers a case from the form and sees its computed due dates at once', async () => {
  const id = caseId('REG');
  const { context, page } = await s.newPage();
  await signIn(page, 'dev-bureau');
  await page.getByRole('menuitem', { name: /案件/ }).click();
  await page.getByRole('heading', { name: '案件' }).waitFor();
  await expectAccessible(page);
  await page.getByRole('button', { name: /登记案件/ }).click();
  const form = page.locator('form[id="register"]');
  await form.getByLabel('案件编号').fill(id);
  await form.getByLabel('案件名称').fill('李某诉县人社局工伤认定案');
  await pick(page, '涉诉行政机关', '县人力资源和社会保障局');
  await pick(page, '执法领域', '工伤认定');
  await form.getByLabel('原告').fill('李某');
  await pick(page, '登记依据', '应诉通知书（诉中）');
  await expectAccessible(page);
  await form.getByRole('button', { name: /登\s*记/ }).click();
  await page.getByText('案件已登记').waitFor({ timeout: 30_000 });
  const shown = await page.getByTestId('due-date').allInnerTexts();
  const state = await s.call('dev-bureau', 'GET', `/api/cases/${id}`);
  expect(state.status).toBe(200);
  expect(state.body.agencyId).toBe('hrss');
  expect(shown.length).toBe(state.body.duties.length);
  expect(shown[0]).toContain(state.body.duties[0].dueDate);
  await screenshot(page, 'register-due-dates');
  await context.close();
}, 120_000);

test('a leader approves a deputy appearing in court with a comment', async () => {
  const id = caseId('DEPUTY');
  await register({
    caseId: id,
    title: `赵某诉县住建局规划许可案（${id}）`,
    agencyId: 'housing',
    field: 'planning',
    plaintiff: '赵某',
    trigger: { type: 'response-notice', receivedAt: daysAgo(0) },
  });
  // Reported as a major case, so the leader's case list shows its tag whatever other tests left: the scan covers it.
  const major = await s.call('dev-bureau', 'POST', `/api/cases/${id}/events`, {
    type: 'major-case',
    reason: '涉及多户群众切身利益，社会关注度高',
  });
  expect(major.status).toBe(200);
  const agency = 'dev-agency-housing';
  const scheduled = await s.call(agency, 'POST', `/api/cases/${id}/events`, {
    type: 'hearing-scheduled',
    hearingId: 'h1',
    scheduledAt: daysAgo(-20),
    headAppearanceRequired: true,
  });
  expect(scheduled.status).toBe(200);
  const plan = await s.call(agency, 'POST', `/api/cases/${id}/events`, {
    type: 'appearance-plan',
    hearingId: 'h1',
    appearing: 'deputy',
    name: '副局长陈某',
    reason: '局长同日出席省厅会议',
  });
  expect(plan.status).toBe(200);
  await dutyListed('dev-leader-vice-head-li', id, 'hearing-h1-substitute-approval');

  const { context, page } = await s.newPage();
  await signIn(page, 'dev-leader-vice-head-li');
  await page.getByRole('menuitem', { name: /领导/ }).click();
  await page.getByRole('heading', { name: '领导工作台' }).waitFor();
  const approve = page.getByRole('button', { name: `批准：赵某诉县住建局规划许可案（${id}）` });
  await approve.first().waitFor();
  await screenshot(page, 'leader-approvals');
  await expectAccessible(page);
  await approve.first().click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('textbox', { name: '意见' }).fill('同意由副局长陈某出庭');
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  const state = await s.call('dev-bureau', 'GET', `/api/cases/${id}`);
  const approval = state.body.hearings.find((h: { id: string }) => h.id === 'h1').plan.approval;
  expect(approval).toMatchObject({ approved: true, comment: '同意由副局长陈某出庭' });
  await page.getByRole('button', { name: `批准：赵某诉县住建局规划许可案（${id}）` }).waitFor({ state: 'detached' });
  await context.close();
}, 120_000);

test('a refused form shows the Chinese reason and changes nothing', async () => {
  const id = caseId('REFUSE');
  await register({
    caseId: id,
    title: '孙某诉县自然资源局行政处罚案',
    agencyId: 'natural-resources',
    field: 'other',
    plaintiff: '孙某',
    trigger: { type: 'response-notice', receivedAt: daysAgo(0) },
  });
  const before = (await s.call('dev-bureau', 'GET', `/api/cases/${id}`)).body;

  const { context, page } = await s.newPage();
  await signIn(page, 'dev-agency-natural-resources');
  await page.goto(`/cases/${id}`);
  await page.getByRole('button', { name: '登记开庭' }).click();
  const dialog = page.getByRole('dialog');
  // The form speaks Chinese throughout, its optional past-hearing record included (behind a switch).
  await dialog.getByLabel('开庭时间').waitFor();
  expect(await dialog.getByLabel('出庭人姓名', { exact: true }).count()).toBe(0);
  await dialog.getByRole('switch', { name: '补登出庭情况（庭审已举行）' }).click();
  await dialog.getByRole('group', { name: '出庭情况' }).waitFor();
  await screenshot(page, 'hearing-form');
  expect(await dialog.innerText()).not.toMatch(/[A-Za-z]{3,}/);
  await expectAccessible(page);
  await dialog.getByRole('switch', { name: '补登出庭情况（庭审已举行）' }).click();
  await dialog.getByRole('group', { name: '出庭情况' }).waitFor({ state: 'detached' });
  // A hearing in the past: the workflow refuses it (409) and says why.
  const when = dialog.getByLabel('开庭时间');
  await when.click();
  await when.fill('2020-01-06 09:00');
  await when.press('Enter');
  await dialog.getByRole('radio', { name: '是' }).check();
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  const alert = dialog.getByRole('alert');
  await alert.waitFor();
  expect(await alert.innerText()).toContain('开庭时间已过');
  expect(await alert.innerText()).not.toMatch(/[A-Za-z]{4,}/);
  await screenshot(page, 'refused-form');
  await expectAccessible(page);
  const after = (await s.call('dev-bureau', 'GET', `/api/cases/${id}`)).body;
  expect(after.hearings).toEqual(before.hearings);
  expect(after.timeline.length).toBe(before.timeline.length);
  await context.close();
}, 120_000);

test('the agency reschedules a hearing from its form and the case page shows the new date', async () => {
  const id = caseId('MOVE');
  await register({
    caseId: id,
    title: '周某诉县自然资源局行政许可案',
    agencyId: 'natural-resources',
    field: 'planning',
    plaintiff: '周某',
    trigger: { type: 'response-notice', receivedAt: daysAgo(0) },
  });
  const agency = 'dev-agency-natural-resources';
  const scheduled = await s.call(agency, 'POST', `/api/cases/${id}/events`, {
    type: 'hearing-scheduled',
    hearingId: 'h1',
    scheduledAt: daysAgo(-20),
    headAppearanceRequired: false,
  });
  expect(scheduled.status).toBe(200);
  // A working day's morning 40 days ahead (Shanghai wall clock), as the picker takes it.
  const day = new Date(Date.now() + 40 * 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 10);
  const newDate = `${day} 09:30`;

  const { context, page } = await s.newPage();
  await signIn(page, agency);
  await page.goto(`/cases/${id}`);
  await page.getByRole('button', { name: '开庭改期' }).click();
  const dialog = page.getByRole('dialog');
  const when = dialog.getByLabel('新的开庭时间');
  await when.click();
  await when.fill(newDate);
  await when.press('Enter');
  await dialog.getByLabel('改期原因').fill('人民法院通知因合议庭成员调整改期');
  expect(await dialog.innerText()).not.toMatch(/[A-Za-z]{3,}/);
  await screenshot(page, 'reschedule-form');
  await expectAccessible(page);
  await dialog.getByRole('button', { name: /提\s*交/ }).click();
  await dialog.waitFor({ state: 'hidden' });
  const hearingRow = page.locator('tr').filter({ hasText: 'h1' });
  await hearingRow.filter({ hasText: newDate }).waitFor();
  await screenshot(page, 'case-rescheduled');
  await expectAccessible(page);
  const state = await s.call('dev-bureau', 'GET', `/api/cases/${id}`);
  const h1 = state.body.hearings.find((h: { id: string }) => h.id === 'h1');
  expect(Date.parse(h1.scheduledAt)).toBe(Date.parse(`${day}T09:30:00+08:00`));
  await context.close();
}, 120_000);

test('the statistics page draws its charts', async () => {
  const { context, page } = await s.newPage();
  await signIn(page, 'dev-bureau');
  await page.getByRole('menuitem', { name: /统计/ }).click();
  await page.getByRole('heading', { name: '统计' }).waitFor();
  const charts = page.getByTestId('chart');
  await eventually('three charts', async () => ((await charts.count()) >= 3 ? true : undefined));
  await page.waitForTimeout(1500); // ECharts animates its first draw
  for (const chart of await charts.all()) {
    const painted = await chart
      .locator('canvas')
      .first()
      .evaluate((c: any) => {
        const ctx = c.getContext('2d')!;
        const px = ctx.getImageData(0, 0, c.width, c.height).data;
        let ink = 0;
        for (let i = 0; i < px.length; i += 4)
          if (px[i + 3]! > 0 && (px[i]! < 200 || px[i + 1]! < 200 || px[i + 2]! < 200)) ink++;
        return { w: c.width, h: c.height, ink };
      });
    expect(painted.w).toBeGreaterThan(100);
    expect(painted.ink).toBeGreaterThan(500);
  }
  await expect(page.getByRole('columnheader', { name: '败诉率' }).count()).resolves.toBeGreaterThan(0);
  await screenshot(page, 'statistics');
  await expectAccessible(page);
  await context.close();
}, 120_000);

test('on a phone the to-do list fits the screen and the menu opens', async () => {
  const { context, page } = await s.newPage({ width: 390, height: 844 });
  await page.goto('/');
  await expectAccessible(page);
  await screenshot(page, 'phone-sign-in');
  await signIn(page, 'dev-agency-natural-resources');
  await page.getByRole('heading', { name: '待办事项' }).waitFor();
  await page.waitForTimeout(500);
  expect(
    await page.evaluate(() => (globalThis as any).document.documentElement.scrollWidth as number),
  ).toBeLessThanOrEqual(390);
  await screenshot(page, 'phone-todo');
  await expectAccessible(page);
  await context.close();
}, 120_000);

/** Chooses an option of an antd Select by its label. */
async function pick(page: Page, label: string, option: string) {
  await page.getByLabel(label, { exact: true }).click();
  await page.locator('.ant-select-dropdown:visible').getByTitle(option, { exact: true }).click();
  // Wait out the closing animation: a half-faded list would read as low contrast to the accessibility scan.
  await page.waitForFunction(
    () => !(globalThis as any).document.querySelector('.ant-select-dropdown:not(.ant-select-dropdown-hidden)'),
  );
}

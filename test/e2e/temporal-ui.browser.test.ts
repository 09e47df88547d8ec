import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { chromium, type Browser } from 'playwright-core';
import { bearer, startStack } from './stack';

// The operators' view: Debian's Chromium, driven by playwright-core, on the suite's dev server's Temporal UI.
let s: Awaited<ReturnType<typeof startStack>>;
let browser: Browser;

beforeAll(async () => {
  s = await startStack();
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    // No network here: keep Chromium from reaching out for updates, sync or components.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await s?.stop();
});

test('an operator filters workflows by AgencyId in Temporal UI, opens a case and reads its Chinese details and next timer', async () => {
  const caseId = `UI-${randomUUID().slice(0, 8)}`;
  const created = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send({
      caseId,
      title: '赵某诉县住建局规划许可案',
      agencyId: 'housing',
      field: 'planning',
      plaintiff: '赵某',
      trigger: { type: 'response-notice', receivedAt: new Date().toISOString() },
    });
  expect(created.status).toBe(201);
  const duty = created.body.duties.find((d: { id: string }) => d.id === 'insuit-report');

  const page = await browser.newPage();
  const ui = process.env.TEMPORAL_TEST_UI_URL!;
  await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent('AgencyId="housing"')}`);
  const link = page.getByRole('link', { name: `case-${caseId}` }).first();
  await link.waitFor({ timeout: 30_000 });
  await expect(page.getByText('AgencyId').first().isVisible()).resolves.toBe(true);
  await link.click();

  await page.getByText('User Metadata').first().click();
  // Temporal UI renders summaries, details and current details as Markdown in sandboxed /render frames.
  const renderedTexts = async () =>
    Promise.all(
      page
        .frames()
        .filter((f) => f.url().includes('/render'))
        .map((f) =>
          f
            .locator('body')
            .innerText()
            .catch(() => ''),
        ),
    );
  const rendered = async (want: string) => {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const hit = (await renderedTexts()).find((t) => t.includes(want));
      if (hit) return hit;
      if (Date.now() > deadline)
        throw new Error(`no rendered metadata contains "${want}"; saw: ${JSON.stringify(await renderedTexts())}`);
      await page.waitForTimeout(250);
    }
  };
  await rendered(`行政应诉案件 ${caseId}`);
  // The timer's summary is listed under "Events with Metadata" on the page itself.
  await page.locator('main').getByText(`提醒：${duty.title} ${duty.dueDate}`).first().waitFor({ timeout: 30_000 });
  const details = await rendered('阶段：诉中');
  expect(details).toContain('赵某诉县住建局规划许可案');
  expect(details).toContain(`${duty.title}（截止 ${duty.dueDate}）`);
  await page.close();
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { dueText } from '../../src/workflows/case/names';
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

test("Temporal UI shows a case's history sealed without the codec server and readable with it, and names no party in its details", async () => {
  const caseId = `UI-${randomUUID().slice(0, 8)}`;
  const plaintiff = `赵${randomUUID().slice(0, 4)}`;
  const created = await request(s.app)
    .post('/api/cases')
    .set(bearer('dev-bureau'))
    .send({
      caseId,
      title: `${plaintiff}诉县住建局规划许可案`,
      agencyId: 'housing',
      field: 'planning',
      plaintiff,
      trigger: { type: 'response-notice', receivedAt: new Date().toISOString() },
    });
  expect(created.status).toBe(201);
  const duty = created.body.duties.find((d: { id: string }) => d.id === 'insuit-report');

  const page = await browser.newPage();
  const ui = process.env.TEMPORAL_TEST_UI_URL!;
  const pageText = async () =>
    [
      await page
        .locator('body')
        .innerText()
        .catch(() => ''),
      ...(await renderedTexts(page)),
    ].join('\n');

  // Without the codec server (its port closed): the history's payloads are sealed, the plaintiff nowhere.
  await page.goto(`${ui}/namespaces/default/workflows?query=${encodeURIComponent('AgencyId="housing"')}`);
  const link = page.getByRole('link', { name: `case-${caseId}` }).first();
  await link.waitFor({ timeout: 30_000 });
  await expect(page.getByText('AgencyId').first().isVisible()).resolves.toBe(true);
  await link.click();
  await eventually(
    async () => ((await pageText()).includes('Codec Server could not connect') ? true : undefined),
    'the UI saying the codec server is unreachable',
  );
  // The input as stored: `encoding: binary/encrypted` (base64 in the UI's JSON) and the key id, the data sealed.
  const sealed = await eventually(async () => {
    const t = await pageText();
    return t.includes(Buffer.from('binary/encrypted').toString('base64')) ? t : undefined;
  }, 'the sealed input (binary/encrypted) on the page');
  expect(sealed).toContain(Buffer.from('test').toString('base64'));
  expect(sealed).not.toContain(plaintiff);

  // With the codec server (the API's /codec, operator token): the same page reads the case.
  const codecServer = s.app.listen(Number(process.env.TEMPORAL_TEST_CODEC_PORT), '127.0.0.1');
  try {
    await page.reload();
    const decoded = await eventually(
      async () => ((await pageText()).includes(`"plaintiff": "${plaintiff}"`) ? pageText() : undefined),
      'the plaintiff in the decoded input',
    );
    expect(decoded).not.toContain('Codec Server could not connect');
    await page.getByText('User Metadata').first().click();
    const details = await eventually(
      async () => (await renderedTexts(page)).find((t) => t.includes('阶段：诉中')),
      'details',
    );
    expect(details).toContain(`行政应诉案件 ${caseId}`);
    // Summaries and details name the case, never its parties, even decoded.
    expect(details).not.toContain(plaintiff);
    expect(details).toContain(`${duty.title}（${dueText(duty.dueDate)}完成`);
    // The agency by its name, never its id.
    expect(details).toContain('涉诉单位：县住房和城乡建设局');
    expect(details).not.toContain('housing');
    await page.locator('main').getByText(`提醒：${duty.title} ${duty.dueDate}`).first().waitFor({ timeout: 30_000 });
  } finally {
    await new Promise((r) => codecServer.close(r));
    await page.close();
  }
}, 180_000);

/** Temporal UI renders summaries, details and current details as Markdown in sandboxed /render frames. */
function renderedTexts(page: Page): Promise<string[]> {
  return Promise.all(
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
}

async function eventually<T>(probe: () => Promise<T | undefined>, what: string, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`not seen within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

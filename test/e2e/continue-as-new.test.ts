import { randomUUID } from 'node:crypto';
import { caseStateQuery, caseWorkflowId } from '../../src/workflows/case/messages';
import { TIMELINE_KEPT } from '../../src/workflows/case/machine';
import { registrationSchema } from '../../src/workflows/case/schemas';
import { startStack } from './stack';

// On the real dev server: the Java time-skipping server stops skipping time after a continue-as-new.
let s: Awaited<ReturnType<typeof startStack>>;
beforeAll(async () => {
  s = await startStack({ maxHistoryEvents: 150 });
}, 120_000);
afterAll(async () => {
  await s?.stop();
});

const bureau = { role: 'bureau' } as const;
const agency = { role: 'agency', agencyId: 'natural-resources' } as const;

test('a case continues as new mid-mediation, carrying its duties and timeline, and keeps accepting commands', async () => {
  const caseId = `CAN-${randomUUID().slice(0, 8)}`;
  await s.cases.register(
    registrationSchema.parse({
      caseId,
      title: '王某诉县自然资源局案',
      agencyId: 'natural-resources',
      field: 'land-taking',
      plaintiff: '王某',
      trigger: { type: 'entrustment-letter', receivedAt: new Date().toISOString() },
    }),
    bureau,
  );
  const handle = s.client.workflow.getHandle(caseWorkflowId(caseId));
  const firstRun = (await handle.describe()).runId;
  let sent = 0;
  while ((await handle.describe()).runId === firstRun && sent < 40) {
    await s.cases.applyEvent(caseId, { type: 'mediation-progress', summary: `进展 ${++sent}` }, agency);
  }
  expect((await handle.describe()).runId).not.toBe(firstRun);
  const carried = await handle.query(caseStateQuery);
  expect(carried.mediations).toHaveLength(1);
  // Reports within one week satisfy that week's duty once; the rest are on the timeline.
  expect(carried.duties.filter((d) => d.ruleId === 'mediation-weekly-progress').map((d) => d.status)).toEqual([
    'done',
    'open',
  ]);
  // The state carries the most recent entries, the latest report last; the registry has every one (below).
  const progress = carried.timeline.filter((e) => e.type === 'mediation-progress');
  expect(progress).toHaveLength(Math.min(sent, TIMELINE_KEPT));
  expect(progress.at(-1)?.summary).toMatch(new RegExp(`进展 ${sent}$`));
  const closed = await s.cases.applyEvent(
    caseId,
    { type: 'mediation-result', result: { outcome: 'resolved', summary: '和解' } },
    agency,
  );
  expect(closed.stage).toBe('closed');
  await expect(handle.result()).resolves.toMatchObject({ stage: 'closed' });
  // The registry saw both runs: no timeline entry lost or doubled across the cut.
  const record = await s.store.getCaseRecord(caseId);
  const seqs = (record as { timeline: { seq: number }[] }).timeline.map((e) => e.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  const recorded = (record as { timeline: { type: string }[] }).timeline;
  expect(recorded.filter((e) => e.type === 'mediation-progress')).toHaveLength(sent);
  expect(Math.max(...seqs)).toBe(closed.seq.timeline);
});

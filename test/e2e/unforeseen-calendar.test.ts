// A step whose tape did not foresee a question (never expected: the copy that makes the tape runs the same code) still
// happens: each unforeseen question is answered by its own local activity, and the workflow commits its own state.
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { createActivities } from '../../src/activities';
import { createDeadlineEngine } from '../../src/deadlines';
import { RegistryStore } from '../../src/registry';
import { CaseService } from '../../src/services/cases';
import { caseWorkflowId } from '../../src/workflows/case/messages';
import { registrationSchema } from '../../src/workflows/case/schemas';
import { directory, silentLog, workflowBundle } from '../cases/case-env';

const T = temporal.api.enums.v1.EventType;
let store: RegistryStore;
let worker: Worker;
let running: Promise<void>;
let connection: Connection;
let nativeConnection: NativeConnection;
let cases: CaseService;
let client: Client;

beforeAll(async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS!;
  const taskQueue = `unforeseen-${randomUUID()}`;
  store = await RegistryStore.open('sqlite::memory:');
  nativeConnection = await NativeConnection.connect({ address });
  const real = createActivities({ directory, deadlines: createDeadlineEngine(), log: silentLog, store });
  worker = await Worker.create({
    connection: nativeConnection,
    namespace: 'default',
    taskQueue,
    workflowBundle: await workflowBundle(),
    // A copy that foresaw nothing and committed nothing: every question of the step is unforeseen.
    activities: { ...real, commitStep: () => Promise.resolve({ tape: [], committed: false }) },
  });
  running = worker.run();
  connection = await Connection.connect({ address });
  client = new Client({ connection, namespace: 'default' });
  cases = new CaseService(client, directory, {}, taskQueue);
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await connection?.close();
  await nativeConnection?.close();
  await store?.close();
});

test('a registration whose tape foresaw nothing asks each question on its own and commits the case once', async () => {
  const caseId = `UNF-${randomUUID().slice(0, 8)}`;
  const state = await cases.register(
    registrationSchema.parse({
      caseId,
      title: '孙某诉县自然资源局案',
      agencyId: 'natural-resources',
      field: 'land-taking',
      plaintiff: '孙某',
      trigger: { type: 'response-notice', receivedAt: new Date().toISOString() },
    }),
    { role: 'bureau' },
  );
  expect(state.duties.map((d) => d.id)).toEqual(expect.arrayContaining(['insuit-report', 'defence-and-evidence']));
  expect(state.duties.every((d) => d.dueAt)).toBe(true);
  const events = (await client.workflow.getHandle(caseWorkflowId(caseId)).fetchHistory()).events ?? [];
  expect(events.filter((e) => e.eventType === T.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toEqual([]);
  // The empty copy, one look-up for the step's one question (its due dates), and the workflow's own commit.
  expect(events.filter((e) => e.eventType === T.EVENT_TYPE_MARKER_RECORDED)).toHaveLength(3);
  const record = await store.getCaseRecord(caseId);
  const dueOf = (ds: { id: string; dueAt: string }[]) => Object.fromEntries(ds.map((d) => [d.id, d.dueAt]));
  expect(dueOf(record?.duties ?? [])).toEqual(dueOf(state.duties));
  expect((await store.listNotices({ caseId })).map((n) => n.kind)).toEqual(
    expect.arrayContaining(['inform', 'report']),
  );
});

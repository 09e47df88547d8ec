// Operators and the API list cases through visibility queries on the custom search attributes: this proves the dev
// server knows them (registered by the suite's set-up, as `npm start` does) and indexes what a workflow upserts.
import { randomUUID } from 'node:crypto';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { taggedWait } from './fixtures/workflows';

let connection: Connection;
let nativeConnection: NativeConnection;
let client: Client;
const handles: WorkflowHandle[] = [];

beforeAll(async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS!;
  connection = await Connection.connect({ address });
  nativeConnection = await NativeConnection.connect({ address });
  client = new Client({ connection });
});

afterAll(async () => {
  await Promise.allSettled(handles.map((h) => h.terminate('test finished')));
  await nativeConnection?.close();
  await connection?.close();
});

test('a workflow started through the real dev server is found by its CaseId in a visibility query', async () => {
  const taskQueue = `platform-visibility-${randomUUID()}`;
  const caseId = `test-${randomUUID()}`;
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowsPath: require.resolve('./fixtures/workflows'),
  });
  const found = await worker.runUntil(async () => {
    const handle = await client.workflow.start(taggedWait, {
      args: [caseId],
      taskQueue,
      workflowId: `tagged-${caseId}`,
    });
    handles.push(handle);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const ids: string[] = [];
      for await (const wf of client.workflow.list({ query: `CaseId = "${caseId}"` })) ids.push(wf.workflowId);
      if (ids.length > 0 || Date.now() > deadline) return ids;
      await new Promise((r) => setTimeout(r, 300));
    }
  });
  expect(found).toEqual([`tagged-${caseId}`]);
  // Another case id finds nothing: the query filters, it does not list everything.
  const none: string[] = [];
  for await (const wf of client.workflow.list({ query: `CaseId = "${caseId}-other"` })) none.push(wf.workflowId);
  expect(none).toEqual([]);
}, 90_000);

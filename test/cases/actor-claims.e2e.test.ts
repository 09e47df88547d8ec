import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import { ed25519 } from '@noble/curves/ed25519';
import { bytesToHex } from '@noble/hashes/utils';
import { createDeadlineEngine } from '../../src/deadlines';
import { findAgency } from '../../src/directory';
import { CaseService, caseStartOptions } from '../../src/services/cases';
import { actorSigner } from '../../src/temporal/actor-signing';
import { workflowBundleOptions } from '../../src/temporal/workflow-bundle';
import { RegistryStore } from '../../src/registry';
import { createWorker } from '../../src/worker';
import { applyEventUpdate, caseStateQuery, caseWorkflowId } from '../../src/workflows/case/messages';
import { registrationSchema } from '../../src/workflows/case/schemas';
import { caseWorkflow } from '../../src/workflows/case/workflow';
import { directory, silentLog } from './case-env';

// Threat: someone reaches the Temporal frontend (port 7233, or Temporal UI) without the API's signing key, and sends
// commands as the bureau. On the real dev server, with workflow code that bundles the API's public key.
const apiKey = bytesToHex(ed25519.utils.randomPrivateKey());
const signer = actorSigner(apiKey);
const attackerSigner = actorSigner(bytesToHex(ed25519.utils.randomPrivateKey()));
const bureau = { role: 'bureau' as const, person: { id: 'sfj-1', name: '王科长' } };

let connection: Connection;
let native: NativeConnection;
let store: RegistryStore;
let worker: Worker;
let running: Promise<void>;
let client: Client;
let cases: CaseService;
const taskQueue = `claims-${randomUUID()}`;

beforeAll(async () => {
  const address = process.env.TEMPORAL_TEST_ADDRESS!;
  native = await NativeConnection.connect({ address });
  connection = await Connection.connect({ address });
  client = new Client({ connection });
  store = await RegistryStore.open('sqlite::memory:');
  const workflowBundle = await bundleWorkflowCode({
    ...workflowBundleOptions({ actorPublicKeys: [signer.publicKey] }),
    logger: undefined,
  });
  worker = await createWorker({
    connection: native,
    namespace: 'default',
    taskQueue,
    deps: { directory, deadlines: createDeadlineEngine(), log: silentLog, store },
    workflowBundle,
  });
  running = worker.run();
  cases = new CaseService(client, directory, {}, taskQueue, undefined, signer);
}, 120_000);
afterAll(async () => {
  worker?.shutdown();
  await running;
  await store?.close();
  await connection?.close();
  await native?.close();
});

const registration = (caseId: string) =>
  registrationSchema.parse({
    caseId,
    title: '某甲诉县自然资源局行政处罚案',
    agencyId: 'natural-resources',
    field: 'land-taking',
    plaintiff: '某甲',
    trigger: { type: 'oral-notice', receivedAt: new Date().toISOString() },
  });
const event = { type: 'presuit-feedback', summary: '已约谈当事人' } as const;

test('the API, holding the key, registers a case and acts on it; its person rides with the signed claim', async () => {
  const caseId = `AC-${randomUUID().slice(0, 8)}`;
  await cases.register(registration(caseId), bureau);
  const after = await cases.applyEvent(caseId, event, bureau);
  expect(after.timeline.some((t) => t.type === 'presuit-feedback')).toBe(true);
});

test('a client without the API key is refused as an actor, and nothing changes', async () => {
  const caseId = `AC-${randomUUID().slice(0, 8)}`;
  await cases.register(registration(caseId), bureau);
  const handle = client.workflow.getHandle(caseWorkflowId(caseId));
  const before = await handle.query(caseStateQuery);
  const attempts = [
    // No claim at all: "I am the bureau".
    { event, actor: 'bureau' },
    // A claim signed with a key of the attacker's own.
    { event, actor: 'bureau', claim: attackerSigner.sign({ actor: 'bureau', caseId, payload: event }) },
    // A genuine claim, moved to another command.
    {
      event: { type: 'presuit-feedback', summary: '篡改' },
      actor: 'bureau',
      claim: signer.sign({ actor: 'bureau', caseId, payload: event }),
    },
    // A genuine claim for another case.
    { event, actor: 'bureau', claim: signer.sign({ actor: 'bureau', caseId: 'another', payload: event }) },
    // A genuine claim for an agency, presented as the bureau.
    { event, actor: 'bureau', claim: signer.sign({ actor: 'agency:natural-resources', caseId, payload: event }) },
  ];
  for (const cmd of attempts) {
    const err = await handle.executeUpdate(applyEventUpdate, { args: [cmd as never] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(String((err as Error).cause ?? err)).toMatch(/未找到该案件/);
  }
  const now = await handle.query(caseStateQuery);
  expect(now.timeline).toEqual(before.timeline);
  expect(now.seq).toEqual(before.seq);
});

test('a case started directly, without the API signing its registration, fails at once', async () => {
  const caseId = `AC-${randomUUID().slice(0, 8)}`;
  const reg = registration(caseId);
  const options = caseStartOptions(reg, findAgency(directory, reg.agencyId)!, 'bureau', taskQueue);
  const err = await client.workflow.execute(caseWorkflow, options).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(String((err as WorkflowFailedError).cause?.message)).toMatch(/start refused: no claim/);
  expect(await store.getCaseRecord(caseId)).toBeUndefined();
});

test('a run started directly with a carried state, as if reopening a case, fails at once without the API claim', async () => {
  const caseId = `AC-${randomUUID().slice(0, 8)}`;
  await cases.register(registration(caseId), bureau);
  const carried = await client.workflow.getHandle(caseWorkflowId(caseId)).query(caseStateQuery);
  const forgedId = `AC-${randomUUID().slice(0, 8)}`;
  const reg = registration(forgedId);
  const options = caseStartOptions(reg, findAgency(directory, reg.agencyId)!, 'bureau', taskQueue);
  const forged = {
    ...options,
    args: [{ ...options.args[0], carried: { ...carried, caseId: forgedId } }] as typeof options.args,
  };
  const err = await client.workflow.execute(caseWorkflow, forged).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(String((err as WorkflowFailedError).cause?.message)).toMatch(/start refused: no claim/);
  expect(await store.getCaseRecord(forgedId)).toBeUndefined();
});

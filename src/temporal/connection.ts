import { Connection, type Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';

export { CASE_TASK_QUEUE as TASK_QUEUE } from '../workflows/case/messages';

export class TemporalUnreachableError extends Error {
  override name = 'TemporalUnreachableError';
  constructor(address: string, cause: unknown) {
    super(
      `Temporal is not reachable at ${address} (${cause instanceof Error ? cause.message : String(cause)}). ` +
        'Start it with `npm start`, or set TEMPORAL_ADDRESS to a running server.',
    );
  }
}

/** A client connection that fails fast with a clear message instead of retrying silently. */
export async function connectClient(address: string, timeoutMs: number): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: timeoutMs });
  } catch (err) {
    throw new TemporalUnreachableError(address, err);
  }
}

export async function connectWorker(address: string, timeoutMs: number): Promise<NativeConnection> {
  const attempt = NativeConnection.connect({ address });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([attempt, timeout]);
  } catch (err) {
    attempt.then((c) => c.close()).catch(() => undefined);
    throw new TemporalUnreachableError(address, err);
  } finally {
    clearTimeout(timer);
  }
}

/** True when the frontend answers within the deadline. */
export async function isTemporalReady(client: Client, timeoutMs = 2000): Promise<boolean> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

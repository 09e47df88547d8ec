import { readFileSync } from 'node:fs';
import { Connection, type Client, type TLSConfig } from '@temporalio/client';
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

/**
 * mTLS to the Temporal frontend from TEMPORAL_TLS_* (compose: certificates made by its one-shot `certs` service):
 * the CA that signed the server, and this process's own certificate and key. Undefined when unset (plain, loopback).
 */
export function temporalTlsFrom(config: {
  TEMPORAL_TLS_CA_FILE?: string;
  TEMPORAL_TLS_CERT_FILE?: string;
  TEMPORAL_TLS_KEY_FILE?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
}): TLSConfig | undefined {
  if (!config.TEMPORAL_TLS_CA_FILE && !config.TEMPORAL_TLS_CERT_FILE) return undefined;
  return {
    ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
    ...(config.TEMPORAL_TLS_CA_FILE ? { serverRootCACertificate: readFileSync(config.TEMPORAL_TLS_CA_FILE) } : {}),
    ...(config.TEMPORAL_TLS_CERT_FILE && config.TEMPORAL_TLS_KEY_FILE
      ? {
          clientCertPair: {
            crt: readFileSync(config.TEMPORAL_TLS_CERT_FILE),
            key: readFileSync(config.TEMPORAL_TLS_KEY_FILE),
          },
        }
      : {}),
  };
}

/** A client connection that fails fast with a clear message instead of retrying silently. */
export async function connectClient(address: string, timeoutMs: number, tls?: TLSConfig): Promise<Connection> {
  try {
    return await Connection.connect({ address, connectTimeout: timeoutMs, ...(tls ? { tls } : {}) });
  } catch (err) {
    throw new TemporalUnreachableError(address, err);
  }
}

export async function connectWorker(address: string, timeoutMs: number, tls?: TLSConfig): Promise<NativeConnection> {
  const attempt = NativeConnection.connect({ address, ...(tls ? { tls } : {}) });
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

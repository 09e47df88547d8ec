// Checks that Temporal answers and registers the case search attributes; `npm start` runs it before the worker and
// the API so that an unreachable server is reported once, clearly, instead of two processes retrying silently.
import { loadConfig } from '../config';
import { logger } from '../log';
import { connectClient, TemporalUnreachableError, temporalTlsFrom } from './connection';
import { ensureSearchAttributes } from './search-attributes';

async function main(): Promise<void> {
  const config = loadConfig();
  const connection = await connectClient(
    config.TEMPORAL_ADDRESS,
    config.TEMPORAL_CONNECT_TIMEOUT_MS,
    temporalTlsFrom(config),
  );
  try {
    const added = await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
    logger.info({ address: config.TEMPORAL_ADDRESS, added }, 'Temporal reachable; search attributes registered');
  } finally {
    await connection.close();
  }
}

main().catch((err: Error) => {
  logger.fatal({ err: { name: err.name, message: err.message } }, err.message);
  // The JSON log is for machines; `npm start` shows this line to the person, and reads exit code 2 as "unreachable".
  process.stderr.write(`${err.message}\n`);
  process.exitCode = err instanceof TemporalUnreachableError ? 2 : 1;
});

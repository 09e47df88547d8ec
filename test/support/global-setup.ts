import { Connection } from '@temporalio/client';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes';
import { startDevServer, type DevServer } from './dev-server';

declare global {
  // eslint-disable-next-line no-var
  var __yingsuDevServer: DevServer | undefined;
}

/** One real dev server for the whole run; end-to-end tests find it through TEMPORAL_TEST_ADDRESS. */
export default async function globalSetup(): Promise<void> {
  const server = await startDevServer();
  const connection = await Connection.connect({ address: server.address });
  try {
    await ensureSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }
  globalThis.__yingsuDevServer = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.TEMPORAL_TEST_UI_URL = server.uiUrl;
}

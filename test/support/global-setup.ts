import { Connection } from '@temporalio/client';
import { ensureSearchAttributes } from '../../src/temporal/search-attributes';
import { freePort, startDevServer, type DevServer } from './dev-server';

declare global {
  // eslint-disable-next-line no-var
  var __yingsuDevServer: DevServer | undefined;
}

/** One real dev server for the whole run; end-to-end tests find it through TEMPORAL_TEST_ADDRESS. */
export default async function globalSetup(): Promise<void> {
  // Temporal UI decodes history through a codec server the browser test opens on this port (closed otherwise).
  const codecPort = await freePort();
  const server = await startDevServer({ codecEndpoint: `http://127.0.0.1:${codecPort}/codec/dev/dev-operator` });
  const connection = await Connection.connect({ address: server.address });
  try {
    await ensureSearchAttributes(connection, 'default');
  } finally {
    await connection.close();
  }
  globalThis.__yingsuDevServer = server;
  process.env.TEMPORAL_TEST_ADDRESS = server.address;
  process.env.TEMPORAL_TEST_UI_URL = server.uiUrl;
  process.env.TEMPORAL_TEST_CODEC_PORT = String(codecPort);
}

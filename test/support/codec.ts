import { AesGcmCodec, dataConverterFor } from '../../src/temporal/codec';

/** One AES-256-GCM key for the test run, shared by the tests' workers, clients and codec servers. */
const testKey = { id: 'test', key: Buffer.alloc(32, 7) };

export const testCodec = new AesGcmCodec([testKey]);
export const testDataConverter = dataConverterFor(testCodec);

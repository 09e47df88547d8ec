import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { pino } from 'pino';
import request from 'supertest';
import { loadDirectory } from '../../src/directory';
import { createAuthenticator, hashToken } from '../../src/http/auth';
import { createApp } from '../../src/server';
import {
  AesGcmCodec,
  CodecKeyError,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  loadCodecKeys,
  newCodecKeyFile,
  parseCodecKeys,
} from '../../src/temporal/codec';
import { tempDir } from '../support/dev-server';

const key = (id: string) => ({ id, key: randomBytes(32) });
const td = new TextDecoder();
const plaintiff = { plaintiff: '赵某', title: '赵某诉县住建局规划许可案' };
const payload = (): Payload => defaultPayloadConverter.toPayload(plaintiff);

test('a payload is sealed with AES-256-GCM: the key id in its metadata, nothing of the party in clear', async () => {
  const codec = new AesGcmCodec([key('k2026')]);
  const [sealed] = await codec.encode([payload()]);
  expect(td.decode(sealed!.metadata!.encoding!)).toBe(ENCRYPTED_ENCODING);
  expect(td.decode(sealed!.metadata![KEY_ID_METADATA]!)).toBe('k2026');
  expect(Buffer.from(sealed!.data!).toString('utf8')).not.toContain('赵某');
  expect(Buffer.from(sealed!.data!).includes(Buffer.from('赵某'))).toBe(false);
  const [opened] = await codec.decode([sealed!]);
  expect(defaultPayloadConverter.fromPayload(opened!)).toEqual(plaintiff);
  // A fresh IV each time: the same payload never seals to the same bytes.
  const [again] = await codec.encode([payload()]);
  expect(Buffer.from(again!.data!).equals(Buffer.from(sealed!.data!))).toBe(false);
});

test('rotation: the first key encrypts, every key decrypts, a payload of a removed key is refused', async () => {
  const old = key('k1');
  const fresh = key('k2');
  const [byOld] = await new AesGcmCodec([old]).encode([payload()]);
  const rotated = new AesGcmCodec([fresh, old]);
  const [byNew] = await rotated.encode([payload()]);
  expect(td.decode(byNew!.metadata![KEY_ID_METADATA]!)).toBe('k2');
  const opened = await rotated.decode([byOld!, byNew!]);
  expect(opened.map((p) => defaultPayloadConverter.fromPayload(p))).toEqual([plaintiff, plaintiff]);
  await expect(new AesGcmCodec([fresh]).decode([byOld!])).rejects.toThrow(/no codec key "k1"/);
});

test('a tampered payload is refused, and an unencrypted one passes through unchanged', async () => {
  const codec = new AesGcmCodec([key('k1')]);
  const [sealed] = await codec.encode([payload()]);
  const data = Buffer.from(sealed!.data!);
  data[20] = data[20]! ^ 1;
  await expect(codec.decode([{ ...sealed!, data: new Uint8Array(data) }])).rejects.toThrow();
  const clear = payload();
  expect(await codec.decode([clear])).toEqual([clear]);
});

test('keys come from a file or the environment, and malformed keys stop the start with the reason', () => {
  const dir = tempDir('codec-keys');
  try {
    const file = join(dir.path, 'keys.json');
    writeFileSync(file, newCodecKeyFile('dev'));
    expect(loadCodecKeys({ YINGSU_CODEC_KEYS_FILE: file })!.map((k) => k.id)).toEqual(['dev']);
    const a = randomBytes(32).toString('base64');
    const b = randomBytes(32).toString('base64');
    expect(loadCodecKeys({ YINGSU_CODEC_KEYS: `new:${a},old:${b}` })!.map((k) => k.id)).toEqual(['new', 'old']);
    expect(loadCodecKeys({})).toBeUndefined();
    expect(() => parseCodecKeys('k:c2hvcnQ=', 'env')).toThrow(CodecKeyError);
    expect(() => parseCodecKeys(`k:${a},k:${b}`, 'env')).toThrow(/duplicate/);
  } finally {
    dir.remove();
  }
});

describe('the codec server for Temporal UI', () => {
  const directory = loadDirectory();
  const dir = tempDir('codec-tokens');
  const tokensFile = join(dir.path, 'tokens.json');
  writeFileSync(
    tokensFile,
    JSON.stringify({
      tokens: [
        { sha256: hashToken('op-token'), role: 'operator', name: '运维 张工' },
        { sha256: hashToken('nr-token'), role: 'agency:natural-resources', name: '自然资源局 刘主任' },
      ],
    }),
  );
  const codec = new AesGcmCodec([key('k1')]);
  const origin = 'https://temporal.wuping.example';
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const app = createApp({
    client: new Client({ connection }),
    namespace: 'default',
    directory,
    auth: createAuthenticator({ directory, tokensFile, production: true }),
    log: pino({ level: 'silent' }),
    codec: { codec, origin },
  });
  afterAll(async () => {
    await connection.close();
    dir.remove();
  });
  const asJson = (ps: Payload[]) => ({
    payloads: ps.map((p) => ({
      metadata: Object.fromEntries(
        Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v!).toString('base64')]),
      ),
      data: Buffer.from(p.data!).toString('base64'),
    })),
  });

  test('an operator decodes what the workers sealed; agencies and strangers are refused', async () => {
    const sealed = asJson(await codec.encode([payload()]));
    const res = await request(app)
      .post('/codec/decode')
      .set('authorization', 'Bearer op-token')
      .set('origin', origin)
      .send(sealed)
      .expect(200);
    expect(res.headers['access-control-allow-origin']).toBe(origin);
    const p = res.body.payloads[0];
    expect(JSON.parse(Buffer.from(p.data, 'base64').toString('utf8'))).toEqual(plaintiff);
    await request(app).post('/codec/decode').set('authorization', 'Bearer nr-token').send(sealed).expect(403);
    await request(app).post('/codec/decode').send(sealed).expect(401);
    await request(app).post('/codec/decode').set('authorization', 'Bearer wrong').send(sealed).expect(401);
    // Development path tokens are refused when tokens are configured.
    await request(app).post('/codec/dev/op-token/decode').send(sealed).expect(401);
  });

  test('only the UI origin is answered cross-origin; the preflight needs no token', async () => {
    const pre = await request(app).options('/codec/decode').set('origin', origin).expect(204);
    expect(pre.headers['access-control-allow-origin']).toBe(origin);
    expect(pre.headers['access-control-allow-headers']).toContain('authorization');
    const foreign = await request(app)
      .post('/codec/decode')
      .set('origin', 'https://evil.example')
      .set('authorization', 'Bearer op-token')
      .send({ payloads: [] })
      .expect(403);
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('encode seals with the first key, for the UI to send signals', async () => {
    const clear = asJson([payload()]);
    const res = await request(app)
      .post('/codec/encode')
      .set('authorization', 'Bearer op-token')
      .send(clear)
      .expect(200);
    expect(Buffer.from(res.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
  });
});

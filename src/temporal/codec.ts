// Parties' data never reaches Temporal in clear: every payload (workflow inputs and results, update arguments,
// queries, memo, user metadata, continue-as-new state) is sealed with AES-256-GCM before it leaves the process.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ApplicationFailure, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const te = new TextEncoder();
const td = new TextDecoder();

export interface CodecKey {
  /** Stored in each payload's metadata: decryption picks the key by it, so old payloads stay readable after rotation. */
  id: string;
  key: Buffer;
}

export class CodecKeyError extends Error {
  override name = 'CodecKeyError';
}

/**
 * AES-256-GCM over the whole serialized payload (metadata and data), a fresh 96-bit IV each time; the output is
 * `iv ‖ ciphertext ‖ tag` with `encoding: binary/encrypted` and the key id in the metadata. The first key encrypts,
 * every key decrypts: rotation is "put the new key first, keep the old ones until their histories are gone".
 */
export class AesGcmCodec implements PayloadCodec {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: CodecKey[]) {
    if (keys.length === 0) throw new CodecKeyError('the payload codec needs at least one key');
    for (const k of keys)
      if (k.key.length !== 32) throw new CodecKeyError(`codec key ${k.id} is ${k.key.length} bytes, not 32`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get keyIds(): string[] {
    return this.keys.map((k) => k.id);
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.keys[0]!;
    return payloads.map((p) => {
      const plain = temporal.api.common.v1.Payload.encode(p).finish();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { encoding: te.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: te.encode(id) },
        data: new Uint8Array(sealed),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const encoding = p.metadata?.encoding ? td.decode(p.metadata.encoding) : undefined;
      // Payloads written before encryption was turned on stay readable.
      if (encoding !== ENCRYPTED_ENCODING) return p;
      const idBytes = p.metadata?.[KEY_ID_METADATA];
      const id = idBytes ? td.decode(idBytes) : '';
      const key = this.byId.get(id);
      if (!key)
        throw ApplicationFailure.nonRetryable(`no codec key "${id}" to decrypt this payload`, 'CodecKeyMissing');
      const data = Buffer.from(p.data ?? new Uint8Array());
      if (data.length < 28) throw ApplicationFailure.nonRetryable('encrypted payload too short', 'CodecCorrupt');
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    });
  }
}

/** `id:base64key` pairs separated by commas or newlines (YINGSU_CODEC_KEYS), or a JSON file `{ "keys": [...] }`. */
export function parseCodecKeys(text: string, source: string): CodecKey[] {
  const trimmed = text.trim();
  let entries: { id: string; key: string }[];
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (err) {
      throw new CodecKeyError(`${source}: not JSON: ${(err as Error).message}`);
    }
    const keys = (parsed as { keys?: unknown }).keys;
    if (!Array.isArray(keys)) throw new CodecKeyError(`${source}: expected { "keys": [{ "id", "key" }] }`);
    entries = keys as { id: string; key: string }[];
  } else {
    entries = trimmed
      .split(/[,\n]/)
      .map((s) => s.trim())
      .filter(Boolean)
      .map((pair) => {
        const i = pair.indexOf(':');
        return { id: pair.slice(0, i), key: pair.slice(i + 1) };
      });
  }
  const out = entries.map((e, n) => {
    if (typeof e.id !== 'string' || !/^[A-Za-z0-9._-]{1,64}$/.test(e.id))
      throw new CodecKeyError(`${source}: key #${n + 1} needs an id of letters, digits, . _ -`);
    const key = Buffer.from(String(e.key), 'base64');
    if (key.length !== 32) throw new CodecKeyError(`${source}: key ${e.id} must be 32 bytes in base64`);
    return { id: e.id, key };
  });
  if (out.length === 0) throw new CodecKeyError(`${source}: no keys`);
  if (new Set(out.map((k) => k.id)).size !== out.length) throw new CodecKeyError(`${source}: duplicate key ids`);
  return out;
}

/** The keys from YINGSU_CODEC_KEYS_FILE or YINGSU_CODEC_KEYS; undefined when neither is set. */
export function loadCodecKeys(env: {
  YINGSU_CODEC_KEYS_FILE?: string;
  YINGSU_CODEC_KEYS?: string;
}): CodecKey[] | undefined {
  if (env.YINGSU_CODEC_KEYS_FILE) {
    let text: string;
    try {
      text = readFileSync(env.YINGSU_CODEC_KEYS_FILE, 'utf8');
    } catch (err) {
      throw new CodecKeyError(`cannot read YINGSU_CODEC_KEYS_FILE: ${(err as Error).message}`);
    }
    return parseCodecKeys(text, env.YINGSU_CODEC_KEYS_FILE);
  }
  if (env.YINGSU_CODEC_KEYS) return parseCodecKeys(env.YINGSU_CODEC_KEYS, 'YINGSU_CODEC_KEYS');
  return undefined;
}

/** A fresh key file's content: one random key. */
export const newCodecKeyFile = (id = `k${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`): string =>
  `${JSON.stringify({ keys: [{ id, key: randomBytes(32).toString('base64') }] }, null, 2)}\n`;

/** The data converter every client and worker of a deployment shares; the SDK's default when there is no codec. */
export const dataConverterFor = (codec: PayloadCodec | undefined): DataConverter =>
  codec ? { payloadCodecs: [codec] } : {};

/**
 * The deployment's codec from its configuration. Production requires keys (loadConfig refuses to start without);
 * development without keys runs in clear and says so (npm start always generates a development key file).
 */
export function codecFromConfig(
  config: { YINGSU_CODEC_KEYS_FILE?: string; YINGSU_CODEC_KEYS?: string },
  log: { warn(obj: object, msg: string): void; info(obj: object, msg: string): void },
): AesGcmCodec | undefined {
  const keys = loadCodecKeys(config);
  if (!keys) {
    log.warn({}, 'no payload codec keys (YINGSU_CODEC_KEYS_FILE): payloads reach Temporal in clear');
    return undefined;
  }
  const codec = new AesGcmCodec(keys);
  log.info({ keyIds: codec.keyIds, encryptsWith: codec.keyIds[0] }, 'payload codec: AES-256-GCM');
  return codec;
}

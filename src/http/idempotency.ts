// Safe retries: a POST carrying `Idempotency-Key` answers a retry exactly as it answered the first call, and the
// same key with another request is refused. The answer is kept in the registry; the Temporal update id derives from
// the key too, so a retry after a crash between Temporal's answer and ours still runs the command only once.
import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { RegistryStore } from '../registry';
import { actorOf } from '../access';
import { HttpError } from './errors';

declare module 'express-serve-static-core' {
  interface Request {
    /** The caller's Idempotency-Key, and whether an earlier call with it never got its answer recorded. */
    idempotency?: { key: string; resumed: boolean };
  }
}

const KEY = /^[\x21-\x7e]{1,200}$/;

/** The Temporal update id for a caller's key: stable across retries, distinct between callers. */
export const updateIdFor = (scope: string, key: string): string =>
  `idem-${createHash('sha256').update(`${scope}\n${key}`, 'utf8').digest('hex').slice(0, 40)}`;

export function idempotency(store: RegistryStore): RequestHandler {
  return async (req, res, next) => {
    const key = req.get('idempotency-key');
    if (key === undefined || req.method !== 'POST') return next();
    if (!KEY.test(key))
      throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key 须为 1 至 200 个可见 ASCII 字符');
    const p = req.principal!;
    const scope = `${actorOf(p)}#${p.person?.id ?? ''}`;
    const requestHash = createHash('sha256')
      .update(`${req.method} ${req.originalUrl.split('?')[0]}\n${JSON.stringify(req.body ?? null)}`, 'utf8')
      .digest('hex');
    const db = store.db;
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({
        scope,
        key,
        request_hash: requestHash,
        status: null,
        response: null,
        created_at: new Date().toISOString(),
      })
      .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
      .executeTakeFirst();
    const row = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('scope', '=', scope)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    if (row.request_hash !== requestHash)
      throw new HttpError(
        422,
        'idempotency_key_reused',
        '该 Idempotency-Key 已用于另一个不同的请求；重试时请求内容须与首次完全相同，新请求请使用新的 Idempotency-Key',
      );
    if (row.status !== null) {
      // The first call's answer, replayed: nothing runs again.
      res.set('Idempotent-Replayed', 'true');
      res
        .status(Number(row.status))
        .type('application/json')
        .send(row.response ?? 'null');
      return;
    }
    // An earlier call with this key started but never recorded its answer (it crashed, or Temporal was down).
    const resumed = Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0;
    req.idempotency = { key: updateIdFor(scope, key), resumed };
    // The answer is recorded before it is sent, so a retry that follows it finds it; a 5xx is not an answer (the
    // retry runs again, deduplicated by Temporal through the update id).
    const send = res.json.bind(res);
    res.json = (body: unknown) => {
      if (res.statusCode >= 500) return send(body);
      db.updateTable('idempotency_keys')
        .set({ status: res.statusCode, response: JSON.stringify(body) })
        .where('scope', '=', scope)
        .where('key', '=', key)
        .execute()
        .then(
          () => send(body),
          () => send(body),
        );
      return res;
    };
    next();
  };
}

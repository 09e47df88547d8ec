// The codec server Temporal UI calls to show (and, for its signal and reset forms, encode) payloads: the same
// AES-256-GCM codec as every client and worker. Only the bureau and operators may decode, and only the UI's origin
// may call it from a browser.
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { PayloadCodec, Payload } from '@temporalio/common';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import type { Authenticator } from './auth';
import { parseOr400 } from './errors';

/** The codec server protocol: proto3 JSON of Payloads (metadata values and data in base64). */
const jsonPayloads = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), z.string()).optional(),
        data: z.string().optional(),
      }),
    )
    .max(10_000),
});
type JsonPayloads = z.infer<typeof jsonPayloads>;

const fromJson = (b: JsonPayloads): Payload[] =>
  b.payloads.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]),
    ),
    data: new Uint8Array(Buffer.from(p.data ?? '', 'base64')),
  }));

const toJson = (ps: Payload[]): JsonPayloads => ({
  payloads: ps.map((p) => ({
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  })),
});

/**
 * POST /codec/decode and /codec/encode. A bearer token of role bureau or operator; CORS for `origin` only (the
 * preflight answers without a token, as browsers send none). In development the UI may carry the token in the path
 * (`/codec/dev/<token>/decode`), since `temporal server start-dev --ui-codec-endpoint` cannot add a header.
 */
export function createCodecRouter(opts: { codec: PayloadCodec; auth: Authenticator; origin: string }): Router {
  const router = Router();
  // One origin, or a comma-separated few (development: localhost and 127.0.0.1).
  const origins = opts.origin.split(',').map((o) => o.trim());
  router.use((req, res, next) => {
    const from = req.get('origin');
    if (from !== undefined && !origins.includes(from)) return next(new ForbiddenError('origin not allowed'));
    if (from !== undefined) {
      res.set('Access-Control-Allow-Origin', from);
      res.set('Access-Control-Allow-Credentials', 'true');
      res.set('Vary', 'Origin');
    }
    if (req.method === 'OPTIONS') {
      res.set('Access-Control-Allow-Methods', 'POST');
      res.set('Access-Control-Allow-Headers', 'authorization, content-type, x-namespace');
      res.set('Access-Control-Max-Age', '600');
      res.status(204).end();
      return;
    }
    next();
  });
  const allow = (token: string | undefined): void => {
    const p = token ? opts.auth.authenticate(token) : undefined;
    if (!p) throw new UnauthenticatedError();
    if (p.role !== 'bureau' && p.role !== 'operator')
      throw new ForbiddenError('只有县司法局和运维人员可以解密案件数据');
  };
  const bearer: RequestHandler = (req, _res, next) => {
    allow(/^Bearer\s+(\S{1,512})$/i.exec(req.get('authorization') ?? '')?.[1]);
    next();
  };
  const pathToken: RequestHandler = (req, _res, next) => {
    if (opts.auth.mode !== 'development') throw new UnauthenticatedError();
    allow(typeof req.params.token === 'string' ? req.params.token : undefined);
    next();
  };
  // The token is checked before the body is read.
  const handle =
    (op: 'encode' | 'decode'): RequestHandler =>
    async (req, res) => {
      const body = parseOr400(jsonPayloads, req.body, 'body');
      res.json(toJson(await opts.codec[op](fromJson(body))));
    };
  const json = express.json({ limit: '4mb' });
  for (const op of ['encode', 'decode'] as const) {
    router.post(`/${op}`, bearer, json, handle(op));
    router.post(`/dev/:token/${op}`, pathToken, json, handle(op));
  }
  return router;
}

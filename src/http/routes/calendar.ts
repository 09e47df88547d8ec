import { Router } from 'express';
import { z } from 'zod';
import type { CalendarFeeds } from '../../calendar/feeds';
import { parseOr400 } from '../errors';
import { registerRoute } from '../openapi';
import { personOf, type People } from '../session';

export const createFeedSchema = z.strictObject({
  label: z.string().trim().min(1, '名称不能为空').max(100, '名称最多 100 字').optional(),
});
export const feedParamsSchema = z.object({ feedId: z.string().regex(/^[A-Za-z0-9_-]{12}$/, '订阅编号格式不正确') });
const secretParamsSchema = z.object({
  secret: z.string().describe('the feed’s secret (43 characters), as in the URL POST /api/calendar/feeds answered'),
});

const feedSchema = z
  .object({ id: z.string(), label: z.string().nullable(), createdAt: z.string(), lastFetchedAt: z.string().nullable() })
  .openapi('CalendarFeed');
const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });

registerRoute({
  method: 'post',
  path: '/api/calendar/feeds',
  summary: '创建日历订阅 A personal calendar feed for the caller',
  description:
    'Answers the subscription URL once (only its hash is kept): every due date and hearing the caller is responsible for or oversees, as iCalendar.',
  request: { body: { content: { 'application/json': { schema: createFeedSchema } } } },
  responses: { 201: json(feedSchema.extend({ url: z.string() }), 'the feed and its URL') },
});
registerRoute({
  method: 'get',
  path: '/api/calendar/feeds',
  summary: '我的日历订阅 The caller’s live feeds',
  responses: { 200: json(z.object({ feeds: z.array(feedSchema) }), 'the feeds (without their secrets)') },
});
registerRoute({
  method: 'delete',
  path: '/api/calendar/feeds/{feedId}',
  summary: '撤销日历订阅 Revoke one of the caller’s feeds',
  request: { params: feedParamsSchema },
  responses: { 204: { description: 'revoked: its URL answers 404 from now on' } },
});
registerRoute({
  method: 'get',
  path: '/api/calendar/{secret}.ics',
  public: true,
  summary: '日历订阅内容 A feed as iCalendar (the secret in the URL is the credential)',
  request: { params: secretParamsSchema },
  responses: {
    200: { description: 'text/calendar', content: { 'text/calendar': { schema: z.string() } } },
    404: json(z.object({}), 'unknown or revoked'),
  },
});

/** The feed itself: no bearer token, the secret is the credential (calendar applications cannot send headers). */
export function calendarPublicRouter(feeds: CalendarFeeds): Router {
  const router = Router();
  router.get('/calendar/:file', async (req, res, next) => {
    const m = /^(.+)\.ics$/.exec(String(req.params.file));
    if (!m) return next();
    const { secret } = parseOr400(secretParamsSchema, { secret: m[1] }, 'path');
    const body = await feeds.ics(secret);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.type('text/calendar; charset=utf-8').send(body);
  });
  return router;
}

/** Managing one's feeds: behind authentication, any role (operators included: a feed only reads). */
export function calendarRouter(feeds: CalendarFeeds, people: People): Router {
  const router = Router();
  router.post('/calendar/feeds', async (req, res) => {
    const body = parseOr400(createFeedSchema, req.body ?? {}, 'body');
    const feed = await feeds.create(personOf(req, people), body.label);
    res.status(201).location(`/api/calendar/feeds/${feed.id}`).json(feed);
  });
  router.get('/calendar/feeds', async (req, res) => {
    res.json({ feeds: await feeds.list(personOf(req, people)) });
  });
  router.delete('/calendar/feeds/:feedId', async (req, res) => {
    const { feedId } = parseOr400(feedParamsSchema, req.params, 'path');
    await feeds.revoke(personOf(req, people), feedId);
    res.status(204).end();
  });
  return router;
}

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import type { Directory } from '../directory';
import { registerRoute } from './openapi';

/** Where `npm run console:build` (Vite) writes the console. */
export const consoleDistDir = resolve(__dirname, '..', '..', 'web', 'dist');

/** Paths that are never the console's: the API, sign-in redirects and the operational endpoints. */
const NOT_CONSOLE = /^\/(api|auth|healthz|readyz|metrics)(\/|$)/;
/** The console's own pages (web/src/Shell.tsx): only these answer with the app; any other path stays a 404. */
const CONSOLE_PAGE = /^\/($|login$|todo$|cases($|\/)|leader$|stats$)/;

/**
 * The 工作台 console: the built bundle as static files, and index.html for every other GET that is not the API's
 * (the console routes in the browser). Hashed assets are cached for a year; index.html is revalidated every time,
 * so a new build reaches people on their next load.
 */
export function consoleStatic(dir = consoleDistDir): RequestHandler {
  const indexFile = join(dir, 'index.html');
  const assets = express.static(dir, {
    index: false,
    setHeaders(res, path) {
      res.setHeader(
        'Cache-Control',
        path.includes(`${join(dir, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    },
  });
  return (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || NOT_CONSOLE.test(req.path)) return next();
    if (!existsSync(indexFile)) {
      // The API runs without a built console (e.g. `npm run api`): say how to get one instead of a bare 404.
      if (req.path !== '/') return next();
      res
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('工作台尚未构建：npm run console:build (the console is not built yet)\n');
      return;
    }
    assets(req, res, () => {
      // A missing asset is a 404, not the app: a stale tab asking for an old chunk must fail loudly.
      if (req.path.startsWith('/assets/')) return next();
      if (!CONSOLE_PAGE.test(req.path)) return next();
      // Read on every load (half a kilobyte): a rebuild while the API runs must not leave it naming deleted chunks.
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(readFileSync(indexFile, 'utf8'));
    });
  };
}

const directoryViewSchema = z
  .object({
    county: z.string(),
    agencies: z.array(z.object({ id: z.string(), name: z.string(), leaderId: z.string() })),
    leaders: z.array(z.object({ id: z.string(), name: z.string(), title: z.string() })),
  })
  .openapi('DirectoryView');

registerRoute({
  method: 'get',
  path: '/api/directory',
  summary: '机构名录 Agencies and leaders by name (no contacts)',
  description: 'What the console needs to name agencies and leaders in lists and filters.',
  responses: {
    200: {
      description: 'the county’s agencies and leaders',
      content: { 'application/json': { schema: directoryViewSchema } },
    },
  },
});

/** GET /directory: names only; contacts (webhook URLs, secrets) never leave the server. */
export function directoryRouter(directory: Directory): Router {
  const view: z.infer<typeof directoryViewSchema> = {
    county: directory.county.name,
    agencies: directory.agencies.map((a) => ({ id: a.id, name: a.name, leaderId: a.leaderId })),
    leaders: directory.leaders.map((l) => ({ id: l.id, name: l.name, title: l.title })),
  };
  const router = Router();
  router.get('/directory', (_req, res) => {
    res.json(view);
  });
  return router;
}

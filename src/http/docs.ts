import { dirname } from 'node:path';
import express, { Router } from 'express';

// The API's documentation: Swagger UI (swagger-ui-dist, maintained by the OpenAPI tooling's authors) reading
// /api/openapi.json, every asset served from node_modules by this process: deployments may have no internet.

const assetsDir = dirname(require.resolve('swagger-ui-dist/package.json'));

const page = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>yingsu API 接口文档</title>
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css">
<link rel="icon" type="image/png" href="/api/docs/assets/favicon-32x32.png">
</head><body>
<div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/init.js"></script>
</body></html>
`;

// In a file of its own rather than inline, so the page works under a Content-Security-Policy without 'unsafe-inline'.
const init = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#swagger-ui', deepLinking: true, persistAuthorization: false, withCredentials: true });\n`;

/** Mounted at /api/docs: the page, its initializer and Swagger UI's own files under /api/docs/assets. */
export function apiDocs(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('html').send(page);
  });
  router.get('/init.js', (_req, res) => {
    res.type('application/javascript').send(init);
  });
  router.use('/assets', express.static(assetsDir, { index: false, maxAge: '1d' }));
  return router;
}

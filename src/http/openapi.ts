import {
  OpenAPIRegistry,
  OpenApiGeneratorV31,
  extendZodWithOpenApi,
  type RouteConfig,
} from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

/**
 * The API's routes as zod schemas. Route modules register each path here next to its handler, so the OpenAPI
 * document is generated from the very schemas that validate requests.
 */
const registry = new OpenAPIRegistry();
registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

export const errorBodySchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
    }),
  })
  .openapi('Error');

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodySchema } },
});

/** Registers one route; 400/401/404 answers are added to every authenticated route. */
export function registerRoute(route: RouteConfig & { public?: boolean }): void {
  const { public: isPublic, ...config } = route;
  registry.registerPath({
    ...config,
    ...(isPublic ? {} : { security: [{ bearer: [] }] }),
    responses: {
      ...(isPublic
        ? {}
        : {
            400: errorResponse('invalid request'),
            401: errorResponse('missing or invalid token'),
            404: errorResponse('not found, or not yours'),
          }),
      ...config.responses,
    },
  });
}

export function buildOpenApiDocument() {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'yingsu API',
      version: '1',
      description:
        '行政应诉案件管理：武政办〔2023〕47号 的期限、提醒与督办 (administrative-litigation cases as durable workflows)',
    },
    servers: [{ url: '/' }],
  });
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A self-contained page listing every operation and its schemas (no CDN: deployments may be offline). */
export function openApiPage(doc: ReturnType<typeof buildOpenApiDocument>): string {
  const ops: string[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item as Record<string, { summary?: string; description?: string }>)) {
      ops.push(
        `<details><summary><code>${method.toUpperCase()} ${escapeHtml(path)}</code> ${escapeHtml(op.summary ?? '')}</summary>` +
          `<p>${escapeHtml(op.description ?? '')}</p><pre>${escapeHtml(JSON.stringify(op, null, 2))}</pre></details>`,
      );
    }
  }
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>yingsu API</title>
<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em}summary{cursor:pointer;padding:.3em 0}pre{background:#f6f8fa;padding:1em;overflow:auto;font-size:12px}</style>
</head><body><h1>${escapeHtml(doc.info.title)}</h1><p>${escapeHtml(doc.info.description ?? '')}</p>
<p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI ${doc.openapi})</p>${ops.join('\n')}</body></html>`;
}

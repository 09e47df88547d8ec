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
// The console's sign-in session (POST /api/session) is accepted wherever a bearer token is.
registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'yingsu_session' });

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
    ...(isPublic ? {} : { security: [{ bearer: [] }, { session: [] }] }),
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

import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** The app on a loopback port, spoken to with raw node:http requests (paths are sent as given, not normalised). */
export async function listen(app: Express): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = await new Promise((r) => {
    const s = app.listen(0, '127.0.0.1', () => r(s));
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export function raw(
  port: number,
  method: string,
  path: string,
  opts: { token?: string; body?: string | Buffer; contentType?: string } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = {};
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.body !== undefined) {
      headers['Content-Type'] = opts.contentType ?? 'application/json';
      headers['Content-Length'] = Buffer.byteLength(opts.body);
    }
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text,
          json,
          headers: res.headers,
        });
      });
    });
    // A server may answer 413 and close before a huge body is fully written.
    req.on('error', (err: NodeJS.ErrnoException) =>
      err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err),
    );
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

/** A JSON error answer as the error middleware writes it. */
export const isJsonError = (a: RawAnswer): boolean =>
  a.contentType.startsWith('application/json') &&
  typeof (a.json as { error?: { code?: unknown; message?: unknown } })?.error?.code === 'string' &&
  typeof (a.json as { error: { message?: unknown } }).error.message === 'string';

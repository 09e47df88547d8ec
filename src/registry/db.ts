import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import { Pool } from 'pg';
import { logger } from '../log';
import { registryMigrations } from './migrations';
import type { RegistryDatabase } from './schema';

export type RegistryDialect = 'sqlite' | 'postgres';

export class RegistryConfigError extends Error {
  override name = 'RegistryConfigError';
}

/**
 * Opens the registry named by a DATABASE_URL: `sqlite:<path>` (relative to the working directory; its directory is
 * created), `sqlite::memory:`, or `postgres://…`/`postgresql://…`.
 */
export function openRegistryDb(
  url: string,
  onPoolError: (err: Error) => void = (err) =>
    logger.error(
      { err: { name: err.name, message: err.message } },
      'registry connection lost; reconnecting on next use',
    ),
): { db: Kysely<RegistryDatabase>; dialect: RegistryDialect } {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (!path) throw new RegistryConfigError('DATABASE_URL sqlite: needs a path, e.g. sqlite:./data/yingsu.db');
    let file = path;
    if (path !== ':memory:') {
      file = resolve(process.cwd(), path);
      mkdirSync(dirname(file), { recursive: true });
    }
    const sqlite = new Database(file);
    // WAL lets the API read while the worker writes; busy_timeout makes the two processes wait instead of failing.
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    return {
      db: new Kysely<RegistryDatabase>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) }),
      dialect: 'sqlite',
    };
  }
  if (/^postgres(ql)?:\/\//.test(url)) {
    const pool = new Pool({ connectionString: url, max: 10 });
    // An idle client's connection dropped (a PostgreSQL restart, a failover): without a listener the pool's 'error'
    // event would kill the process. Logged; the pool replaces the client and the next query reconnects.
    pool.on('error', (err) => onPoolError(err));
    // A client checked out between two statements of a transaction has no query to fail when the server ends its
    // connection (a restart, `pg_ctl stop`): pg emits 'error' on the client itself, which would kill the process. The
    // transaction fails on its next statement instead, and the pool drops the client.
    pool.on('connect', (client) => client.on('error', (err) => onPoolError(err)));
    return { db: new Kysely<RegistryDatabase>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres' };
  }
  throw new RegistryConfigError(
    `DATABASE_URL must start with sqlite: or postgres:// (got ${url.replace(/\/\/[^@]*@/, '//***@')})`,
  );
}

/** How many prepared statements a SQLite registry keeps: its queries take a few dozen shapes. */
export const STATEMENT_CACHE_SIZE = 256;

/**
 * The database as Kysely's SQLite driver sees it, with each statement prepared once per SQL text (least recently used
 * dropped past `size`). Kysely prepares every query anew, which cost a command about as much as running it.
 * Statements run synchronously one at a time; the registry never streams a query, so none is shared mid-iteration.
 */
export function withStatementCache(
  sqlite: Database.Database,
  size = STATEMENT_CACHE_SIZE,
): SqliteDatabase & { readonly cached: number } {
  const statements = new Map<string, Database.Statement>();
  return {
    prepare(sql: string) {
      let stmt = statements.get(sql);
      if (stmt) statements.delete(sql);
      else {
        stmt = sqlite.prepare(sql);
        if (statements.size >= size) statements.delete(statements.keys().next().value!);
      }
      statements.set(sql, stmt);
      return stmt;
    },
    close() {
      statements.clear();
      sqlite.close();
    },
    get cached() {
      return statements.size;
    },
  };
}

/** Brings the schema up to date; Kysely's lock table makes concurrent start-ups (worker and API) safe. */
export async function migrateRegistry(db: Kysely<RegistryDatabase>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: registryMigrations,
    migrationTableName: 'registry_migration',
    migrationLockTableName: 'registry_migration_lock',
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new RegistryConfigError(
      `registry migration ${failed?.migrationName ?? ''} failed: ${(error as Error).message ?? String(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

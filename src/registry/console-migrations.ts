import type { Kysely, Migration } from 'kysely';
import type { RegistryDatabase } from './schema';

// The console's tables (issue 14): sign-in sessions and personal calendar feeds. One more migration of the registry's
// single set, spread into src/registry/migrations.ts; like the reports' migration it imports nothing of the registry
// at run time, so the spread cannot form an import cycle.
export const consoleMigrations: Record<string, Migration> = {
  '0003-console-sessions-and-calendar-feeds': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('sessions')
        // sha256 of the cookie's value: a copy of the database does not sign anyone in.
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('via', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

      await db.schema
        .createTable('calendar_feeds')
        .addColumn('id', 'text', (c) => c.primaryKey())
        // sha256 of the feed's secret, which is the only credential of GET /api/calendar/<secret>.ics.
        .addColumn('secret_hash', 'text', (c) => c.notNull())
        .addColumn('owner_role', 'text', (c) => c.notNull())
        .addColumn('owner_name', 'text', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .addColumn('last_fetched_at', 'text')
        .addUniqueConstraint('calendar_feeds_secret', ['secret_hash'])
        .execute();
      await db.schema.createIndex('calendar_feeds_owner').on('calendar_feeds').column('owner_role').execute();
    },
  },
};

export interface SessionsTable {
  id_hash: string;
  /** `bureau`, `operator`, `agency:<id>`, `leader:<id>`: re-read against the directory at every request. */
  role: string;
  /** The person's name as shown in the console. */
  name: string;
  /** `token` or `oidc`. */
  via: string;
  /** The OIDC subject, when signed in through the county's single sign-on. */
  subject: string | null;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface CalendarFeedsTable {
  id: string;
  secret_hash: string;
  owner_role: string;
  owner_name: string;
  label: string | null;
  created_at: string;
  revoked_at: string | null;
  last_fetched_at: string | null;
}

export interface ConsoleDatabase extends RegistryDatabase {
  sessions: SessionsTable;
  calendar_feeds: CalendarFeedsTable;
}

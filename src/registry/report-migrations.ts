import type { Kysely, Migration } from 'kysely';

// The oversight tables (read and written by src/reports/store.ts): one more migration of the registry's single set,
// spread into the list in migrations.ts. The registry owns every migration, so it imports nothing above it.
export const reportMigrations: Record<string, Migration> = {
  '0002-reports-and-reminder-letters': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('reports')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('quarter', 'integer', (c) => c.notNull())
        .addColumn('period_from', 'text', (c) => c.notNull())
        .addColumn('period_to', 'text', (c) => c.notNull())
        .addColumn('generated_at', 'text', (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('figures', 'text', (c) => c.notNull())
        .addColumn('markdown', 'text', (c) => c.notNull())
        .addColumn('html', 'text', (c) => c.notNull())
        .addUniqueConstraint('reports_year_quarter', ['year', 'quarter'])
        .execute();

      await db.schema
        .createTable('reminder_letters')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('quarter', 'integer', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('leader_id', 'text', (c) => c.notNull())
        .addColumn('issued_at', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text')
        .addColumn('due_at', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('acknowledged_at', 'text')
        .addColumn('acknowledged_by', 'text')
        .addColumn('answered_at', 'text')
        .addColumn('answered_by', 'text')
        .addColumn('answer', 'text')
        .addColumn('overdue_since', 'text')
        .addColumn('escalations', 'integer', (c) => c.notNull())
        .addColumn('breaches', 'text', (c) => c.notNull())
        .addColumn('letter', 'text', (c) => c.notNull())
        .addColumn('interview_report', 'text')
        .addColumn('interview_at', 'text')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('reminder_letters_quarter')
        .on('reminder_letters')
        .columns(['year', 'quarter'])
        .execute();
      await db.schema
        .createIndex('reminder_letters_agency')
        .on('reminder_letters')
        .columns(['agency_id', 'issued_at'])
        .execute();
    },
  },
};

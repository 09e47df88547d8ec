import { type Kysely, type Migration, type MigrationProvider } from 'kysely';
import { reportMigrations } from './report-migrations';
import { consoleMigrations } from './console-migrations';

// One migration set for SQLite and PostgreSQL: only types both accept (text, integer), no autoincrement, no
// database-specific defaults. Never edit a migration that shipped; add the next one.
const migrations: Record<string, Migration> = {
  '0001-registry': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text', (c) => c.notNull())
        .addColumn('leader_id', 'text', (c) => c.notNull())
        .addColumn('field', 'text', (c) => c.notNull())
        .addColumn('plaintiff', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('entered_stage', 'text', (c) => c.notNull())
        .addColumn('major', 'integer', (c) => c.notNull())
        .addColumn('county_government_defendant', 'integer', (c) => c.notNull())
        .addColumn('registered_at', 'text', (c) => c.notNull())
        .addColumn('closed_at', 'text')
        .addColumn('withdrawn_at', 'text')
        .addColumn('withdrawn_reason', 'text')
        .addColumn('self_corrections', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('cases_agency_registered')
        .on('cases')
        .columns(['agency_id', 'registered_at'])
        .execute();
      await db.schema.createIndex('cases_registered').on('cases').column('registered_at').execute();

      await db.schema
        .createTable('stage_changes')
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('from_stage', 'text')
        .addColumn('to_stage', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('stage_changes_pk', ['case_id', 'seq'])
        .execute();

      await db.schema
        .createTable('duties')
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('duty_id', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('due_date', 'text', (c) => c.notNull())
        .addColumn('due_at', 'text', (c) => c.notNull())
        .addColumn('provisional', 'integer', (c) => c.notNull())
        .addColumn('basis', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('overdue_since', 'text')
        .addColumn('escalations', 'integer', (c) => c.notNull())
        .addColumn('reminders_sent', 'integer', (c) => c.notNull())
        .addColumn('done_at', 'text')
        .addColumn('done_by', 'text')
        .addColumn('late_days', 'integer')
        .addColumn('previous_due', 'text')
        .addColumn('note', 'text')
        .addPrimaryKeyConstraint('duties_pk', ['case_id', 'duty_id'])
        .execute();
      await db.schema.createIndex('duties_owner_status').on('duties').columns(['owner', 'status']).execute();

      await db.schema
        .createTable('hearings')
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('hearing_id', 'text', (c) => c.notNull())
        .addColumn('scheduled_at', 'text', (c) => c.notNull())
        .addColumn('head_appearance_required', 'integer', (c) => c.notNull())
        .addColumn('plan_appearing', 'text')
        .addColumn('plan_name', 'text')
        .addColumn('plan_reason', 'text')
        .addColumn('plan_submitted_at', 'text')
        .addColumn('approval_approved', 'integer')
        .addColumn('approval_by', 'text')
        .addColumn('approval_at', 'text')
        .addColumn('approval_comment', 'text')
        .addColumn('appeared', 'integer')
        .addColumn('appeared_who', 'text')
        .addColumn('appeared_role', 'text')
        .addColumn('spoke', 'integer')
        .addColumn('recorded_at', 'text')
        .addColumn('vice_county_head_appeared', 'integer')
        .addPrimaryKeyConstraint('hearings_pk', ['case_id', 'hearing_id'])
        .execute();
      await db.schema.createIndex('hearings_scheduled').on('hearings').column('scheduled_at').execute();

      await db.schema
        .createTable('mediations')
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('round', 'integer', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull())
        .addColumn('letter_received_at', 'text', (c) => c.notNull())
        .addColumn('period_duty_id', 'text', (c) => c.notNull())
        .addColumn('progress_duty_ids', 'text', (c) => c.notNull())
        .addColumn('extensions', 'text', (c) => c.notNull())
        .addColumn('extension_count', 'integer', (c) => c.notNull())
        .addColumn('result_outcome', 'text')
        .addColumn('result_at', 'text')
        .addColumn('result', 'text')
        .addPrimaryKeyConstraint('mediations_pk', ['case_id', 'round'])
        .execute();

      await db.schema
        .createTable('judgments')
        .addColumn('case_id', 'text', (c) => c.primaryKey())
        .addColumn('received_at', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('document_no', 'text')
        .addColumn('loss_report_submitted_at', 'text')
        .addColumn('loss_report_submissions', 'integer', (c) => c.notNull())
        .addColumn('loss_report_reviews', 'text', (c) => c.notNull())
        .addColumn('reported_to_county_government_at', 'text')
        .execute();
      await db.schema.createIndex('judgments_received').on('judgments').column('received_at').execute();

      await db.schema
        .createTable('timeline')
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('timeline_pk', ['case_id', 'seq'])
        .execute();

      await db.schema
        .createTable('notices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('notice_key', 'text', (c) => c.notNull())
        .addColumn('case_id', 'text', (c) => c.notNull())
        .addColumn('duty_id', 'text')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('agency_id', 'text')
        .addColumn('recipient', 'text', (c) => c.notNull())
        .addColumn('channel', 'text', (c) => c.notNull())
        .addColumn('contact_no', 'integer', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('channel_answer', 'text')
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('facts', 'text', (c) => c.notNull())
        .addColumn('requested_at', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('sending_at', 'text')
        .addColumn('delivered_at', 'text')
        .addColumn('failed_at', 'text')
        .addUniqueConstraint('notices_key_recipient_channel', ['notice_key', 'recipient', 'channel', 'contact_no'])
        .execute();
      await db.schema.createIndex('notices_case').on('notices').columns(['case_id', 'created_at']).execute();
      await db.schema.createIndex('notices_recipient_status').on('notices').columns(['recipient', 'status']).execute();
    },
  },
  // Oversight (issue 6): reports and reminder_letters.
  ...reportMigrations,
  // Issue 11: what happened and when, apart from when it was entered; corrections and the judgment's instances.
  '0003-litigation-paths': {
    async up(db: Kysely<any>) {
      // One column per statement: SQLite's ALTER TABLE adds a single column at a time.
      const add = async (table: string, column: string, type: 'text' | 'integer' = 'text') => {
        await db.schema.alterTable(table).addColumn(column, type).execute();
      };
      for (const c of [
        'agency_name',
        'leader_name',
        'trigger_type',
        'trigger_received_at',
        'withdrawn_ruling_on',
        'presuit_settled_at',
        'presuit_settled_summary',
        'voided_at',
        'voided_by',
        'voided_reason',
        'amendments',
      ])
        await add('cases', c);
      for (const c of ['entered_at', 'done_by_person']) await add('duties', c);
      for (const c of ['occurred_at', 'by_name']) await add('timeline', c);
      for (const c of ['status', 'history']) await add('hearings', c);
      for (const c of [
        'judgment_id',
        'instance',
        'document_type',
        'effective_on',
        'effective_by',
        'appeal_period',
        'appeal_filed_on',
        'appeal_by',
        'earlier',
      ])
        await add('judgments', c);
      await db.schema.createIndex('judgments_effective').on('judgments').column('effective_on').execute();
      await db.schema.createIndex('cases_trigger_received').on('cases').column('trigger_received_at').execute();
    },
  },
  // The console (issue 14): sessions and calendar feeds.
  ...consoleMigrations,
  // Safe retries (issue 13): what each Idempotency-Key answered, so a retry answers the same.
  '0100-idempotency-keys': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'integer')
        .addColumn('response', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['scope', 'key'])
        .execute();
    },
  },
  // Issue 12: notices drained from the outbox by a worker loop instead of one delivery workflow each.
  '0101-outbox-drain': {
    async up(db: Kysely<any>) {
      // `next_attempt_at`: when the row next needs the drainer (a send, or the bureau's alert about it); null when
      // nothing is left to do. `lease_*`: which drainer holds it, until when. `first_attempt_at` starts the horizon
      // and the alert delay (a resend clears it). `alerted_at`: the bureau was alerted about this row's notice.
      for (const c of ['next_attempt_at', 'lease_owner', 'lease_until', 'first_attempt_at', 'alerted_at'])
        await db.schema.alterTable('notices').addColumn(c, 'text').execute();
      // Rows written before: the open ones are due now; the others were settled (and alerted) by their workflows.
      await db
        .updateTable('notices')
        .set((eb: any) => ({ next_attempt_at: eb.ref('created_at') }))
        .where('status', 'in', ['pending', 'sending'])
        .execute();
      await db.schema.createIndex('notices_due').on('notices').columns(['next_attempt_at', 'lease_until']).execute();
    },
  },
};

export const registryMigrations: MigrationProvider = {
  getMigrations: async () => migrations,
};

import { Migrator, type Kysely } from 'kysely';
import { registryMigrations } from '../registry/migrations';
import { reportMigrations } from './report-migrations';

export { reportMigrations };

/**
 * Brings the oversight tables up to date on a registry opened by RegistryStore.open: the registry's migrations plus
 * these, under the registry's own history table. A no-op once src/registry/migrations.ts includes them.
 */
export async function migrateReportTables(db: Kysely<any>): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...(await registryMigrations.getMigrations()), ...reportMigrations }) },
    migrationTableName: 'registry_migration',
    migrationLockTableName: 'registry_migration_lock',
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

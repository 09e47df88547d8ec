import type { CaseSnapshot, RecordCaseResult, RegistryStore } from '../registry';

/** Activities that file the case in the registry (登记建档); the case workflow calls `recordCase` after every change. */
export function createRegistryActivities(store: RegistryStore) {
  return {
    /** Upserts the snapshot in one transaction; idempotent under retries (timeline by (case, seq), stage change once). */
    async recordCase(snapshot: CaseSnapshot): Promise<RecordCaseResult> {
      return store.recordCase(snapshot);
    },
  };
}

export type RegistryActivities = ReturnType<typeof createRegistryActivities>;

import type { CaseSnapshot, CaseSnapshotState, RecordCaseResult, RegistryStore } from '../registry';
import type { CaseStage, EnforcementField } from '../vocabulary/case';
import type * as wf from '../workflows/case/types';

// Compile-time proof that the workflow's state is what the registry records, and that its vocabularies are
// src/vocabulary's (until the workflow imports them from there).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
export const workflowStateFitsRegistry: [wf.CaseState] extends [CaseSnapshotState] ? true : false = true;
export const workflowVocabularyIsShared: Same<wf.CaseStage, CaseStage> & Same<wf.EnforcementField, EnforcementField> =
  true;

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

import type { RegistryStore } from '../../src/registry';
import type { CaseSnapshot } from '../../src/registry';

/** One registry transaction of a case's size: the same upsert yingsu's recordCase does. */
export function createFloorActivities(store: RegistryStore) {
  let n = 0;
  return {
    async commit(state: Record<string, unknown>): Promise<void> {
      const caseId = `FLOOR-${process.pid}-${++n}`;
      await store.recordCase({ state: { ...state, caseId }, timelineFrom: 1 } as unknown as CaseSnapshot);
    },
  };
}
export type FloorActivities = ReturnType<typeof createFloorActivities>;

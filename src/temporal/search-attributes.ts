import { status } from '@grpc/grpc-js';
import type { Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { SearchAttributeType } from '@temporalio/common';
import { caseSearchAttributeKeys } from '../workflows/case/search-attributes';

const indexedType: Record<string, temporal.api.enums.v1.IndexedValueType> = {
  [SearchAttributeType.KEYWORD]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  [SearchAttributeType.TEXT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_TEXT,
  [SearchAttributeType.INT]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_INT,
  [SearchAttributeType.DOUBLE]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
  [SearchAttributeType.BOOL]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_BOOL,
  [SearchAttributeType.DATETIME]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
  [SearchAttributeType.KEYWORD_LIST]: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST,
};

/** Registers the case search attributes that the namespace lacks; idempotent, safe at every start. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<string[]> {
  let known: Set<string>;
  try {
    const existing = await connection.operatorService.listSearchAttributes({ namespace });
    known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  } catch (err) {
    // The Java time-skipping test server adds search attributes but cannot list them: add each, tolerating duplicates.
    if ((err as { code?: number }).code !== status.UNIMPLEMENTED) throw err;
    known = new Set();
  }
  const added: string[] = [];
  for (const k of caseSearchAttributeKeys.filter((key) => !known.has(key.name))) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: { [k.name]: indexedType[k.type] },
      });
      added.push(k.name);
    } catch (err) {
      if ((err as { code?: number }).code !== status.ALREADY_EXISTS) throw err;
    }
  }
  return added;
}

// Every notice key is built here: a key names one notice for good (its outbox rows and its delivery workflow), so
// the strings must never change shape.
import type { NoticeKind } from './types';

/** `${scope}/${dutyId ?? '-'}/${kind}/${seq}`: the scope is a case id, a letter's workflow id or a report id. */
export const noticeKey = (scope: string, dutyId: string | undefined, kind: NoticeKind, seq: number): string =>
  `${scope}/${dutyId ?? '-'}/${kind}/${seq}`;

/** The key of the bureau's alert about one outbox row that could not be delivered. */
export const deliveryFailedKey = (rowId: string): string => `${rowId}/delivery-failed`;

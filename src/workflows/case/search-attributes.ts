import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Typed keys for the operators' view in Temporal UI and for listing cases. Parties' names never go here:
// visibility data is readable by anyone with access to the namespace.
export const CaseIdKey = defineSearchAttributeKey('CaseId', SearchAttributeType.KEYWORD);
export const AgencyIdKey = defineSearchAttributeKey('AgencyId', SearchAttributeType.KEYWORD);
export const LeaderIdKey = defineSearchAttributeKey('LeaderId', SearchAttributeType.KEYWORD);
export const CaseStageKey = defineSearchAttributeKey('CaseStage', SearchAttributeType.KEYWORD);
export const NextDueAtKey = defineSearchAttributeKey('NextDueAt', SearchAttributeType.DATETIME);
export const OverdueCountKey = defineSearchAttributeKey('OverdueCount', SearchAttributeType.INT);
export const EnforcementFieldKey = defineSearchAttributeKey('EnforcementField', SearchAttributeType.KEYWORD);
export const MajorCaseKey = defineSearchAttributeKey('MajorCase', SearchAttributeType.BOOL);

export const caseSearchAttributeKeys = [
  CaseIdKey,
  AgencyIdKey,
  LeaderIdKey,
  CaseStageKey,
  NextDueAtKey,
  OverdueCountKey,
  EnforcementFieldKey,
  MajorCaseKey,
] as const;

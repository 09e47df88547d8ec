import { z } from 'zod';

// The bodies of the agency's answers to a 《工作提醒函》: the HTTP layer validates with these and the OpenAPI document
// is generated from them; the workflow checks the JSON Schema generated from them (letter-schemas.generated.ts).
const text = (max: number) => z.string().trim().min(1).max(max);
export const acknowledgeLetterSchema = z.strictObject({ note: text(1000).optional() });
export const answerLetterSchema = z.strictObject({ measures: text(8000).describe('整改措施') });
export type AcknowledgeLetter = z.infer<typeof acknowledgeLetterSchema>;
export type AnswerLetter = z.infer<typeof answerLetterSchema>;

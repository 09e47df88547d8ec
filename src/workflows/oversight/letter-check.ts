import { checkJson } from '../shared/json-check';
import { invalidCommand } from '../shared/invalid';
import { acknowledgeLetterJsonSchema, answerLetterJsonSchema } from './letter-schemas.generated';
import type { AcknowledgeLetter, AnswerLetter } from './schemas';

// The letter commands' bodies as the workflow checks them, without zod (the JSON Schemas generated from schemas.ts).
// A missing body is an empty one, as the HTTP layer reads it.

function bodyOf<T>(schema: typeof acknowledgeLetterJsonSchema, body: unknown): T {
  const parsed = checkJson<T>(schema, body ?? {});
  if (!parsed.success) throw invalidCommand(parsed.issues);
  return parsed.data;
}

/** The acknowledgement's body as zod would have parsed it; throws the InvalidCommand failure otherwise. */
export const acknowledgeBody = (body: unknown): AcknowledgeLetter => bodyOf(acknowledgeLetterJsonSchema, body);
/** The answer's body as zod would have parsed it; throws the InvalidCommand failure otherwise. */
export const answerBody = (body: unknown): AnswerLetter => bodyOf(answerLetterJsonSchema, body);

/** zod results as the domain's ValidationError: dotted field paths and plain-language messages. */
import * as z from 'zod/mini';
import { type FieldProblem, ValidationError } from './errors.ts';

export function fieldProblems(error: z.core.$ZodError): FieldProblem[] {
  const seen = new Set<string>();
  const out: FieldProblem[] = [];
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    const message =
      issue.code === 'unrecognized_keys' ? `Unknown field: ${issue.keys.join(', ')}.` : issue.message;
    const k = `${path}\u0000${message}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push({ path, message });
  }
  return out;
}

/** Parses with a zod schema; failures become a ValidationError (400 with field problems). */
export function parseWith<T extends z.ZodMiniType>(schema: T, value: unknown): z.output<T> {
  const result = z.safeParse(schema, value);
  if (!result.success) throw new ValidationError(fieldProblems(result.error));
  return result.data;
}

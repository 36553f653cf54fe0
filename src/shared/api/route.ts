import { z } from 'zod'
import { onFirstUse } from './on-first-use'

/** A call in the contract: what the caller sends and what comes back, both as schemas. */
export interface Route<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I
  readonly output: O
}

export function route<I extends z.ZodType, O extends z.ZodType>(input: I, output: O): Route<I, O> {
  return { input, output }
}

/** Inputs with no fields still travel as an object, so every call has the same shape. */
export const NoInput = onFirstUse(() => z.object({}).strict())
export const Ok = onFirstUse(() => z.object({ ok: z.literal(true) }))

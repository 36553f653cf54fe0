import {
  api,
  ApiError,
  fromZodError,
  isRouteName,
  type EventMessage,
  type Output,
  type ParsedInput,
  type Result,
  type RouteName,
  type Router,
} from '../../shared/api'
import { storageApiError } from './files/storage-check'
import { boundError, describeCallName, rawInputProblem } from './raw-input'

export type Handlers = { [N in RouteName]: (input: ParsedInput<N>) => Promise<Output<N>> | Output<N> }

/**
 * The contract made executable: parse the input with the route's schema, run the handler, and
 * return a Result. Errors become error objects here and nowhere else, so no door can crash on one.
 * Before the schema, the raw input's shape is checked (raw-input.ts); every error leaves bounded.
 */
export function createRouter(
  handlers: Handlers,
  subscribe: (listener: (message: EventMessage) => void) => () => void,
  log: (message: string, err: unknown) => void = (m, e) => console.error(m, e),
): Router {
  const run = async (name: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isRouteName(name)) {
      return {
        ok: false,
        error: { code: 'bad_input', message: `Unknown call ${describeCallName(name)}.`, field: 'name', fix: 'Use a call name from the contract, such as "providers.list".' },
      }
    }
    const raw = rawInputProblem(input ?? {})
    if (raw) return { ok: false, error: raw.toJSON() }
    const parsed = api[name].input.safeParse(input ?? {})
    if (!parsed.success) return { ok: false, error: fromZodError(parsed.error).toJSON() }
    try {
      const handler = handlers[name] as (input: unknown) => unknown
      const value = await handler(parsed.data)
      return { ok: true, value }
    } catch (err) {
      if (err instanceof ApiError) return { ok: false, error: err.toJSON() }
      const storage = storageApiError(err)
      if (storage) return { ok: false, error: storage.toJSON() }
      log(`call ${name} failed`, err)
      return {
        ok: false,
        error: { code: 'internal', message: `Proofsheet hit an unexpected problem in ${name}: ${(err as Error)?.message ?? err}` },
      }
    }
  }
  return {
    async handle(name: unknown, input: unknown): Promise<Result<unknown>> {
      const result = await run(name, input)
      return result.ok ? result : { ok: false, error: boundError(result.error) }
    },
    subscribe,
  }
}

import { systemClock } from '../../src/main/core/clock'
import { builtinProfiles } from '../../src/main/core/providers/builtin-profiles'
import type { DialectCall } from '../../src/main/core/providers/dialect'

export interface CallOverrides extends Partial<Omit<DialectCall, 'params'>> {
  params?: Partial<DialectCall['params']>
}

/**
 * One adapter call for a built-in profile, as the queue would build it, with the base URL pointed
 * at a test server. Anything the test cares about is overridden; the rest is a plausible default.
 */
export function dialectCall(profileId: string, baseUrl: string, over: CallOverrides = {}): DialectCall {
  const shipped = builtinProfiles.find((p) => p.id === profileId)
  if (!shipped) throw new Error(`no built-in profile ${profileId}`)
  const aspect = shipped.sizes.kind === 'aspect'
  const { params, ...rest } = over
  return {
    jobId: 'job_1',
    profile: { ...shipped, baseUrl },
    baseUrl,
    secret: 'test-secret-key',
    params: { provider: profileId, prompt: 'a white-background packshot of a teapot', quality: 'auto', format: shipped.formats[0]!, n: 1, refs: [], ...params },
    size: aspect ? { aspect: '1:1', resolution: '1K' } : { width: 1024, height: 1024 },
    count: 1,
    firstIndex: 0,
    signal: new AbortController().signal,
    clock: systemClock,
    fetch: globalThis.fetch,
    onTaskId: () => undefined,
    backoff: { wait: () => Promise.resolve(), hold: () => undefined },
    ...rest,
  }
}

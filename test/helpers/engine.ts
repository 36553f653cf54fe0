/** The engine through its router, as every door uses it: a real library, the demo provider, no keychain. */
import { onTestFinished } from 'vitest'
import type { ApiErrorData, Output, Result, RouteName } from '../../src/shared/api'
import { createEngine, type Engine, type EngineOptions } from '../../src/main/core/engine'
import { SessionSecretStore } from '../../src/main/core/secrets'

/** The options every test engine uses: fast demo provider, quick polling, keys for this session only. */
export function testEngineOptions(home: string, options: Partial<EngineOptions> = {}): EngineOptions {
  return {
    home,
    runQueue: true,
    demoDelayMs: 1,
    pollIntervalMs: 25,
    env: {},
    secrets: async () => ({
      store: new SessionSecretStore(),
      status: { backend: 'session', persistent: false, message: 'test: keys kept for this session only' },
    }),
    ...options,
  }
}

export async function openEngine(home: string, options: Partial<EngineOptions> = {}): Promise<Engine> {
  const engine = await createEngine(testEngineOptions(home, options))
  onTestFinished(() => engine.close())
  return engine
}

export async function call<N extends RouteName>(engine: Engine, name: N, input: unknown): Promise<Output<N>> {
  const result = (await engine.router.handle(name, input)) as Result<Output<N>>
  if (!result.ok) throw new Error(`${name} failed: ${JSON.stringify(result.error)}`)
  return result.value
}

export async function refused(engine: Engine, name: string, input: unknown): Promise<ApiErrorData> {
  const result = await engine.router.handle(name, input)
  if (result.ok) throw new Error(`${name} was accepted: ${JSON.stringify(result.value)}`)
  return result.error
}

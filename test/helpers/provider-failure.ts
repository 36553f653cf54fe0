import { ProviderError } from '../../src/main/core/providers/provider-error'

/** Awaits a call that must fail with a ProviderError, and returns that error for inspection. */
export async function providerFailure(p: Promise<unknown>): Promise<ProviderError> {
  try {
    await p
  } catch (err) {
    if (err instanceof ProviderError) return err
    throw err
  }
  throw new Error('expected a ProviderError')
}

import { afterAll, beforeAll, beforeEach } from 'vitest'
import { startProviderServer, type ProviderServer } from '../provider-server'

/**
 * One provider test server for a whole test file, reset (faults, ledgers, logs) before each test
 * and closed after the last. `bind` receives it once it listens, for the file's `server` variable.
 */
export function useProviderServer(bind: (server: ProviderServer) => void): void {
  let server: ProviderServer | null = null
  beforeAll(async () => {
    server = await startProviderServer()
    bind(server)
  })
  beforeEach(() => server?.reset())
  afterAll(async () => {
    await server?.close()
  })
}

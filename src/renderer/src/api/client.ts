import { createApiClient, type ApiClient } from '../../../shared/api'
import { createBridgeTransport } from './bridge-transport'

/**
 * Picks the door this page was opened through: inside Electron the preload has put a Transport
 * on `window.proofsheet`; in a plain browser (browser mode, end-to-end tests) there is none and
 * the page talks to the loopback bridge that served it.
 */
export function connectApi(): ApiClient {
  return createApiClient(window.proofsheet ?? createBridgeTransport())
}

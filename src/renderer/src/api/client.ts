import { createApiClient, type ApiClient } from '../../../shared/api'
import { createBridgeTransport, type BridgeTransportOptions } from './bridge-transport'

/**
 * Picks the door this page was opened through: inside Electron the preload has put a Transport
 * on `window.proofsheet`; in a plain browser (browser mode, end-to-end tests) there is none and
 * the page talks to the loopback bridge that served it.
 */
export function connectApi(options: Pick<BridgeTransportOptions, 'onSignedOut'> = {}): ApiClient {
  return createApiClient(window.proofsheet ?? createBridgeTransport(options))
}

/** Browser mode, where a page can be opened without its session (inside Electron it cannot). */
export function isBrowserMode(): boolean {
  return window.proofsheet === undefined
}

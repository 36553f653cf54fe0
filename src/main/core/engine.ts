// PLACEHOLDER: the real engine lands shortly; this fixes the signature the doors build against.
import type { Router } from '../../shared/api'
import type { Clock } from './clock'

/** Electron's safeStorage, as the engine sees it: only an encryptor, never Electron itself. */
export interface Encryptor {
  isEncryptionAvailable(): boolean
  /** e.g. 'basic_text' on Linux means "not really encrypted": such a backend must be refused. */
  backendName?(): string
  encryptString(plain: string): Buffer
  decryptString(cipher: Buffer): string
}

export interface EngineOptions {
  /** The library folder: database, images, thumbnails. Created if missing. */
  home: string
  /** Electron passes safeStorage here; plain Node passes nothing. */
  encryptor?: Encryptor | null
  clock?: Clock
  fetch?: typeof fetch
  /** Whether this process runs queued work (the app: yes; a CLI `queue` listing: no). */
  runQueue?: boolean
  /** Delay of the offline demo provider, in ms. */
  demoDelayMs?: number
  env?: Record<string, string | undefined>
}

export interface Engine {
  readonly home: string
  readonly router: Router
  close(): Promise<void>
}

export async function createEngine(_options: EngineOptions): Promise<Engine> {
  throw new Error('engine not implemented yet')
}

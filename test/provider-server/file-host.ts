/**
 * Image URLs for the providers that answer with links (getimg, ToAPIs, TokenHub's https variant).
 * The real links are https on a CDN; here they are plain http on this same loopback server, under
 * `/files/{provider}/{name}`. A client must therefore allow http for loopback hosts only, and must
 * not send its API key to a file host (the request log records whether it did).
 */
import { randomBytes } from 'node:crypto'
import type { ImageFormat } from './images'
import type { ProviderId } from './types'

export interface HostedFile {
  provider: ProviderId
  bytes: Buffer
  contentType: string
}

const EXTENSION: Readonly<Record<ImageFormat, string>> = { png: 'png', jpeg: 'jpg', webp: 'webp' }

export class FileHost {
  private readonly files = new Map<string, HostedFile>()

  constructor(private readonly origin: string) {}

  /** Stores the bytes and returns the absolute URL they are served at. */
  put(provider: ProviderId, bytes: Buffer, format: ImageFormat, contentType: string): string {
    const path = `/files/${provider}/${randomBytes(9).toString('base64url')}.${EXTENSION[format]}`
    this.files.set(path, { provider, bytes, contentType })
    return `${this.origin}${path}`
  }

  get(path: string): HostedFile | undefined {
    return this.files.get(path)
  }

  /** `/files/{provider}/...` → provider, for logging downloads of unknown or expired names too. */
  static providerOf(path: string): string | null {
    return /^\/files\/([^/]+)\//.exec(path)?.[1] ?? null
  }

  clear(): void {
    this.files.clear()
  }
}

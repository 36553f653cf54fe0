/**
 * Plain-fetch helpers for the provider server's own tests: a server per test (closed when the test
 * finishes), requests with or without the right key, and checks that what came back is a whole
 * image of the expected size.
 */
import sharp from 'sharp'
import { onTestFinished } from 'vitest'
import { startProviderServer, type ProviderId, type ProviderServer, type ProviderServerOptions } from '../../provider-server'

export async function providerServer(options?: ProviderServerOptions): Promise<ProviderServer> {
  const server = await startProviderServer(options)
  onTestFinished(() => server.close())
  return server
}

export interface CallOptions {
  /** The key to send; default the valid one, null for no credential at all. */
  key?: string | null
  /** How to send the key (default Bearer). */
  header?: 'bearer' | 'x-api-key'
  headers?: Record<string, string>
  signal?: AbortSignal
}

function authHeaders(server: ProviderServer, provider: ProviderId, options: CallOptions): Record<string, string> {
  const key = options.key === undefined ? server.validKey(provider) : options.key
  if (key === null) return {}
  return options.header === 'x-api-key' ? { 'x-api-key': key } : { authorization: `Bearer ${key}` }
}

export function postJson(server: ProviderServer, provider: ProviderId, path: string, body: unknown, options: CallOptions = {}): Promise<Response> {
  return fetch(`${server.baseUrl(provider)}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...authHeaders(server, provider, options), ...options.headers },
    body: JSON.stringify(body),
    ...(options.signal ? { signal: options.signal } : {}),
  })
}

export function postForm(server: ProviderServer, provider: ProviderId, path: string, form: FormData, options: CallOptions = {}): Promise<Response> {
  return fetch(`${server.baseUrl(provider)}${path}`, {
    method: 'POST',
    headers: { ...authHeaders(server, provider, options), ...options.headers },
    body: form,
  })
}

export function getJson(server: ProviderServer, provider: ProviderId, path: string, options: CallOptions = {}): Promise<Response> {
  return fetch(`${server.baseUrl(provider)}${path}`, { headers: authHeaders(server, provider, options) })
}

/** A 200 reply's JSON, failing with the body when the status is not 200. */
export async function okJson<T>(response: Response): Promise<T> {
  const text = await response.text()
  if (response.status !== 200) throw new Error(`expected 200, got ${response.status}: ${text.slice(0, 300)}`)
  return JSON.parse(text) as T
}

export async function errorJson(response: Response): Promise<{ status: number; body: unknown }> {
  return { status: response.status, body: (await response.json()) as unknown }
}

/** Decodes base64 the strict way (Buffer.from would skip invalid characters without a word). */
export function strictBase64(text: string): Buffer {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new Error('not strict base64')
  return Buffer.from(text, 'base64')
}

export function fromDataUri(uri: string): { mime: string; bytes: Buffer } {
  const match = /^data:([^;]+);base64,(.*)$/.exec(uri)
  if (!match?.[1] || match[2] === undefined) throw new Error(`not a base64 data URI: ${uri.slice(0, 40)}`)
  return { mime: match[1], bytes: strictBase64(match[2]) }
}

/** Format and size of a whole image: every pixel is decoded, so a truncated file fails here. */
export async function wholeImage(bytes: Buffer): Promise<{ format: string; width: number; height: number }> {
  const { info } = await sharp(bytes, { failOn: 'truncated' }).raw().toBuffer({ resolveWithObject: true })
  const meta = await sharp(bytes).metadata()
  return { format: meta.format, width: info.width, height: info.height }
}

export async function download(url: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string | null; bytes: Buffer }> {
  const response = await fetch(url, { headers })
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) }
}

export function pngOf(width: number, height: number, alpha = false): Promise<Buffer> {
  return sharp({ create: { width, height, channels: alpha ? 4 : 3, background: { r: 10, g: 200, b: 90, alpha: 0.5 } } })
    .png()
    .toBuffer()
}

export function jpegOf(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 20, b: 90 } } })
    .jpeg()
    .toBuffer()
}

export function file(bytes: Buffer, name: string, type?: string): File {
  return new File([new Uint8Array(bytes)], name, type === undefined ? {} : { type })
}

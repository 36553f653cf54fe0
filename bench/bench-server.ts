/**
 * Starts bench/fake-openai-server.ts in a process of its own and waits until it listens. The
 * server ends when its stdin closes: call stop(), or let this process die.
 */
import { spawn } from 'node:child_process'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { SampleKind } from './sample-png'

export interface BenchServer {
  baseUrl: string
  key: string
  /** Bytes of the reply to a call for one image. */
  replyBytes: number
  stop(): void
}

const here = dirname(fileURLToPath(import.meta.url))

export async function startBenchServer(latencyMs: number, image: SampleKind = 'noise'): Promise<BenchServer> {
  const args = ['--import', 'tsx', join(here, 'fake-openai-server.ts'), '--latency-ms', String(latencyMs), '--image', image]
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] })
  const lines = createInterface({ input: child.stdout })
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`the bench server exited with code ${code} before listening`)))
  })
  lines.close()
  const info = JSON.parse(first) as { baseUrl: string; key: string; replyBytes: number }
  return { ...info, stop: () => child.stdin.end() }
}

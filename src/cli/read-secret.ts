/**
 * Reads an API key from stdin without echoing it. From a terminal it switches echo off while the
 * user pastes; from a pipe it reads everything. The secret is never printed or logged.
 */
export async function readSecret(
  stdin: NodeJS.ReadableStream & { isTTY?: boolean; setRawMode?: (raw: boolean) => unknown },
  prompt: (text: string) => void,
): Promise<string> {
  if (stdin.isTTY && stdin.setRawMode) {
    prompt('Paste the key and press Enter (it will not be shown): ')
    stdin.setRawMode(true)
    try {
      return await new Promise<string>((resolve, reject) => {
        let secret = ''
        const onData = (chunk: Buffer | string): void => {
          for (const ch of chunk.toString('utf8')) {
            if (ch === '\r' || ch === '\n') return finish(secret)
            if (ch === '\u0003') return fail(new Error('Canceled.'))
            if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1)
            else secret += ch
          }
        }
        const finish = (value: string): void => {
          stdin.off('data', onData)
          prompt('\n')
          resolve(value)
        }
        const fail = (err: Error): void => {
          stdin.off('data', onData)
          prompt('\n')
          reject(err)
        }
        stdin.on('data', onData)
        stdin.resume()
      })
    } finally {
      stdin.setRawMode(false)
      stdin.pause()
    }
  }
  const chunks: Buffer[] = []
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer))
  return Buffer.concat(chunks).toString('utf8').trim()
}

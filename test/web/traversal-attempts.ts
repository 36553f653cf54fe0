import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

// One list of ways out of a library, shared by the tests of both media doors (the Electron
// protocol and the browser-mode /media/ route), so neither can fall behind the other.

export const OUTSIDE_SECRET = 'OUTSIDE-THE-LIBRARY-SECRET'

/**
 * Plants escape hatches around a library at `home` (inside `root`): a secret file and folder
 * outside it, a symlinked file and a symlinked folder inside images/, a link to the database,
 * and thumbs/ itself as a link to the outside folder. Returns the secret file's absolute path.
 */
export async function plantEscapes(root: string, home: string): Promise<string> {
  const secret = join(root, 'outside-secret.txt')
  const outside = join(root, 'outside')
  await mkdir(join(home, 'images'), { recursive: true })
  await mkdir(outside, { recursive: true })
  await writeFile(secret, OUTSIDE_SECRET)
  await writeFile(join(outside, 'x.png'), OUTSIDE_SECRET)
  await writeFile(join(home, 'proofsheet.db'), `SQLite format 3\0${OUTSIDE_SECRET}`)
  await symlink(secret, join(home, 'images', 'escape.png'))
  await symlink(join(home, 'proofsheet.db'), join(home, 'images', 'db.png'))
  await symlink(outside, join(home, 'images', 'linked'))
  await symlink(outside, join(home, 'thumbs'))
  return secret
}

/**
 * Paths below the media root (`/media/` or `proofsheet-media://library/`), exactly as they go on
 * the wire, each of which must be refused. `images/` is two levels below `root`, where the secret is.
 */
export function traversalAttempts(secretPath: string): string[] {
  return [
    // plain and percent-encoded dot segments and separators
    '../outside-secret.txt',
    'images/../../outside-secret.txt',
    'images/..%2f..%2foutside-secret.txt',
    'images/..%2F..%2Foutside-secret.txt',
    '%2e%2e/%2e%2e/outside-secret.txt',
    'images/%2e%2e/%2e%2e/outside-secret.txt',
    'images/%2e%2e%2f%2e%2e%2foutside-secret.txt',
    'images/.%2e/.%2e/outside-secret.txt',
    // backslashes, raw and encoded (Windows separators)
    'images/..%5c..%5coutside-secret.txt',
    'images/..%5C..%5Coutside-secret.txt',
    'images/..\\..\\outside-secret.txt',
    'images\\..\\..\\outside-secret.txt',
    // doubled encodings: must be decoded once, never twice
    'images/%252e%252e/%252e%252e/outside-secret.txt',
    'images/..%252f..%252foutside-secret.txt',
    'images/%25%32%65%25%32%65/outside-secret.txt',
    // unicode look-alikes and overlong UTF-8 for dot and slash
    'images/%c0%ae%c0%ae/%c0%ae%c0%ae/outside-secret.txt',
    'images/%c0%ae%c0%ae%c0%afoutside-secret.txt',
    'images/%e2%80%a4%e2%80%a4/%e2%80%a4%e2%80%a4/outside-secret.txt',
    'images/%ef%bc%8e%ef%bc%8e%ef%bc%8f%ef%bc%8e%ef%bc%8e%ef%bc%8foutside-secret.txt',
    'images/..%e2%88%95..%e2%88%95outside-secret.txt',
    'images/..%ef%bc%bc..%ef%bc%bcoutside-secret.txt',
    // NUL bytes
    'images/a.png%00.txt',
    'images/a.png%00',
    'images/%00/../../outside-secret.txt',
    // absolute paths, Unix and Windows
    `/${secretPath.replace(/^\//, '')}`,
    `images/${encodeURIComponent(secretPath)}`,
    `images/${secretPath.replace(/^\//, '/')}`,
    '%2fetc%2fpasswd',
    '/etc/passwd',
    'images/C:%5cWindows%5cwin.ini',
    'C:/Windows/win.ini',
    'images/%5c%5cserver%5cshare%5cx.png',
    // files of the library that are not media, and hidden files
    'proofsheet.db',
    'images/.tmp-1.png',
    // symlinks out of the library: a file, a folder, a whole media root, and to the database
    'images/escape.png',
    'images/linked/x.png',
    'thumbs/x.png',
    'images/db.png',
  ]
}

/**
 * What the app does next about an update, as a pure function of what it knows: the feed, what
 * started the check (the app starting, or the person asking), what the check found, whether the
 * connection is metered, and the person's answer if they were asked. No I/O here: the Electron
 * side carries out the step and calls again with what it learned. "Cannot tell" about metering
 * counts as metered: a download is never started on a connection that may be paid by the byte.
 */
import type { ConnectionCost } from '../../../shared/updates/connection-cost'
import type { UpdateFeed } from './update-feed'

export type { ConnectionCost }

export type UpdateTrigger = 'start' | 'manual'
export type UpdateAnswer = 'download' | 'later'

export type CheckOutcome =
  /** Not checked yet. */
  | { readonly kind: 'unchecked' }
  | { readonly kind: 'current'; readonly version: string }
  | { readonly kind: 'newer'; readonly version: string; readonly sizeBytes?: number }
  | { readonly kind: 'failed'; readonly reason: string }

export interface UpdateSituation {
  feed: UpdateFeed
  trigger: UpdateTrigger
  check: CheckOutcome
  connection: ConnectionCost
  answer: UpdateAnswer | null
}

export type UpdateStep =
  /** `message` is null when nothing needs saying (a quiet start with no news). */
  | { readonly action: 'nothing'; readonly message: string | null }
  | { readonly action: 'check'; readonly message: string | null }
  | { readonly action: 'ask'; readonly version: string; readonly message: string }
  | { readonly action: 'download'; readonly version: string; readonly message: string }

export function decideUpdate(s: UpdateSituation): UpdateStep {
  const manual = s.trigger === 'manual'
  if (s.feed.kind === 'off') {
    // No feed: not even a check, so an unconfigured install never calls out.
    return { action: 'nothing', message: manual ? 'Updates are off: no update feed is configured.' : null }
  }
  switch (s.check.kind) {
    case 'unchecked':
      // A check fetches one small file, so it runs on any connection; only the download waits.
      return { action: 'check', message: manual ? 'Checking for updates…' : null }
    case 'current':
      return { action: 'nothing', message: manual ? `Proofsheet ${s.check.version} is the latest version.` : null }
    case 'failed':
      // On start a feed that is down must not nag; asked for, the person needs the reason.
      return { action: 'nothing', message: manual ? `Could not check for updates: ${s.check.reason}` : null }
    case 'newer':
      return decideDownload(s, s.check.version, s.check.sizeBytes)
  }
}

function decideDownload(s: UpdateSituation, version: string, sizeBytes: number | undefined): UpdateStep {
  if (s.answer === 'later') {
    return { action: 'nothing', message: `Proofsheet ${version} will be offered again at the next check.` }
  }
  if (s.answer === 'download') {
    return { action: 'download', version, message: `Downloading Proofsheet ${version}.` }
  }
  if (s.connection === 'unmetered') {
    return { action: 'download', version, message: `Downloading Proofsheet ${version}.` }
  }
  const size = sizeBytes !== undefined ? ` (${formatMegabytes(sizeBytes)})` : ''
  const why =
    s.connection === 'metered'
      ? 'This connection is metered'
      : 'Proofsheet cannot tell whether this connection is metered'
  return { action: 'ask', version, message: `Proofsheet ${version} is available${size}. ${why}: download it now?` }
}

function formatMegabytes(bytes: number): string {
  return `${Math.max(0.1, Math.round(bytes / 100_000) / 10)} MB`
}

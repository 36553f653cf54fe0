/**
 * Decides whether an IPC call may reach the engine. Pure and fed plain facts, so every refusal
 * case is unit tested without Electron; ipc-adapter.ts gathers the facts from the real event.
 * Anything that is not our window's top-level page, showing our own app URL, is refused.
 */
import { isAppUrl, type AppLocation } from './app-location'

export interface SenderFacts {
  /** `event.sender.id`: the webContents the message came through. */
  readonly senderWebContentsId: number
  /** `event.senderFrame`, reduced to plain data; null once the frame navigated or was destroyed. */
  readonly frame: {
    readonly url: string
    /** Id of the webContents whose main frame is this frame's top frame; null if none of ours. */
    readonly ownerWebContentsId: number | null
    /** False for iframes: the app has none, so a subframe is foreign content by definition. */
    readonly isMainFrame: boolean
  } | null
}

export interface SenderPolicy {
  /** webContents ids of the live Proofsheet windows (a Set or a Map keyed by id). */
  readonly allowedWebContentsIds: { has(id: number): boolean }
  readonly app: AppLocation
}

export type SenderVerdict = { readonly ok: true } | { readonly ok: false; readonly reason: string }

export function checkSender(facts: SenderFacts, policy: SenderPolicy): SenderVerdict {
  if (!policy.allowedWebContentsIds.has(facts.senderWebContentsId)) {
    return refuse('the sender is not a Proofsheet window')
  }
  const frame = facts.frame
  if (!frame) return refuse('the sending frame is gone')
  if (frame.ownerWebContentsId !== facts.senderWebContentsId) {
    return refuse('the sending frame does not belong to the sender window')
  }
  if (!frame.isMainFrame) return refuse('the call came from a subframe')
  if (!isAppUrl(frame.url, policy.app)) return refuse(`the sending page is not the app (${originOf(frame.url)})`)
  return { ok: true }
}

function refuse(reason: string): SenderVerdict {
  return { ok: false, reason }
}

// For logs only: the origin, not the full URL, which might carry something private.
function originOf(url: string): string {
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'file:' ? 'file:' : parsed.origin
  } catch {
    return 'unparseable URL'
  }
}

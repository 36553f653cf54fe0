/**
 * Decides whether an IPC message may be answered. checkSender is pure and fed plain facts, so
 * every refusal case is unit tested without Electron; checkInvokeEvent gathers those facts from a
 * real (or stand-in) event. Every ipcMain handler of the app calls checkInvokeEvent first:
 * anything that is not our window's top-level page, showing our own app URL, is refused.
 */
import { isAppUrl, type AppLocation } from './app-location'

/** The parts of Electron's WebFrameMain the check reads. */
export interface FrameLike {
  readonly url: string
  readonly frameTreeNodeId: number
  readonly parent: FrameLike | null
  readonly top: FrameLike | null
}

/** The parts of IpcMainInvokeEvent the check reads (startDrag: WebContents', for the desktop door). */
export interface InvokeEventLike {
  readonly sender: { readonly id: number; startDrag?(item: { file: string; icon: string }): void }
  readonly senderFrame: FrameLike | null
}

/** The parts of one of our windows' WebContents the check reads. */
export interface OwnContents {
  readonly id: number
  readonly mainFrame: FrameLike
  isDestroyed(): boolean
}

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

/**
 * The verdict for a real IPC event against the windows we own. Never throws: Electron throws when
 * a WebFrameMain is read after its frame was disposed, and that counts as "the frame is gone".
 */
export function checkInvokeEvent(event: InvokeEventLike, windows: Iterable<OwnContents>, app: AppLocation): SenderVerdict {
  const live = [...windows].filter((contents) => !contents.isDestroyed())
  let facts: SenderFacts
  try {
    facts = senderFacts(event, live)
  } catch {
    facts = { senderWebContentsId: event.sender.id, frame: null }
  }
  return checkSender(facts, { allowedWebContentsIds: new Set(live.map((contents) => contents.id)), app })
}

function senderFacts(event: InvokeEventLike, windows: OwnContents[]): SenderFacts {
  const frame = event.senderFrame
  if (!frame) return { senderWebContentsId: event.sender.id, frame: null }
  const top = frame.top ?? frame
  const owner = windows.find((contents) => contents.mainFrame.frameTreeNodeId === top.frameTreeNodeId)
  return {
    senderWebContentsId: event.sender.id,
    frame: { url: frame.url, ownerWebContentsId: owner?.id ?? null, isMainFrame: frame.parent === null },
  }
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

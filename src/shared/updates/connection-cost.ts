/**
 * Whether the connection may be paid by the byte, from what the renderer can read: Chromium's
 * `navigator.connection` (Network Information API). Electron has no metered flag on every
 * platform, and Chromium on a desktop rarely fills in `type`, so most answers are `unknown`,
 * which the update decision treats as "ask first". Never guess `unmetered` from Wi-Fi: a phone's
 * hotspot is Wi-Fi too.
 */
export type ConnectionCost = 'metered' | 'unmetered' | 'unknown'

/** The fields of NetworkInformation this reads; every one may be missing. */
export interface NetworkInformationLike {
  readonly saveData?: boolean
  readonly type?: string
}

export function connectionCostOf(info: NetworkInformationLike | null | undefined): ConnectionCost {
  if (!info) return 'unknown'
  // The person asked their browser or OS to save data: that is a metered connection for us.
  if (info.saveData === true) return 'metered'
  if (info.type === 'cellular') return 'metered'
  if (info.type === 'ethernet') return 'unmetered'
  return 'unknown'
}

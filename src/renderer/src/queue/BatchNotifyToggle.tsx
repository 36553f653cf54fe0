import { useEffect, useRef, useState, type ReactNode } from 'react'
import { useQueue } from '../app/stores-context'

/**
 * Browser mode only: a system notification when a batch finishes, through the Web Notifications
 * API. Permission is asked only when the person turns the toggle on, never on load. Inside
 * Electron the main process notifies instead, so the toggle is not offered there.
 */

const STORAGE_KEY = 'proofsheet.notifyBatches'

function webNotificationsAvailable(): boolean {
  return typeof window !== 'undefined' && window.proofsheet === undefined && typeof window.Notification === 'function'
}

function readEnabled(): boolean {
  try {
    return window.localStorage.getItem(STORAGE_KEY) === '1'
  } catch {
    return false
  }
}

function writeEnabled(on: boolean): void {
  try {
    window.localStorage.setItem(STORAGE_KEY, on ? '1' : '0')
  } catch {
    // Storage refused (private mode): the toggle still works for this page.
  }
}

export function BatchNotifyToggle(): ReactNode {
  const [enabled, setEnabled] = useState(() => webNotificationsAvailable() && readEnabled())
  const [blocked, setBlocked] = useState(false)
  const notice = useQueue((s) => s.lastBatchNotice)
  // The notice already on the page when it opened or when the toggle was turned on is old news:
  // only batches that finish after that are notified.
  const handled = useRef(notice)

  useEffect(() => {
    if (!notice || notice === handled.current) return
    handled.current = notice
    if (!enabled || window.Notification.permission !== 'granted') return
    new window.Notification(notice.title, { body: notice.body, tag: notice.batchId })
  }, [notice, enabled])

  if (!webNotificationsAvailable()) return null

  const turn = async (on: boolean): Promise<void> => {
    setBlocked(false)
    if (!on) {
      setEnabled(false)
      writeEnabled(false)
      return
    }
    const permission =
      window.Notification.permission === 'default' ? await window.Notification.requestPermission() : window.Notification.permission
    const granted = permission === 'granted'
    setEnabled(granted)
    writeEnabled(granted)
    setBlocked(!granted)
  }

  return (
    <div className="batch-notify">
      <label className="batch-notify-toggle">
        <input type="checkbox" checked={enabled} onChange={(event) => void turn(event.currentTarget.checked)} />
        Notify me when batches finish
      </label>
      {blocked ? (
        <p className="hint" role="alert">
          This browser blocks notifications from Proofsheet. Allow them in the site settings (the icon left of the address), then turn this on again.
        </p>
      ) : null}
    </div>
  )
}

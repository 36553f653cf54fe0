/**
 * Whether this machine hands freed memory back to a hypervisor, and a way to start two timed
 * steps from the same memory state.
 *
 * On a virtual machine with virtio-balloon free page reporting, the guest reports free blocks
 * (of 2^order pages) to the host a moment after they are freed, and the host takes the memory
 * back; the next write into such a page costs a fault in the host on top of the guest's own.
 * Writing 3 GB of copies then takes about four times as long as writing into memory just freed.
 * A step that runs right after another freed gigabytes writes into warm memory and one that runs
 * later into cold: two steps compared side by side must start from the same state, or the ratio
 * measures their order. `settle` waits until freed memory has been handed back, so every step
 * after it writes into handed-back memory, as the first step of a fresh process on this machine does.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'

const PAGE_REPORTING = '/sys/module/page_reporting/parameters'
const BALLOON = '/sys/bus/virtio/drivers/virtio_balloon'
/** The kernel reports freed blocks after a delay of about 2 s; this leaves time for gigabytes. */
export const SETTLE_MS = 10_000

export interface FreePageReporting {
  /** The balloon reports free pages to the host. */
  active: boolean
  /** One line for a benchmark's notes. */
  describe: string
}

export function freePageReporting(): FreePageReporting {
  const order = readNumber(`${PAGE_REPORTING}/page_reporting_order`)
  const balloon = existsSync(BALLOON) && readdirSync(BALLOON).some((entry) => entry.startsWith('virtio'))
  if (order === null || !balloon) {
    return { active: false, describe: 'This machine does not hand freed memory back to a host (no virtio-balloon free page reporting): memory freed a moment ago and long ago cost the same to write into.' }
  }
  return {
    active: true,
    describe: `This machine is a virtual machine that hands freed memory back to its host (virtio-balloon free page reporting, blocks of ${2 ** order} pages): writing into memory freed more than a few seconds earlier costs a fault in the host per page.`,
  }
}

/** Waits until memory freed before the call has been handed back (only where the machine does that). */
export async function settle(reporting: FreePageReporting): Promise<void> {
  if (reporting.active) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
}

function readNumber(path: string): number | null {
  try {
    const value = Number(readFileSync(path, 'utf8').trim())
    return Number.isFinite(value) ? value : null
  } catch {
    return null
  }
}

/**
 * The "polling the provider" state of an async job: the queue tells the doors as soon as the
 * provider hands out a task id, and the view drops the flag once the job is done.
 */
import { describe, expect, it } from 'vitest'
import type { JobView } from '../../../src/shared/api'
import { Hold } from '../../helpers/scripted-dialect'
import { queueHarness } from '../../helpers/queue-harness'
import { until } from '../../helpers/wait'

describe('JobView.polling', () => {
  it('is announced once the provider returns a task id, and false before and after', async () => {
    const h = queueHarness({ resumable: true })
    const hold = new Hold()
    // Submitting: the call is at the provider and no task exists yet.
    const submitting = new Hold()
    h.dialect.script(async (call) => {
      await submitting.step(call)
      call.onTaskId('task-7')
      return hold.step(call)
    })
    const [job] = h.submit()
    const views = (): JobView[] => h.events.flatMap((m) => (m.event === 'job.updated' && m.data.id === job!.id ? [m.data] : []))
    h.queue.start()

    await submitting.entered()
    expect(views().at(-1)).toMatchObject({ status: 'running', polling: false })
    submitting.release(async () => ({ images: [], chargedCost: null }))
    await hold.entered()
    await until(() => views().at(-1)?.polling === true, 'the polling state is announced')
    expect(views().at(-1)?.status).toBe('running')

    hold.release()
    await until(() => views().at(-1)?.status === 'succeeded', 'the job succeeds')
    expect(views().at(-1)?.polling).toBe(false)
  })
})

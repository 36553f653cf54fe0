/**
 * ToAPIs tasks held by the fake server. A task's clock is its poll count: each poll moves it one
 * step along its plan (e.g. `in_progress`, then `completed`), so tests decide how long "generation"
 * takes without waiting for real time.
 */
import type { ImageJob, PayloadFault } from '../images'
import type { TaskStatus, TaskView } from '../types'

export interface Task {
  id: string
  model: string
  prompt: string
  size: string
  resolution: string
  metadata: Record<string, unknown>
  createdAt: number
  submittedBy: number
  polls: number
  /** Statuses answered by polls 1..plan.length; after that the task is terminal. */
  plan: Array<'queued' | 'submitted' | 'in_progress'>
  outcome: 'completed' | 'failed'
  status: TaskStatus
  job: ImageJob
  payloadFault: PayloadFault | null
  urls: string[] | null
  completedAt: number | null
  billed: boolean
}

export class TaskStore {
  private readonly tasks = new Map<string, Task>()

  add(task: Task): void {
    this.tasks.set(task.id, task)
  }

  get(id: string): Task | undefined {
    return this.tasks.get(id)
  }

  views(): TaskView[] {
    return [...this.tasks.values()].map((t) => ({
      id: t.id,
      prompt: t.prompt,
      size: t.size,
      resolution: t.resolution,
      submittedBy: t.submittedBy,
      polls: t.polls,
      status: t.status,
      billed: t.billed,
    }))
  }

  clear(): void {
    this.tasks.clear()
  }
}

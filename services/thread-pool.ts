import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { TASKS, type TaskName, type TaskInput, type TaskOutput } from './thread-tasks.js';

interface Job {
  task: TaskName;
  input: unknown;
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  job?: Job;
}

// Worker threads run TypeScript through tsx's loader, the same way the CLI runs.
const WORKER_URL = new URL('./thread-bootstrap.mjs', import.meta.url);

/**
 * A small pool of worker threads for CPU-heavy pure functions (forecasting batches, planning),
 * so the activity's event loop stays free to heartbeat. Tasks are named (thread-tasks.ts);
 * inputs and outputs are structured-cloned plain data. A crashed thread is replaced and its
 * job fails with the thread's error, never taking the worker process down.
 */
export class ThreadPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;

  constructor(readonly size: number = Math.max(1, availableParallelism())) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  run<N extends TaskName>(task: N, input: TaskInput<N>): Promise<TaskOutput<N>> {
    if (this.closed) return Promise.reject(new Error('thread pool is closed'));
    if (!(task in TASKS)) return Promise.reject(new Error(`unknown thread task "${task}"`));
    return new Promise<TaskOutput<N>>((resolve, reject) => {
      this.queue.push({ task, input, resolve: resolve as (v: unknown) => void, reject });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('thread pool closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_URL);
    const slot: Slot = { worker };
    worker.on('message', (msg: { ok: boolean; value?: unknown; error?: string }) => {
      const job = slot.job;
      slot.job = undefined;
      if (job) {
        if (msg.ok) job.resolve(msg.value);
        else job.reject(new Error(msg.error ?? 'thread task failed'));
      }
      this.dispatch();
    });
    worker.on('error', (err) => {
      const job = slot.job;
      slot.job = undefined;
      job?.reject(err);
      this.replace(slot);
    });
    // A thread that exits without an error event (process.exit, OOM kill) must not strand its job.
    worker.on('exit', (code) => {
      if (this.closed || this.slots.indexOf(slot) < 0) return;
      const job = slot.job;
      slot.job = undefined;
      job?.reject(new Error(`worker thread exited with code ${code} while running "${job.task}"`));
      this.replace(slot);
    });
    worker.unref();
    return slot;
  }

  private replace(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i < 0 || this.closed) return;
    void slot.worker.terminate();
    this.slots[i] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job) continue;
      const job = this.queue.shift();
      if (!job) return;
      slot.job = job;
      slot.worker.ref();
      slot.worker.postMessage({ task: job.task, input: job.input });
    }
    for (const slot of this.slots) if (!slot.job) slot.worker.unref();
  }
}

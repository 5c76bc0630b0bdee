import { parentPort } from 'node:worker_threads';
import { TASKS, type TaskName } from './thread-tasks.js';

parentPort?.on('message', async (msg: { task: TaskName; input: unknown }) => {
  try {
    const fn = TASKS[msg.task] as (input: unknown) => unknown;
    const value = await fn(msg.input);
    parentPort?.postMessage({ ok: true, value });
  } catch (err) {
    parentPort?.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});

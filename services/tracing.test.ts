import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowStartInput } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { REQUEST_ID_HEADER, RequestIdClientInterceptor, requestContext } from './tracing.js';

const input = { workflowType: 'replanWorkflow', headers: {}, options: { taskQueue: 'q', workflowId: 'replan/x/k', args: [] } } as unknown as WorkflowStartInput;

describe('RequestIdClientInterceptor', () => {
  it('puts the serving request id in the start header and memo', async () => {
    let seen: WorkflowStartInput | undefined;
    await requestContext.run({ requestId: 'req-42' }, () =>
      new RequestIdClientInterceptor().start(input, async (i) => {
        seen = i;
        return 'run';
      }),
    );
    expect(defaultPayloadConverter.fromPayload(seen!.headers[REQUEST_ID_HEADER]!)).toBe('req-42');
    expect(seen!.options.memo).toEqual({ requestId: 'req-42' });
  });

  it('leaves a start made outside a request as it is', async () => {
    let seen: WorkflowStartInput | undefined;
    await new RequestIdClientInterceptor().start(input, async (i) => {
      seen = i;
      return 'run';
    });
    expect(seen).toBe(input);
  });
});

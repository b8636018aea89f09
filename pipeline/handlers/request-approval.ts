import * as z from 'zod';
import { IncidentState } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { createApprovalService } from '../approval/service';
import { lambdaEntry } from './common';

export const RequestApprovalInput = z.object({ state: IncidentState, task_token: z.string().min(1) });
export type RequestApprovalInput = z.input<typeof RequestApprovalInput>;

/**
 * The body of the waitForTaskToken task: stores the pending request (token server-side) and posts
 * the approval card. The workflow then waits for SendTaskSuccess/Failure from `decide`.
 */
export async function requestApproval(rt: Runtime, raw: RequestApprovalInput) {
  const input = RequestApprovalInput.parse(raw);
  const r = await createApprovalService(rt).request(input);
  return { incident_id: r.incident_id, status: r.status, expires_at: r.expires_at };
}

export const handler = lambdaEntry('request-approval', RequestApprovalInput, requestApproval);

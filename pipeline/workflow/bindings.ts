import { IncidentState } from '../../providers/domain';
import type { Runtime } from '../../providers/runtime';
import { detect, parseDetectInput } from '../detection';
import { type AnalyzeFn, analyze, makeAnalyzeHandler } from '../handlers/analyze';
import { expireApproval } from '../handlers/expire-approval';
import { NotifyInput, notify } from '../handlers/notify';
import { remediate } from '../handlers/remediate';
import { RequestApprovalInput, requestApproval } from '../handlers/request-approval';
import { verify } from '../handlers/verify';
import type { TaskFn } from './local-runner';

/** The workflow's Lambda tasks (the keys of infra's WorkflowResources). */
export type TaskName =
  | 'detect'
  | 'analyze'
  | 'notify'
  | 'requestApproval'
  | 'expireApproval'
  | 'remediate'
  | 'verify';

const fn = (name: string) => `arn:aws:lambda:us-east-1:000000000000:function:bdp-${name}`;

/** Resource names for local definitions: pass these to buildMainWorkflow, then bind them here. */
export const LOCAL_TASK_RESOURCES: Record<TaskName, string> = {
  detect: fn('detect'),
  analyze: fn('analyze'),
  notify: fn('notify'),
  requestApproval: fn('request-approval'),
  expireApproval: fn('expire-approval'),
  remediate: fn('remediate'),
  verify: fn('verify'),
};

export const LOCAL_MAIN_STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:000000000000:stateMachine:bdp-main-workflow';
export const LOCAL_APPROVAL_STATE_MACHINE_ARN =
  'arn:aws:states:us-east-1:000000000000:stateMachine:bdp-approval-workflow';

export interface BindOptions {
  resources?: Record<TaskName, string>;
  /** Replaces the agent (tests set exact confidences). */
  analyzeFn?: AnalyzeFn;
  /** Replaces detection (tests hand in incidents). */
  detectFn?: (rt: Runtime, input: unknown) => Promise<unknown>;
  /** Wraps every task, e.g. to record calls or inject faults. */
  around?: (task: TaskName, input: unknown, run: () => Promise<unknown>) => Promise<unknown>;
}

// Each local task goes through JSON like a Lambda payload does, so nothing leaks by reference.
const viaJson = (v: unknown): unknown => (v === undefined ? null : JSON.parse(JSON.stringify(v)));

/** Binds every task resource to the real handler on the given runtime. */
export function bindPipelineTasks(rt: Runtime, opts: BindOptions = {}): Record<string, TaskFn> {
  const res = opts.resources ?? LOCAL_TASK_RESOURCES;
  const analyzeStep = opts.analyzeFn ? makeAnalyzeHandler(opts.analyzeFn) : analyze;
  const impl: Record<TaskName, (input: unknown) => Promise<unknown>> = {
    detect: (i) => (opts.detectFn ? opts.detectFn(rt, i) : detect(rt, parseDetectInput(i ?? {}))),
    analyze: (i) => analyzeStep(rt, IncidentState.parse(i)),
    notify: (i) => notify(rt, NotifyInput.parse(i)),
    requestApproval: (i) => requestApproval(rt, RequestApprovalInput.parse(i)),
    expireApproval: (i) => expireApproval(rt, IncidentState.parse(i)),
    remediate: (i) => remediate(rt, IncidentState.parse(i)),
    verify: (i) => verify(rt, IncidentState.parse(i)),
  };
  const out: Record<string, TaskFn> = {};
  for (const name of Object.keys(impl) as TaskName[]) {
    const run = impl[name];
    out[res[name]] = async (input) => {
      const payload = viaJson(input);
      const result = opts.around ? await opts.around(name, payload, () => run(payload)) : await run(payload);
      return viaJson(result);
    };
  }
  return out;
}

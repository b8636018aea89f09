import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../../infra/functions';

const run = promisify(execFile);
const DAG = join(REPO_ROOT, 'infra/mwaa/bdp_detection_dag.py');

describe('MWAA DAG', () => {
  it('compiles with python3', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'bdp-dag-'));
    try {
      // PYTHONPYCACHEPREFIX keeps the .pyc out of the repository.
      await run('python3', ['-m', 'py_compile', DAG], {
        env: { ...process.env, PYTHONPYCACHEPREFIX: cache },
      });
    } finally {
      rmSync(cache, { recursive: true, force: true });
    }
  });

  it('starts the same state machine with boto3 start_execution and waits for the outcome', () => {
    const src = readFileSync(DAG, 'utf8');
    expect(src).toMatch(/boto3\.client\("stepfunctions"/);
    expect(src).toMatch(/\.start_execution\(stateMachineArn=arn/);
    expect(src).toMatch(/BDP_MAIN_STATE_MACHINE_ARN/);
    expect(src).toMatch(/describe_execution/);
    // The detect step input (DetectInput): who asked, no service filter.
    expect(src).toMatch(/"requested_by": f"mwaa:/);
  });
});

"""BDP Agent detection on Amazon MWAA (Airflow 2.x).

For teams that schedule with Airflow instead of EventBridge Scheduler: every run starts the same
Step Functions state machine the scheduler would (bdp-main-workflow), then waits for it to finish so
the Airflow task reflects the outcome. Deploy with context `scheduleEnabled=false` so the two do not
both start it.

Airflow Variables (or environment variables of the same name):
  BDP_MAIN_STATE_MACHINE_ARN  the stack output MainStateMachineArn (required)
  BDP_SCHEDULE                cron or preset, default every 5 minutes
  BDP_WAIT_TIMEOUT_SECONDS    how long to wait for the execution, default 3300

The MWAA execution role needs states:StartExecution on the state machine and
states:DescribeExecution on its executions.
"""

from __future__ import annotations

import json
import os
import time
from datetime import datetime, timedelta

import boto3
from botocore.config import Config
from airflow import DAG
from airflow.exceptions import AirflowException
from airflow.models import Variable
from airflow.operators.python import PythonOperator


def _setting(name: str, default: str | None = None) -> str | None:
    value = Variable.get(name, default_var=None)
    return value if value else os.environ.get(name, default)


# Bounded retries with backoff and socket timeouts on every AWS call.
_BOTO_CONFIG = Config(retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=30)


def start_detection(**context) -> str:
    """Starts one execution named after the Airflow run (idempotent across task retries)."""
    arn = _setting("BDP_MAIN_STATE_MACHINE_ARN")
    if not arn:
        raise AirflowException("BDP_MAIN_STATE_MACHINE_ARN is not set (Airflow Variable or environment)")
    sfn = boto3.client("stepfunctions", config=_BOTO_CONFIG)
    # Execution names allow 80 characters of [A-Za-z0-9-_]: the run id, sanitised.
    run_id = "".join(c if c.isalnum() or c in "-_" else "-" for c in context["run_id"])[:70]
    name = f"mwaa-{run_id}"
    # The detect step's input (pipeline/detection DetectInput): a scheduled run over every service.
    payload = json.dumps({"requested_by": f"mwaa:{context['run_id']}"[:200]})
    try:
        out = sfn.start_execution(stateMachineArn=arn, name=name, input=payload)
        return out["executionArn"]
    except sfn.exceptions.ExecutionAlreadyExists:
        # A retried task: the execution of this run is already going.
        prefix, machine = arn.split(":stateMachine:", 1)
        return f"{prefix}:execution:{machine}:{name}"


def wait_for_detection(**context) -> str:
    """Polls the execution until it ends; a failed, timed-out or aborted run fails the task."""
    execution_arn = context["ti"].xcom_pull(task_ids="start_detection")
    timeout = int(_setting("BDP_WAIT_TIMEOUT_SECONDS", "3300") or "3300")
    sfn = boto3.client("stepfunctions", config=_BOTO_CONFIG)
    deadline = time.monotonic() + timeout
    delay = 5
    while time.monotonic() < deadline:
        status = sfn.describe_execution(executionArn=execution_arn)["status"]
        if status == "SUCCEEDED":
            return status
        if status in ("FAILED", "TIMED_OUT", "ABORTED"):
            raise AirflowException(f"{execution_arn} ended {status}")
        time.sleep(delay)
        delay = min(delay * 2, 60)
    raise AirflowException(f"{execution_arn} still running after {timeout} s")


with DAG(
    dag_id="bdp_detection",
    description="Start the BDP Agent main workflow (detect, analyse, remediate)",
    schedule=_setting("BDP_SCHEDULE", "*/5 * * * *"),
    start_date=datetime(2026, 1, 1),
    catchup=False,
    max_active_runs=1,
    default_args={"retries": 2, "retry_delay": timedelta(seconds=30), "retry_exponential_backoff": True},
    tags=["bdp-agent"],
) as dag:
    start = PythonOperator(task_id="start_detection", python_callable=start_detection)
    wait = PythonOperator(
        task_id="wait_for_detection",
        python_callable=wait_for_detection,
        execution_timeout=timedelta(hours=1),
    )
    start >> wait

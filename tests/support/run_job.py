"""Run the real `build_warehouse` job in this process (for tests that kill it)."""

import sys

import dagster as dg

from orchestration.definitions import defs

if __name__ == "__main__":
    job = defs.resolve_job_def("build_warehouse")
    result = job.execute_in_process(instance=dg.DagsterInstance.ephemeral(), raise_on_error=False)
    sys.exit(0 if result.success else 1)

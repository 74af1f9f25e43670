"""Deployment steps of prefect.yaml, run by the worker before each flow run."""
from __future__ import annotations

import os
from pathlib import Path

CHECKOUT_VARIABLE = "POLICY_NEWS_HOME"


class WorkerNotSetUp(RuntimeError):
    """The worker lacks what the deployments need; the flow run fails at once, saying what."""


def enter_checkout(variable: str = CHECKOUT_VARIABLE) -> dict[str, str]:
    """Run the flow from the checkout named by the worker's environment variable (relative
    paths in deployment parameters, `inbox` and `policy_news.duckdb`, are relative to it)."""
    value = os.environ.get(variable)
    if not value:
        raise WorkerNotSetUp(
            f"{variable} is not set in the worker's environment: start the worker from the checkout "
            f"with `{variable}=$PWD prefect worker start --pool process` (see docs/ORCHESTRATION.md)")
    home = Path(value).expanduser()
    if not (home / "prefect.yaml").is_file():
        raise WorkerNotSetUp(f"{variable}={value} is not a policy-news checkout (no prefect.yaml there)")
    os.chdir(home)
    return {"directory": str(home)}

"""The dbt CLI resource, minus a `dbt --version` subprocess per run.

dagster-dbt asks the dbt executable for its version (`dbt --version`, a whole dbt start-up:
~2.5 s here, measured with py-spy in `make bench`) once per resource instance, i.e. once per
run. The executable this project runs is the one installed beside this interpreter, from the
same `dbt-core` distribution, so its version is read from the package metadata instead.
"""

from __future__ import annotations

import sys
from functools import cached_property
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path

from dagster_dbt import DbtCliResource
from packaging import version

# The dbt installed beside this interpreter, whether or not the venv is active.
VENV_DBT_EXECUTABLE = str(Path(sys.executable).parent / "dbt")


class BmaDbtCliResource(DbtCliResource):
    @cached_property
    def _cli_version(self) -> version.Version:
        if Path(self.dbt_executable) == Path(VENV_DBT_EXECUTABLE):
            try:
                return version.parse(distribution_version("dbt-core"))
            except PackageNotFoundError:
                pass
        return super()._cli_version

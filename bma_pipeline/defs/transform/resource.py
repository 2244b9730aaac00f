"""The dbt CLI resource: an environment per invocation, and no `dbt --version` subprocess.

What belongs here: how the dbt subprocess is started. What does not: which arguments and
variables a build gets (`assets.py`, `dbt_build_invocation`).

dagster-dbt asks the dbt executable for its version (`dbt --version`, a whole dbt start-up:
~2.5 s here, measured with py-spy in `make bench`) once per resource instance, i.e. once per
run. The executable this project runs is the one installed beside this interpreter, from the
same `dbt-core` distribution, so its version is read from the package metadata instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from functools import cached_property
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as distribution_version
from pathlib import Path

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DbtCliInvocation, DbtCliResource
from dagster_dbt.asset_utils import (
    DBT_INDIRECT_SELECTION_ENV,
    extract_runtime_selection_from_args,
    get_updated_cli_invocation_params_for_context,
)
from dagster_dbt.dagster_dbt_translator import validate_opt_translator
from dagster_dbt.dbt_manifest import DbtManifestParam, validate_manifest
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

    def cli(
        self,
        args: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        raise_on_error: bool = True,
        manifest: DbtManifestParam | None = None,
        dagster_dbt_translator: DagsterDbtTranslator | None = None,
        context: dg.OpExecutionContext | dg.AssetExecutionContext | None = None,
        target_path: Path | None = None,
    ) -> DbtCliInvocation:
        """`dbt <args>` with `env` added to the dbt subprocess's environment only.

        Why this exists: dagster-dbt 0.29's `cli()` builds the subprocess environment from
        `os.environ` and takes no environment of its own, so the profile (which warehouse)
        and the run's vars of one invocation could only be given by rewriting the whole
        process's environment, where every thread and every later invocation sees them.
        With `env`, this does what `DbtCliResource.cli` does — the selection for the
        execution context, the target path, the variables dagster-dbt sets for itself — and
        hands the merged environment to `DbtCliInvocation.run`; `os.environ` is inherited,
        never changed. It skips the in-process dbt adapter dagster-dbt builds on the side: it
        serves only `fetch_column_metadata` / `fetch_row_counts`, which this project does not
        call, would read its profile from `os.environ` (the wrong warehouse), and costs
        ~1.6 s per run here. Without `env` it is dagster-dbt's own `cli()`.
        """
        if env is None:
            return super().cli(
                args,
                raise_on_error=raise_on_error,
                manifest=manifest,
                dagster_dbt_translator=dagster_dbt_translator,
                context=context,
                target_path=target_path,
            )
        cleaned_args, selects, excludes = extract_runtime_selection_from_args(args)
        params = get_updated_cli_invocation_params_for_context(
            context=context,
            manifest=validate_manifest(manifest) if manifest else {},
            dagster_dbt_translator=(
                validate_opt_translator(dagster_dbt_translator) or DagsterDbtTranslator()
            ),
            runtime_selects=selects,
            runtime_excludes=excludes,
        )
        project_dir = Path(
            params.dbt_project.project_dir if params.dbt_project else self.project_dir
        )
        target_path = target_path or self._get_unique_target_path(context=context)
        if not target_path.is_absolute():
            target_path = project_dir / target_path
        # The same variables as dagster-dbt's cli(): JSON logs (its event parser needs them),
        # artefacts and logs in the invocation's target folder, unbuffered output.
        dagster_env = {
            "DAGSTER_DBT_CLI": "true",
            "PYTHONUNBUFFERED": "1",
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DBT_LOG_FORMAT": "json",
            "DBT_TARGET_PATH": os.fspath(target_path),
            "DBT_LOG_PATH": os.fspath(target_path),
            **({"DBT_PROFILES_DIR": self.profiles_dir} if self.profiles_dir else {}),
            "DBT_PROJECT_DIR": str(project_dir),
            **(
                {DBT_INDIRECT_SELECTION_ENV: params.indirect_selection}
                if params.indirect_selection
                else {}
            ),
        }
        profile_args = [
            *(["--profile", self.profile] if self.profile else []),
            *(["--target", self.target] if self.target else []),
        ]
        return DbtCliInvocation.run(
            args=[
                self.dbt_executable,
                *self.global_config_flags,
                *cleaned_args,
                *profile_args,
                *params.selection_args,
            ],
            # A child process inherits this one's environment, as dbt always did here.
            env={**os.environ, **dagster_env, **env},
            manifest=params.manifest,
            dagster_dbt_translator=params.dagster_dbt_translator,
            project_dir=project_dir,
            target_path=target_path,
            raise_on_error=raise_on_error,
            context=context,
            adapter=None,
            cli_version=self._cli_version,
            dbt_project=params.dbt_project,
        )

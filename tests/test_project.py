"""The project's promises: environment.yml matches the lock, the README documents every command."""
import re
import tomllib
from pathlib import Path

import yaml

from skmkit import cli

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"matplotlib-base": "matplotlib", "dask-core": "dask", "jupyter_server": "jupyter-server"}


def _lock() -> dict:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", line)
        if m:
            pins[m.group(1).lower()] = m.group(2)
    return pins


def _name(req: str) -> str:
    return re.split(r"[<>=\[ ;]", req, maxsplit=1)[0].lower()


def test_environment_yml_has_every_dependency_at_the_locked_version():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["name"] == "skmkit" and "conda-forge" in env["channels"]
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            conda[CONDA_NAMES.get(name, name)] = version
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [_name(r) for r in project["dependencies"] + project["optional-dependencies"]["test"]]
    lock = _lock()
    for name in wanted:
        assert conda.get(name) == lock[name], f"environment.yml: {name} {conda.get(name)} != lock {lock[name]}"
    assert conda["python"].startswith("3.11")


def test_lock_pins_with_hashes_and_no_jupyter_metapackage():
    text = (ROOT / "requirements.lock").read_text()
    assert "--hash=sha256:" in text
    lock = _lock()
    assert "jupyter" not in lock and "jupyterlab" not in lock  # dev extra only
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert any(_name(r) == "jupyterlab" for r in project["optional-dependencies"]["dev"])


def test_readme_starts_with_the_two_commands_and_documents_every_command():
    readme = (ROOT / "README.md").read_text()
    first = readme[: readme.index("make test") + 20]
    assert "make demo" in first
    parser = cli.build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    for name in sub.choices:
        assert f"skmkit {name}" in readme, f"README does not document `skmkit {name}`"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_notebooks_are_stored_clean():
    import json

    for nb in (ROOT / "notebooks").rglob("*.ipynb"):
        if ".ipynb_checkpoints" in nb.parts:
            continue
        cells = json.loads(nb.read_text())["cells"]
        for cell in cells:
            if cell["cell_type"] == "code":
                assert not cell.get("outputs") and cell.get("execution_count") is None, nb.name
            assert cell.get("id"), f"{nb.name}: a cell has no id"


def test_params_survey_is_the_package_default():
    # params/survey.yml is the copy users edit; it must start equal to the built-in definition.
    assert (ROOT / "params" / "survey.yml").read_bytes() == (ROOT / "skmkit" / "data" / "survey.yml").read_bytes()

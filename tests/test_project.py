"""The project's promises: environment.yml matches the lock, the README documents every command."""
import re
import tomllib
from pathlib import Path

import pytest
import yaml

from skmkit import cli

ROOT = Path(__file__).resolve().parents[1]
CONDA_NAMES = {"matplotlib-base": "matplotlib", "dask-core": "dask", "jupyter_server": "jupyter-server"}
#: lock file -> the pyproject extra it adds to the runtime dependencies.
LOCKS = {"requirements.lock": None, "requirements-lab.lock": "dev", "requirements-test.lock": "test"}
#: The workshop laptops' Python on Linux, evaluated against each pin's environment marker.
PY311_LINUX = {"python_version": "3.11", "python_full_version": "3.11.9", "sys_platform": "linux",
               "os_name": "posix", "platform_system": "Linux", "platform_machine": "x86_64",
               "platform_python_implementation": "CPython", "implementation_name": "cpython"}


def _pins(name: str) -> list[tuple[str, str, str]]:
    """(package, version, marker) for every pin of a lock file; a package may appear once per marker."""
    pins = []
    for line in (ROOT / name).read_text().splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if m:
            pins.append((m.group(1).lower(), m.group(2), (m.group(3) or "").strip()))
    return pins


def _lock(name: str = "requirements.lock", env=PY311_LINUX) -> dict:
    """package -> version in one environment (default: Python 3.11 on Linux)."""
    from packaging.markers import Marker

    return {pkg: version for pkg, version, marker in _pins(name) if not marker or Marker(marker).evaluate(env)}


def _name(req: str) -> str:
    return re.split(r"[<>=\[ ;]", req, maxsplit=1)[0].lower()


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def test_environment_yml_has_every_dependency_at_the_locked_version():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert env["name"] == "skmkit" and "conda-forge" in env["channels"]
    conda = {}
    for dep in env["dependencies"]:
        if isinstance(dep, str) and "=" in dep:
            name, version = dep.split("=", 1)
            conda[CONDA_NAMES.get(name, name)] = version
    assert conda.pop("python").startswith("3.11")
    project = _project()
    for lock, extra in LOCKS.items():
        pins = _lock(lock)
        wanted = [_name(r) for r in project["dependencies"] + (project["optional-dependencies"][extra] if extra else [])]
        for name in wanted:
            assert conda.get(name) == pins[name], f"environment.yml: {name} {conda.get(name)} != {lock} {pins[name]}"
    # and nothing in environment.yml that no lock pins (a stale entry would drift unseen)
    every = {name for lock in LOCKS for name in _lock(lock)}
    assert set(conda) <= every, sorted(set(conda) - every)


def test_three_lock_sets_with_hashes_and_equal_runtime_pins():
    runtime, lab, test = (_lock(name) for name in LOCKS)
    for name in LOCKS:
        text = (ROOT / name).read_text()
        assert "--hash=sha256:" in text
        assert all("--hash=sha256:" in block for block in re.split(r"\n(?=[a-z0-9])", text) if "==" in block), name
    # participants get JupyterLab and no test tools; the runtime set has neither
    assert "jupyterlab" in lab and "jupyterlab" not in runtime and "jupyterlab" not in test
    for tool in ("pytest", "scipy", "formulas", "dask", "uv"):
        assert tool in test and tool not in lab and tool not in runtime, tool
    # a package pinned in two sets has one version (a laptop may install lab and test together)
    for other in (lab, test):
        assert {k: other[k] for k in runtime} == runtime
    assert {k: lab[k] for k in set(lab) & set(test)} == {k: test[k] for k in set(lab) & set(test)}


def test_locks_are_universal_with_windows_only_packages_under_windows_markers():
    from packaging.markers import Marker

    windows = dict(PY311_LINUX, sys_platform="win32", os_name="nt", platform_system="Windows",
                   platform_machine="AMD64")
    for name in LOCKS:
        markers = {pkg: marker for pkg, _, marker in _pins(name)}
        # colorama: tqdm, ipython and pytest print through it on Windows
        assert "colorama" in markers and Marker(markers["colorama"]).evaluate(windows), name
        assert not Marker(markers["colorama"]).evaluate(PY311_LINUX), name
        assert "colorama" in _lock(name, windows) and "colorama" not in _lock(name)
    # the terminal of JupyterLab on Windows
    assert "pywinpty" in _lock("requirements-lab.lock", windows) and "pywinpty" not in _lock("requirements-lab.lock")
    # any pywin32 a locked package asks for is pinned under a Windows marker too
    for name in LOCKS:
        for pkg, _, marker in _pins(name):
            if pkg == "pywin32":
                assert marker and Marker(marker).evaluate(windows) and not Marker(marker).evaluate(PY311_LINUX)


@pytest.mark.parametrize("lock", list(LOCKS))
def test_each_lock_installs_on_windows_and_macos_hash_checked_from_wheels(lock, tmp_path):
    """uv resolves the lock for another platform as `pip install --require-hashes` would there:
    every dependency pinned with a hash, a wheel for that platform for every package (dry run, no install)."""
    import subprocess
    import sys

    uv = [sys.executable, "-m", "uv"]
    # Python 3.11.9 (the last Windows installer of 3.11), the oldest 3.11, and 3.12 (numpy forks there)
    targets = [("x86_64-pc-windows-msvc", "3.11.9")]
    if lock == "requirements-lab.lock":
        targets += [("x86_64-pc-windows-msvc", "3.11.0"), ("x86_64-pc-windows-msvc", "3.12"),
                    ("aarch64-apple-darwin", "3.11.9")]
    for platform, python in targets:
        run = subprocess.run(uv + ["pip", "install", "--dry-run", "--python-platform", platform, "--python-version",
                                   python, "--require-hashes", "--only-binary", ":all:", "--target", str(tmp_path),
                                   "-r", str(ROOT / lock)], capture_output=True, text=True, timeout=120)
        assert run.returncode == 0, f"{lock} on {platform}, Python {python}:\n{run.stderr[-2000:]}"
        if platform.endswith("windows-msvc"):
            assert " + colorama==" in run.stderr, run.stderr[-2000:]


def test_makefile_installs_each_set_where_it_is_needed():
    make = (ROOT / "Makefile").read_text()
    assert re.search(r"^test: \$\(VENV\)/\.installed-test", make, re.M)
    assert re.search(r"^dev: \$\(VENV\)/\.installed-lab", make, re.M)
    for lock in LOCKS:
        assert f"--require-hashes -r {lock}" in make, lock
        assert f"-o {lock}" in make, lock
    assert "--universal" in make and "--generate-hashes" in make


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


def test_the_wheel_holds_exactly_the_tracked_notebooks(tmp_path):
    """`make wheelhouse` packs `pip wheel .`: an executed or untracked notebook in notebooks/ (where analysts and
    trainers work) must not travel to every workshop laptop, and every tracked notebook must."""
    import os
    import shutil
    import subprocess
    import sys
    import zipfile

    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    src = tmp_path / "src"
    for name in tracked:
        path, dst = ROOT / name, src / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        if path.is_symlink():
            dst.symlink_to(os.readlink(path))
        elif path.is_file():
            shutil.copy2(path, dst)
    (src / "notebooks" / "laporan_skm-dinsos-dijalankan.ipynb").write_text("{}", encoding="utf-8")
    (src / "notebooks" / "pelatihan" / "03_menghitung_ikm-salinan.ipynb").write_text("{}", encoding="utf-8")
    (src / "notebooks" / "pelatihan" / "hasil").mkdir()
    (src / "notebooks" / "pelatihan" / "hasil" / "latihan.ipynb").write_text("{}", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "-w", str(tmp_path / "dist"), str(src)], check=True, capture_output=True)
    wheel = next((tmp_path / "dist").glob("skmkit-*.whl"))
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    packed = {n for n in names if n.startswith("skmkit/notebooks/")}
    assert packed == {f"skmkit/{name}" for name in tracked if name.startswith("notebooks/")}
    # every module travels, the subpackages' too (skmkit/word/, skmkit/batch/, ...)
    modules = {name for name in tracked if name.startswith("skmkit/") and name.endswith(".py")}
    assert {m for m in modules if m.startswith("skmkit/word/")} >= {"skmkit/word/__init__.py", "skmkit/word/walker.py"}
    assert modules <= names

"""Project-level promises: one set of pins, conda agrees with pip, conventions hold."""

import ast
import doctest
import importlib
import json
import re
import subprocess
import sys
import tomllib
import types
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from helpers import environment

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
ENV = yaml.safe_load((ROOT / "environment.yml").read_text())


def conda_python() -> str:
    (spec,) = [d for d in ENV["dependencies"] if isinstance(d, str) and d.startswith("python")]
    return spec.split("=")[1]


def test_every_dependency_is_pinned_exactly():
    for dep in PYPROJECT["project"]["dependencies"]:
        assert str(Requirement(dep).specifier).startswith("=="), f"{dep} is not pinned with =="


def test_environment_yml_python_is_allowed_by_pyproject():
    assert conda_python() in SpecifierSet(PYPROJECT["project"]["requires-python"])


def test_environment_yml_installs_this_project_and_pins_nothing_else():
    conda = [d for d in ENV["dependencies"] if isinstance(d, str)]
    assert all(d.split("=")[0] in ("python", "pip") for d in conda), f"conda pins outside pyproject: {conda}"
    (pip_section,) = [d["pip"] for d in ENV["dependencies"] if isinstance(d, dict)]
    assert pip_section == ["-e ."], "environment.yml must install the project (-e .), whose pins live in pyproject"


def test_tests_run_on_the_python_environment_yml_pins():
    tested = ".".join(map(str, sys.version_info[:2]))
    if tested != conda_python():
        pytest.skip(f"running on Python {tested}; environment.yml pins {conda_python()} (CI runs that one)")
    assert tested == conda_python()


def test_installed_packages_match_the_pins():
    assert environment.check_environment() == []


def test_check_environment_reports_a_wrong_pin(tmp_path):
    fake = tmp_path / "pyproject.toml"
    fake.write_text('[project]\ndependencies = ["numpy==0.0.1", "no-such-package-xyz==1.0"]\n')
    problems = environment.check_environment(fake)
    assert len(problems) == 2 and "numpy" in problems[0] and "not installed" in problems[1]


def test_ci_calls_make_test_on_311_and_312_and_hides_nothing():
    text = (ROOT / ".ci" / "run").read_text()
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    assert "ONEDNN_MAX_CPU_ISA=AVX2 make test" in lines[-1]  # the committed outputs, on other CPUs' kernels too
    lines = [re.sub(r"^(\w+=\S+\s+)+", "", line) for line in lines]  # environment settings before a command
    assert "make test" in lines and any(line.startswith('make test PYTHON="$py312" VENV=.venv-3.12') for line in lines)
    assert lines[-1].startswith("make test") and "set -euo pipefail" in lines
    assert not any("||" in line or "true" in line.split() for line in lines)


def test_slowest_first_names_files_that_exist_once_each():
    from conftest import SLOWEST_FIRST  # the order pytest-xdist hands the slow files out in

    assert len(set(SLOWEST_FIRST)) == len(SLOWEST_FIRST)
    assert [path for path in SLOWEST_FIRST if not (ROOT / path).is_file()] == []


def public_functions():
    for path in sorted((ROOT / "helpers").rglob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                yield path.relative_to(ROOT / "helpers").as_posix(), node


@pytest.mark.parametrize("module, node", list(public_functions()), ids=lambda v: getattr(v, "name", v))
def test_public_helpers_say_where_they_are_used(module, node):
    doc = ast.get_docstring(node) or ""
    assert "Used in:" in doc or "Used by" in doc, f"{module}:{node.name} needs a docstring with a 'Used in:' line"


# ---- lazy, quiet imports ---------------------------------------------------------------------------
def run_python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_import_helpers_does_not_import_tensorflow():
    result = run_python(
        "import helpers, sys; assert 'tensorflow' not in sys.modules, 'tensorflow imported'; "
        "helpers.audio; assert 'tensorflow' not in sys.modules, 'audio imported tensorflow'"
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "code",
    [
        "import helpers.spectral",
        "import helpers; import tensorflow",  # an import sorter may put tensorflow anywhere after helpers
        "import helpers.plots, helpers.phase, helpers.augment",
        "import helpers.environment; helpers.environment.compute_device()",
    ],
)
def test_tensorflow_through_helpers_prints_nothing_on_stderr(code):
    result = run_python(code + "; import sys; assert 'tensorflow' in sys.modules")
    assert result.returncode == 0 and result.stderr == "", result.stderr


# ---- environment ---------------------------------------------------------------------------------------
def test_pins_come_from_the_installed_metadata_and_agree_with_pyproject(tmp_path, monkeypatch):
    source = {(r.name, str(r.specifier)) for r in environment.pinned_requirements(ROOT / "pyproject.toml")}
    monkeypatch.setattr(environment, "PYPROJECT", tmp_path / "absent" / "pyproject.toml")  # as after `pip install .`
    installed = {(r.name, str(r.specifier)) for r in environment.pinned_requirements()}
    assert installed == source, f"installed metadata differs from pyproject.toml: {installed ^ source}"
    assert environment.check_environment() == []


HIDE = """
import importlib.abc, importlib.metadata as md, sys
HIDDEN = {"librosa", "tensorflow"}
class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in HIDDEN:
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, Hide())
real = md.version
def version(name):
    if name in HIDDEN:
        raise md.PackageNotFoundError(name)
    return real(name)
md.version = version
"""


def test_check_environment_reports_a_hidden_core_package():
    code = HIDE + (
        "from helpers import environment\n"
        "problems = environment.check_environment()\n"
        "assert any(p.startswith('librosa is not installed') for p in problems), problems\n"
        "assert any(p.startswith('tensorflow is not installed') for p in problems), problems\n"
        "assert 'tensorflow' not in sys.modules and 'librosa' not in sys.modules\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr


def test_on_colab_pin_differences_are_warnings_not_problems(tmp_path, monkeypatch):
    fake = tmp_path / "pyproject.toml"
    fake.write_text('[project]\ndependencies = ["numpy==0.0.1", "no-such-package-xyz==1.0"]\n')
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    with pytest.warns(environment.PinWarning, match=r"numpy .* installed, ==0\.0\.1 pinned"):
        problems = environment.check_environment(fake)
    assert problems == ["no-such-package-xyz is not installed (==1.0 pinned): run `make lab` or `pip install -e .`"]
    assert len(environment.check_environment(fake, strict=True)) == 2
    with pytest.raises(TypeError, match="strict='yes' is not a boolean"):
        environment.check_environment(fake, strict="yes")


# ---- doctests and Used in: lines of every helpers module ---------------------------------------------------
MODULES = [
    ".".join(p.relative_to(ROOT).with_suffix("").parts)
    for p in sorted((ROOT / "helpers").rglob("*.py"))
    if p.name != "__main__.py"
]


@pytest.mark.parametrize("name", MODULES)
def test_doctests_of_every_module(name):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    module = importlib.import_module(name.removesuffix(".__init__"))
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    plt.close("all")
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctest examples failed in {name}"


NOTEBOOK_CODE = {
    p.stem: "\n".join("".join(c["source"]) for c in json.loads(p.read_text())["cells"] if c["cell_type"] == "code")
    for p in sorted((ROOT / "notebooks").glob("*.ipynb"))
}


def used_in_claims(modules):
    for name in modules:
        path = ROOT.joinpath(*name.split(".")).with_suffix(".py")
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                line = re.search(r"Used in:(.*?)(?:\n\s*\n|$)", ast.get_docstring(node) or "", re.S)
                for notebook in sorted(set(re.findall(r"\b(\d\d_[a-z_]+)", line.group(1) if line else ""))):
                    yield name.split(".")[-1], node.name, notebook


@pytest.mark.parametrize("module, function, notebook", list(used_in_claims(MODULES)))
def test_used_in_names_notebooks_that_call_the_function(module, function, notebook):
    assert notebook in NOTEBOOK_CODE, f"helpers.{module}.{function}: Used in names {notebook}, which does not exist"
    pattern = rf"\b{module}\.{function}\b|import [^\n]*\b{function}\b|\b{function}\(|\.{function}\b"
    assert re.search(pattern, NOTEBOOK_CODE[notebook]), (
        f"helpers.{module}.{function}: Used in names {notebook}, whose code cells never call it"
    )

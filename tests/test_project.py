"""Project-level promises: one set of pins, conda agrees with pip, conventions hold."""

import ast
import sys
import tomllib
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
    assert "make test" in lines and 'make test PYTHON="$py312" VENV=.venv-3.12' in lines
    assert lines[-1].startswith("make test") and "set -euo pipefail" in lines
    assert not any("||" in line or "true" in line.split() for line in lines)


def public_functions():
    for path in sorted((ROOT / "helpers").glob("*.py")):
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
                yield path.name, node


@pytest.mark.parametrize("module, node", list(public_functions()), ids=lambda v: getattr(v, "name", v))
def test_public_helpers_say_where_they_are_used(module, node):
    doc = ast.get_docstring(node) or ""
    assert "Used in:" in doc or "Used by" in doc, f"{module}:{node.name} needs a docstring with a 'Used in:' line"

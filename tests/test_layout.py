"""The code stays readable: every module of helpers/ at most 400 lines, every function body at most 40 code lines,
ruff's lint and format clean."""

import ast
import importlib.util
import io
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted((ROOT / "helpers").rglob("*.py"))


def code_lines(source: str, node: ast.AST) -> int:
    """Lines of a function's body holding code: no docstring, comment-only or blank lines."""
    body = node.body[1:] if ast.get_docstring(node) is not None else node.body
    if not body:
        return 0
    start, end = body[0].lineno, max(n.end_lineno for n in body)
    snippet = "\n".join(source.splitlines()[start - 1 : end])
    tokens = tokenize.generate_tokens(io.StringIO(snippet).readline)
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER}
    return len({t.start[0] for t in tokens if t.type not in skip})


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_module_is_at_most_400_lines(path):
    n = len(path.read_text().splitlines())
    assert n <= 400, f"{path.relative_to(ROOT)} has {n} lines; split it by job (see DESIGN.md)"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_body_over_40_code_lines(path):
    source = path.read_text()
    long = [
        f"{node.name} ({code_lines(source, node)} lines)"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and code_lines(source, node) > 40
    ]
    assert not long, f"{path.relative_to(ROOT)}: {', '.join(long)}; split them into smaller functions"


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _private_uses(path: Path):
    """``module._name`` uses of another helpers module's private names in ``path`` (imports and attributes)."""
    tree, own = ast.parse(path.read_text()), ".".join(path.relative_to(ROOT).with_suffix("").parts)
    aliases = {}  # local name -> helpers module it stands for
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("helpers"):
            for alias in node.names:
                target = f"{node.module}.{alias.name}"
                if _is_module(target):
                    aliases[alias.asname or alias.name] = target
                elif alias.name.startswith("_") and node.module != own:
                    yield f"from {node.module} import {alias.name}"
        elif isinstance(node, ast.Import):
            aliases.update({a.asname: a.name for a in node.names if a.asname and a.name.startswith("helpers")})
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
            and not _is_module(f"{aliases[node.value.id]}.{node.attr}")
        ):
            yield f"{aliases[node.value.id]}.{node.attr}"


def test_no_module_uses_another_modules_private_names():
    offenders = [f"{path.relative_to(ROOT)}: {use}" for path in MODULES for use in _private_uses(path)]
    assert not offenders, "; ".join(offenders)


@pytest.mark.parametrize("command", [("check", "."), ("format", "--check", ".")])
def test_ruff_lint_and_format_are_clean(command):
    """`make lint`, inside `make test`: lint, import order and formatting (exclusions in pyproject.toml)."""
    if importlib.util.find_spec("ruff") is None:
        pytest.skip("ruff is not installed here (it comes with the lint extra: pip install -e '.[lint]')")
    result = subprocess.run([sys.executable, "-m", "ruff", *command], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"ruff {' '.join(command)}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}"

"""The layout holds: imports point one way, and no module outgrows its room.

Layers, from the ground up: `liaison` (what every app stands on) ← `stations` ← `deputies` ←
`suggestions` ← `open311` (GeoReport v2 over the workflow) ← `accounts` (accounts link to deputies and units) ← `demo` ← `bench`, and
`config`, the composition root, on top. A module may import its own layer and those below,
never one above. Every `import` statement counts, at module level or inside a function;
string references in foreign keys and migration dependencies are not imports.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ["liaison", "stations", "deputies", "suggestions", "open311", "accounts", "demo", "bench", "config"]
RANK = {name: rank for rank, name in enumerate(LAYERS)}
MAX_LINES = 500


def imported_packages(source: str) -> set[str]:
    """The project packages an module's source imports, by top-level name."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(name.split(".")[0] for name in names if name.split(".")[0] in RANK)
    return found


def upward_imports(package: str, source: str) -> set[str]:
    return {name for name in imported_packages(source) if RANK[name] > RANK[package]}


def project_modules(*, skip_migrations: bool = True):
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            if skip_migrations and "migrations" in path.parts:
                continue
            yield package, path


def test_the_checker_sees_upward_imports_at_any_depth():
    source = "import os\nfrom liaison.models import Role\n\ndef f():\n    from suggestions.models import Unit\n"
    assert upward_imports("stations", source) == {"suggestions"}
    assert upward_imports("suggestions", source) == set()
    assert upward_imports("liaison", "import deputies.models\n") == {"deputies"}


def test_every_layer_exists():
    assert all((ROOT / package / "__init__.py").exists() for package in LAYERS)


@pytest.mark.parametrize("package", LAYERS)
def test_no_module_imports_a_layer_above_its_own(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(upward_imports(package, path.read_text(encoding="utf-8")))
        for owner, path in project_modules(skip_migrations=False)
        if owner == package and upward_imports(package, path.read_text(encoding="utf-8"))
    }
    assert offenders == {}


def test_no_module_outgrows_its_room():
    """Past about 500 lines a module becomes a package named for what it holds."""
    too_long = {
        str(path.relative_to(ROOT)): length
        for _, path in project_modules()
        if (length := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}

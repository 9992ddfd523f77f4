"""Each outside system is a port: no feature reaches past it into another feature's tables
(the check a layering linter would make, on the import statements of app/)."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
# app/models.py imports every feature's models, so Alembic sees every table.
EVERY_MODEL = {"app/models.py"}

# Modules that still read the zaken tables themselves; each moves behind the ZakenStore
# port (app.zaken.store) and leaves this list. The list may only shrink.
ZAKEN_NOT_YET_BEHIND_THE_PORT = {
    "app/api/routes.py",
    "app/api/serializers.py",
    "app/api/services.py",
    "app/backoffice/beheer_services.py",
    "app/backoffice/corrections.py",
    "app/backoffice/kcc.py",
    "app/backoffice/kcc_services.py",
    "app/backoffice/models.py",
    "app/pip/demo.py",
    "app/pip/messages.py",
}


def imports_of(path: Path) -> set[str]:
    """The modules a file imports, "from x import y" counted as x and x.y."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def modules_importing(owner: str, private: tuple[str, ...]) -> set[str]:
    """The files outside app/<owner> that import one of the owner's private modules."""
    forbidden = tuple(f"app.{owner}.{name}" for name in private)
    found = set()
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP.parent).as_posix()
        if relative.startswith(f"app/{owner}/") or relative in EVERY_MODEL:
            continue
        if any(name == f or name.startswith(f + ".") for name in imports_of(path)
               for f in forbidden):
            found.add(relative)
    return found


def test_no_new_module_reads_the_zaken_tables_past_the_port():
    reaching_past = modules_importing("zaken", ("models", "sql"))
    assert reaching_past <= ZAKEN_NOT_YET_BEHIND_THE_PORT, (
        f"use app.zaken.store instead: {sorted(reaching_past - ZAKEN_NOT_YET_BEHIND_THE_PORT)}")


def test_the_list_of_modules_not_yet_behind_the_port_only_shrinks():
    reaching_past = modules_importing("zaken", ("models", "sql"))
    moved = ZAKEN_NOT_YET_BEHIND_THE_PORT - reaching_past
    assert not moved, f"these go through the port now; take them off the list: {sorted(moved)}"

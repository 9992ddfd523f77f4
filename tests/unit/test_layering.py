"""Each outside system is a port: no feature reaches past it into another feature's tables
(the check a layering linter would make, on the import statements of app/)."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
# The composition roots: app/models.py imports every feature's models, so Alembic sees every
# table; app/seed.py runs every feature's seeder (the embedded store's demo zaken among them).
EVERY_MODEL = {"app/models.py", "app/seed.py"}


def imports_of(path: Path) -> set[str]:
    return imports_in(path.read_text(), str(path))


def imports_in(source: str, filename: str = "<source>") -> set[str]:
    """The modules a source imports anywhere in it, "from x import y" counted as x and x.y."""
    found = set()
    for node in ast.walk(ast.parse(source, filename)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found |= {node.module} | {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def modules_importing(owner: str, private: tuple[str, ...]) -> set[str]:
    """The files outside app/<owner> that import one of the owner's private modules."""
    forbidden = tuple(f"app.{owner}.{name}" for name in private)
    found = set()
    for path in sorted(APP.rglob("*.py")):
        relative = path.relative_to(APP.parent).as_posix()
        if relative.startswith(f"app/{owner}/") or relative in EVERY_MODEL:
            continue
        if any(name == f or name.startswith(f + ".") for name in imports_of(path)
               for f in forbidden):
            found.add(relative)
    return found


def test_only_the_zaken_feature_reads_the_zaken_tables():
    # Everything else asks the ZakenStore port (app.zaken.store), so a ZGW zaaksysteem
    # (Open Zaak) can take the embedded store's place.
    assert modules_importing("zaken", ("models", "sql")) == set()


def test_only_the_appointments_feature_reads_the_agenda_tables():
    # The back office and Mijn omgeving go through AgendaBackend and its values, so a JCC
    # or Qmatic connector can take the local tables' place.
    assert modules_importing("appointments", ("models", "local")) == set()


def test_only_the_persons_feature_reads_the_persons_tables():
    # Everything else asks the PersonsSource port (or the persons services for what the
    # portal keeps beside the BRP), so a Haal Centraal connector can take the tables' place.
    assert modules_importing("persons", ("models",)) == set()


def test_the_check_sees_each_way_of_importing_a_module():
    for source in ("import app.appointments.models",
                   "from app.appointments.models import Appointment",
                   "from app.appointments import models",
                   "def f():\n    from app.appointments.models import Desk"):
        assert "app.appointments.models" in imports_in(source)
    assert "app.appointments.models" not in imports_in("from app.appointments import services")


# --------------------------------------------------------------------------- the back office

BACKOFFICE = APP / "backoffice"
# The resident's views (Mijn omgeving); what both sides need lives in a services module.
RESIDENT_VIEWS = ("app.pip.zaken", "app.pip.routes", "app.pip.gegevens", "app.pip.berichten")


def backoffice_modules() -> dict[str, set[str]]:
    """Every module of app/backoffice (dotted) with the modules it imports."""
    modules = {}
    for path in sorted(BACKOFFICE.rglob("*.py")):
        parts = path.relative_to(APP.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = imports_of(path)
    return modules


def test_back_office_views_never_import_resident_views():
    reaching = {module: sorted(name for name in imported
                               if any(name == view or name.startswith(view + ".")
                                      for view in RESIDENT_VIEWS))
                for module, imported in backoffice_modules().items()}
    assert not {module: names for module, names in reaching.items() if names}


def part_of(module: str) -> str | None:
    """The back-office part a module belongs to: its sub-package (app.backoffice.zaken.page ->
    zaken), or for the KCC's flat modules, "kcc"; None for the shared modules."""
    parts = module.split(".")
    if len(parts) > 3:
        return parts[2]
    return "kcc" if parts[-1].startswith("kcc") else None


def test_a_back_office_part_never_imports_another_parts_routes():
    # A part's routes: its modules whose views register on the blueprint (routes.py, and
    # zaken/actions.py; the KCC's kcc.py and kcc_booking.py).
    modules = backoffice_modules()
    routes = {module for module, imported in modules.items() if "app.backoffice.bp" in imported}
    reaching = {module: sorted(name for name in imported
                               if name in routes and part_of(name) != part_of(module))
                for module, imported in modules.items() if module != "app.backoffice"}
    assert not {module: names for module, names in reaching.items() if names}


def test_the_back_office_has_no_import_cycle():
    # app.backoffice itself only makes the blueprint and imports the parts' views, which
    # register on it (Flask's pattern); every other import goes one way.
    modules = backoffice_modules()
    graph = {module: {name for name in imported if name in modules and name != "app.backoffice"}
             for module, imported in modules.items() if module != "app.backoffice"}
    visiting, done = [], set()

    def visit(module: str) -> None:
        if module in visiting:
            raise AssertionError(" -> ".join([*visiting[visiting.index(module):], module]))
        if module in done:
            return
        visiting.append(module)
        for imported in sorted(graph[module]):
            visit(imported)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)

"""The agenda is a port: outside app.appointments nothing reads its tables.

The back office and Mijn omgeving reach appointments through the agenda port
(app.appointments.services.agenda_backend) and its values, so a JCC or Qmatic connector
can take the local tables' place. Only app/models.py, which gathers every feature's
models for Alembic, imports them.
"""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
TABLES = "app.appointments.models"
ALLOWED = {APP / "models.py"}


def imported_modules(tree: ast.AST) -> set[str]:
    """Every module an import statement names, also `from package import module`."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_only_the_appointments_feature_imports_its_tables():
    outside = [path for path in sorted(APP.rglob("*.py"))
               if APP / "appointments" not in path.parents and path not in ALLOWED]
    offenders = [str(path.relative_to(APP.parent)) for path in outside
                 if TABLES in imported_modules(ast.parse(path.read_text(), str(path)))]
    assert offenders == []


def test_the_check_sees_each_way_of_importing_the_tables():
    for source in ("import app.appointments.models",
                   "from app.appointments.models import Appointment",
                   "from app.appointments import models",
                   "def f():\n    from app.appointments.models import Desk"):
        assert TABLES in imported_modules(ast.parse(source))
    assert TABLES not in imported_modules(ast.parse("from app.appointments import services"))

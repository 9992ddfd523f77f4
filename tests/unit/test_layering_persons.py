"""No module outside app/persons reads the persons feature's tables: they go through its
services (the PersonsSource port for the BRP's data), so a Haal Centraal connector can take
the local tables' place. app/models.py imports every feature's models for Alembic."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"
MODELS = "app.persons.models"
ALLOWED = {APP / "models.py"}


def _imports_of_models(path: Path) -> list[int]:
    """The lines of `path` that import app.persons.models (in any spelling)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        if any(name == MODELS or name.startswith(f"{MODELS}.") for name in names):
            lines.append(node.lineno)
    return lines


def test_no_module_outside_persons_imports_its_models():
    offenders = {
        f"{path.relative_to(APP.parent)}:{line}"
        for path in APP.rglob("*.py")
        if path not in ALLOWED and APP / "persons" not in path.parents
        for line in _imports_of_models(path)}
    assert not offenders, f"import app.persons.services instead: {sorted(offenders)}"


def test_the_check_sees_each_way_of_importing(tmp_path):
    for source in ("from app.persons.models import Person\n",
                   "import app.persons.models\n",
                   "from app.persons import models\n",
                   "def f():\n    from app.persons.models import Disclosure\n"):
        module = tmp_path / "module.py"
        module.write_text(source)
        assert _imports_of_models(module), source
    module.write_text("from app.persons.services import get_persons_source\n")
    assert not _imports_of_models(module)

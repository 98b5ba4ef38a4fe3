"""The app order (docs/architecture.md): no app imports one above it, not even inside a function.
The check reads the imports with ``ast``; the tests of the test plant wrong-way imports in a copy of
a small tree and expect each to be named, as the isolation walk does with its leaky URLs."""

from __future__ import annotations

import textwrap
from pathlib import Path

from django.conf import settings

from anjian.core import layers


def test_no_app_imports_one_above_it():
    wrong = layers.wrong_way_imports()
    assert not wrong, "wrong-way imports:\n" + "\n".join(map(str, wrong))


def test_every_app_has_its_place_and_installed_apps_follow_the_order():
    assert layers.unknown_apps() == []
    installed = [name.split(".", 1)[1] for name in settings.INSTALLED_APPS if name.startswith("anjian.")]
    assert installed == list(layers.ORDER)  # registries (home panels, demo, origins) read apps in this order


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "anjian"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def test_the_check_names_each_kind_of_wrong_way_import(tmp_path):
    root = _tree(
        tmp_path,
        {
            "core/__init__.py": "",
            "core/a.py": "from anjian.accounts.models import User\n",  # at the top
            "orgs/__init__.py": "",
            "orgs/b.py": "def f():\n    from anjian.inspections import models\n",  # inside a function
            "hazards/__init__.py": "",
            "hazards/c.py": "from anjian import risks\n",  # the app by its name
            "hazards/d.py": "import anjian.reports.docx\n",  # plain import
            "risks/__init__.py": "",
            "risks/sub/__init__.py": "",
            "risks/sub/e.py": "from ...stats import figures\n",  # relative, two levels up
        },
    )
    found = {(w.module, w.line, w.imports) for w in layers.wrong_way_imports(root)}
    assert found == {
        ("anjian.core.a", 1, "anjian.accounts.models"),
        ("anjian.orgs.b", 2, "anjian.inspections"),
        ("anjian.hazards.c", 1, "anjian.risks"),
        ("anjian.hazards.d", 1, "anjian.reports.docx"),
        ("anjian.risks.sub.e", 1, "anjian.stats"),
    }
    message = str(next(w for w in layers.wrong_way_imports(root) if w.module == "anjian.core.a"))
    assert message == "anjian.core.a:1 imports anjian.accounts.models (core is below accounts in the app order)"


def test_the_right_way_tests_and_migrations_pass(tmp_path):
    root = _tree(
        tmp_path,
        {
            "risks/__init__.py": "",
            "risks/a.py": "from anjian.hazards.models import Hazard\nfrom . import b\nfrom .b import x\n",
            "risks/b.py": "x = 1\n",
            "core/tests/test_x.py": "from anjian.reports import docx\n",  # tests assemble the house
            "core/testing/world.py": "from anjian.orgs.models import Organization\n",
            "hazards/migrations/0001_initial.py": "from anjian.risks import models\n",
        },
    )
    assert layers.wrong_way_imports(root) == []


def test_an_app_left_out_of_the_order_is_named(tmp_path):
    root = _tree(tmp_path, {"unordered_app/apps.py": "", "core/apps.py": ""})
    assert layers.unknown_apps(root) == ["unordered_app"]

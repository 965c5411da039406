"""The page's script is joined from the modules of ``geo/render/assets/map`` (see
``geo.render.pagescript``): every module once, in the declared order, each in a scope of its own."""

from __future__ import annotations

from importlib import resources

import pytest

from geo.render import pagescript
from geo.render.pagescript import CANVAS_MODULES, MODULES, ModuleFormError, joined_script


def test_every_module_of_the_folder_is_joined_once() -> None:
    folder = resources.files("geo.render") / "assets" / "map"
    on_disk = sorted(p.name[:-3] for p in folder.iterdir() if p.name.endswith(".js"))
    assert sorted(MODULES) == on_disk
    assert len(set(MODULES)) == len(MODULES)


def test_the_joined_script_is_the_same_each_time_and_has_no_import_left() -> None:
    script = joined_script()
    assert script == joined_script()
    assert "import " not in script and "export " not in script
    for name in MODULES:
        assert script.count(f"var module_{name} = (function () {{") == 1


def test_a_module_that_imports_a_later_one_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pagescript, "MODULES", ("model", "geometry"))
    with pytest.raises(ModuleFormError, match=r"model\.js imports geometry\.js"):
        pagescript.joined_script()


def test_an_import_the_join_does_not_handle_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    sources = {"a": 'import a, { b } from "./b.js";\nexport function f() {}\n'}
    monkeypatch.setattr(pagescript, "MODULES", ("a",))
    monkeypatch.setattr(pagescript, "module_source", sources.__getitem__)
    with pytest.raises(ModuleFormError, match=r"a\.js"):
        pagescript.joined_script()


def test_a_map_drawn_as_vector_layers_gets_the_script_without_the_canvas_modules() -> None:
    small, large = joined_script(canvas=False), joined_script(canvas=True)
    assert small == joined_script(canvas=False)
    assert "FlowCanvas" in large and "FlowCanvas" not in small
    for name in CANVAS_MODULES:
        assert f"var module_{name} = {{}};" in small
        assert f"var module_{name} = (function () {{" in large
    assert len(small) < 0.9 * len(large)

"""Hostile CSV text never runs, neither in the reader's machine nor in the reader's browser.

The payload corpus lives in ``tests/payloads`` (see its ``build.py``).
"""

from __future__ import annotations

import json
import re

from collections.abc import Callable
from pathlib import Path
from typing import Any


def test_template_syntax_in_csv_text_never_runs_as_a_template(
    write_csv: Callable[..., Path], invoke: Callable[..., Any], tmp_path: Path
) -> None:
    marker = tmp_path / "template-ran"
    payload = (
        "{{ self.__init__.__globals__.__builtins__.__import__('os')"
        f".open('{marker.as_posix()}', 65) }} {{{{7*7}}}} {{% if 1 %}}jinja ran{{% endif %}}"
    )
    csv = write_csv(f'''
        actor,unit,origin,destination,troops,notes
        United States,"{payload}",Germany,Poland,1000,"{payload}"
    ''')
    page = tmp_path / "map.html"

    result = invoke("render", str(csv), "-o", str(page))

    assert result.exit_code == 0, result.output
    assert not marker.exists()
    movement = map_data_of(page)["movements"][0]
    assert movement["notes"] == payload
    assert movement["unit"] == payload


def map_data_of(page: Path) -> dict[str, Any]:
    """The JSON that the page hands to troopmap.js."""
    found = re.search(r"troopmap\.draw\([\w]+, (\{.*\})\);", page.read_text(encoding="utf-8"))
    assert found, "the page does not call troopmap.draw"
    data: dict[str, Any] = json.loads(found.group(1))
    return data

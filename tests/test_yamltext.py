"""YAML parameter files: nested aliases (billion laughs) refused at once, in one line, by every loader."""
from __future__ import annotations

import time

import pytest
import yaml

from skmkit.errors import ParameterError
from skmkit.report import load_params, notebook_path
from skmkit.yamltext import MAX_NODES, YamlTooLarge, safe_load


def _bomb(levels: int = 9, width: int = 9) -> str:
    """The classic shape: each level a list of ``width`` aliases to the level below (width**levels leaves)."""
    lines = ["a: &a [" + ", ".join(['"lol"'] * width) + "]"]
    prev = "a"
    for i in range(1, levels):
        name = f"l{i}"
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * width) + "]")
        prev = name
    return "\n".join(lines) + "\n"


def test_bomb_refused_fast_in_one_line():
    start = time.perf_counter()
    with pytest.raises(YamlTooLarge) as info:
        safe_load(_bomb())
    assert time.perf_counter() - start < 2
    assert "\n" not in str(info.value) and "billion laughs" in str(info.value)


def test_just_below_and_above_the_limit():
    # 1 root + 2 keys... computed by hand: a list of n scalars is n + 1 nodes
    n = MAX_NODES - 4  # mapping(1) + key "a"(1) + list(1) + n scalars  -> n + 3 <= MAX_NODES
    ok = "a: [" + ", ".join(["1"] * n) + "]"
    assert len(safe_load(ok)["a"]) == n
    with pytest.raises(YamlTooLarge):
        safe_load("a: [" + ", ".join(["1"] * (MAX_NODES)) + "]")


def test_plain_aliases_and_merge_keys_still_work():
    assert safe_load("d: &d {formats: [html]}\nu: {<<: *d, id: x}") == \
        {"d": {"formats": ["html"]}, "u": {"formats": ["html"], "id": "x"}}


def test_self_reference_refused():
    with pytest.raises(YamlTooLarge):
        safe_load("a: &a [1, *a]")


def test_not_yaml_is_still_a_yaml_error():
    with pytest.raises(yaml.YAMLError):
        safe_load("a: [1, 2")


def test_report_params_bomb(tmp_path):
    p = tmp_path / "params.yml"
    p.write_text(_bomb(), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ParameterError) as info:
        load_params(p)
    assert time.perf_counter() - start < 2
    assert "billion laughs" in str(info.value) and "\n" not in str(info.value)


def test_units_yml_bomb(tmp_path):
    from skmkit.batch.units import load_units

    p = tmp_path / "units.yml"
    p.write_text(_bomb() + "units:\n- id: a\n  unit: A\n", encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(ParameterError) as info:
        load_units(p, notebook=notebook_path())
    assert time.perf_counter() - start < 2
    assert "billion laughs" in str(info.value) and "\n" not in str(info.value)

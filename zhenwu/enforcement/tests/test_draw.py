"""The draw itself (pure): same inputs → same draw, one changed input → another draw, the docs script agrees."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from zhenwu.enforcement import draw as d

SCRIPT = Path(__file__).resolve().parents[3] / "docs" / "verify_draw.py"


def inputs(**change: object) -> dict:
    base: dict[str, object] = {"format": d.FORMAT,
            "plan": {"number": "SJ-321181102-2026-001", "items": ["JC-SC-01"], "filter": {"area_code": "321181102"},
                     "ratio": "5.00", "flagged_ratio": "20.00", "inspectors_per_target": 2},
            "candidates": {"flagged": list(range(3, 300, 7)), "ordinary": [i for i in range(1, 1200) if i % 7 != 3]},
            "inspectors": [11, 12, 13, 14, 15, 16], "recusals": [[11, 3], [12, 3], [13, 10]],
            "draw_date": "2026-03-02", "beacon_source": "福利彩票双色球 2026年3月2日开奖号码",
            "beacon_value": "03 07 12 19 25 31 + 09"}
    base.update(change)
    return base


def published(data: dict) -> dict:
    return {**data, "announcement_hash": d.announcement_hash(data), "seed": d.seed_of(data).hex(),
            "result": d.as_json(d.draw(data))}


def test_the_same_inputs_give_the_same_draw():
    first, again = d.draw(inputs()), d.draw(json.loads(json.dumps(inputs())))
    assert first == again
    flagged, ordinary = inputs()["candidates"]["flagged"], inputs()["candidates"]["ordinary"]
    assert len(first) == d.sample_size(len(flagged), 2000) + d.sample_size(len(ordinary), 500) == 9 + 52
    assert len({t for t, _o in first}) == len(first)  # no target twice
    assert all(len(set(o)) == 2 for _t, o in first)


@pytest.mark.parametrize("change", [
    {"beacon_value": "03 07 12 19 25 31 + 10"}, {"draw_date": "2026-03-03"}, {"inspectors": [11, 12, 13, 14, 15, 17]},
    {"candidates": {"flagged": list(range(3, 300, 7)), "ordinary": [i for i in range(2, 1200) if i % 7 != 3]}},
])
def test_changing_one_input_changes_the_draw(change):
    assert d.draw(inputs(**change)) != d.draw(inputs())


def test_a_plan_field_changes_the_announcement_and_the_draw():
    other = inputs(plan={**inputs()["plan"], "items": ["JC-SC-02"]})
    assert d.announcement_hash(other) != d.announcement_hash(inputs())
    assert d.draw(other) != d.draw(inputs())


def test_recused_inspectors_are_never_drawn_for_their_party():
    data = inputs(candidates={"flagged": [3, 10], "ordinary": []}, plan={**inputs()["plan"], "ratio": "100"})
    for target, officers in d.draw(data):
        assert not {11, 12} & set(officers) if target == 3 else 13 not in officers


def test_too_few_inspectors_after_recusal_is_refused():
    data = inputs(inspectors=[11, 12, 13], candidates={"flagged": [3], "ordinary": []})
    with pytest.raises(d.DrawError, match="enterprise 3"):
        d.draw(data)


def test_without_the_public_value_there_is_no_draw():
    with pytest.raises(d.DrawError, match="beacon_value"):
        d.draw(inputs(beacon_value=" "))


def test_unsorted_directories_are_refused():
    with pytest.raises(d.DrawError, match="ascending"):
        d.draw(inputs(inspectors=[12, 11, 13, 14]))


def test_the_uniform_stream_has_no_obvious_bias():
    stream, counts = d.Stream(b"k" * 32, "test"), [0] * 6
    for _ in range(6000):
        counts[stream.below(6)] += 1
    assert all(850 < c < 1150 for c in counts)


def test_ratios_are_exact_hundredths():
    assert [d.ratio_units(t) for t in ("3", "3.5", "3.05", "100.00")] == [300, 350, 305, 10000]
    assert d.sample_size(1000, 300) == 30 and d.sample_size(1001, 300) == 31 and d.sample_size(5, 300) == 1
    with pytest.raises(d.DrawError):
        d.ratio_units("3.005")


def run_script(data: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    path = tmp_path / "draw-inputs.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return subprocess.run([sys.executable, "-I", str(SCRIPT), str(path)], capture_output=True, text=True, check=False)


def test_the_docs_script_reproduces_the_draw(tmp_path):
    done = run_script(published(inputs()), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: the published targets and inspectors are reproduced" in done.stdout


def test_the_docs_script_finds_a_changed_result(tmp_path):
    data = published(inputs())
    data["result"][0][1] = list(reversed(data["result"][0][1]))
    done = run_script(data, tmp_path)
    assert done.returncode == 1 and "MISMATCH" in done.stdout


def test_the_docs_script_finds_a_changed_input(tmp_path):
    data = {**published(inputs()), "beacon_value": "other"}
    assert run_script(data, tmp_path).returncode == 1

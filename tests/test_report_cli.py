"""journeymap report: exit codes, output formats, the JSON shape, the Markdown golden file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_journeys"
GROCERY = SAMPLES / "grocery-first-order.journey.yaml"
DATA = SAMPLES / "data"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["report", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_report_lists_weak_touchpoints_worst_first_with_reasons(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, GROCERY)
    assert code == 0 and err == ""
    assert out.startswith("First online grocery order (grocery-first-order), all personas")
    assert "conversion            15.8%" in out
    assert "(weighted by volume)" in out
    lines = out.splitlines()
    ranked = [line.split()[1] for line in lines if line[:4].strip().isdigit()]
    assert ranked == ["choose-delivery-slot", "apply-welcome-voucher", "report-missing-items"]
    assert "      - CSAT 58% is below the 85% touchpoint target (95% CI 53.2–62.7%, n=412)" in lines
    assert "Stage funnel" in out
    assert "set-substitutions: CSAT 55% misses the 80% target but rests on only 12 responses" in out


def test_json_report_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, GROCERY, "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert list(data)[:10] == [
        "journey", "persona", "conversion", "entries", "entry_weighting", "expected_touchpoints",
        "stages", "touchpoints", "weak", "problems",
    ]
    assert data["journey"] == {"id": "grocery-first-order", "title": "First online grocery order"}
    assert data["persona"] is None
    assert isinstance(data["conversion"], float) and 0 < data["conversion"] < 1
    assert data["entry_weighting"] == "volume"
    assert set(data["entries"]) == {"see-social-ad", "scan-leaflet-qr"}
    assert [s["id"] for s in data["stages"]] == ["discover", "sign-up", "shop", "checkout", "delivery", "aftercare"]
    assert all(set(s) == {"id", "reach", "drop_off"} for s in data["stages"])
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    assert slot["weak"] is True and slot["reasons"] and slot["impact"] > 0
    assert slot["metrics"]["csat"]["status"] == "below_target"
    assert {"value", "n", "target", "status"} <= set(slot["metrics"]["csat"])
    assert data["weak"][0] == "choose-delivery-slot"
    assert data["problems"] == []


def test_persona_option_and_unknown_persona(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, GROCERY, "--persona", "assisted-customer", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["persona"] == "assisted-customer"
    assert data["entries"] == {"scan-leaflet-qr": 1.0} and data["entry_weighting"] == "single"
    assert "see-social-ad" not in {t["id"] for t in data["touchpoints"]}
    code, out, err = run(capsys, GROCERY, "--persona", "busy-parnt")
    assert code == 2 and out == ""
    assert "unknown persona 'busy-parnt' (did you mean 'busy-parent'?)" in err
    # in other capitals it is that persona, as in a data file's persona column
    code, out, _ = run(capsys, GROCERY, "--persona", "Assisted-Customer", "--format", "json")
    assert code == 0 and json.loads(out)["persona"] == "assisted-customer"


def test_a_persona_written_in_the_plural_is_that_persona_with_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    """`--persona busy-parents` was a usage error (exit 2, did you mean 'busy-parent'?) while a data
    file's 'busy-parents' is read as busy-parent with a persona-plural warning. The command line reads
    it as the data does, with one line on standard error; an unknown persona is still exit 2."""
    code, out, err = run(capsys, GROCERY, "--persona", "busy-parents", "--format", "json")
    assert code == 0 and json.loads(out)["persona"] == "busy-parent"
    assert err == (
        "journeymap report: note: --persona 'busy-parents' is read as persona 'busy-parent', the plural of its id"
        " (write --persona busy-parent)\n"
    )
    code, out, err = run(capsys, GROCERY, "--persona", "busy-parentz")
    assert code == 2 and out == "" and "unknown persona 'busy-parentz' (did you mean 'busy-parent'?)" in err
    code, _, err = run(capsys, GROCERY, "--persona", "parents")  # no persona's plural: still unknown
    assert code == 2 and "unknown persona 'parents'" in err


def test_bad_journey_prints_problems_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.journey.yaml"
    bad.write_text("journeymap: 1\nid: x\ntitle: X\nstages: []\ntouchpoints:\n  - {id: a, name: A, stage: nope, channel: web}\n")
    code, out, err = run(capsys, bad)
    assert code == 1 and out == ""
    assert "bad.journey.yaml:6:" in err and "error[" in err
    assert "Traceback" not in err


def test_missing_files_are_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, tmp_path / "nope.yaml")[0] == 2
    code, _, err = run(capsys, GROCERY, "--metrics", tmp_path / "nope.csv")
    assert code == 2 and "no such file" in err
    # every path that is not there at once (one was told a run)
    code, _, err = run(capsys, GROCERY, "--events", tmp_path / "e1.csv", "--events", tmp_path / "e2.csv",
                       "--responses", tmp_path / "r.csv", "--metrics", tmp_path / "m.csv")
    assert code == 2 and all(f"{name}.csv" in err for name in ("e1", "e2", "r", "m")) and err.count("\n") == 1


def test_data_file_errors_exit_1_warnings_exit_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "m.csv"
    bad.write_text("touchpoint,metric,value\nchoose-delivery-slot,csat,9\nno-such-step,csat,0.5\n")
    code, out, err = run(capsys, GROCERY, "--metrics", bad)
    assert code == 1
    assert "Weak touchpoints" in out  # the report is still printed
    assert "m.csv:2:27: error[metric-value]: CSAT 9 is outside its scale 0..1 (did you mean 9%?)" in err
    assert "m.csv:3:1: error[unknown-touchpoint]" in err
    warn = tmp_path / "w.csv"
    warn.write_text("touchpoint,metric,value,comment\nchoose-delivery-slot,csat,0.6,ok\n")
    code, _, err = run(capsys, GROCERY, "--metrics", warn)
    assert code == 0 and "warning[unknown-column]" in err


def test_sample_data_files_are_clean_and_change_the_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(
        capsys,
        GROCERY,
        "--metrics", DATA / "grocery-first-order.metrics.csv",
        "--responses", DATA / "grocery-first-order.responses.csv",
        "--events", DATA / "grocery-first-order.events.csv",
        "--format", "json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert data["problems"] == []
    assert "set-substitutions" in data["weak"]  # 64 answers now: no longer low confidence
    subs = next(t for t in data["touchpoints"] if t["id"] == "set-substitutions")
    csat = subs["metrics"]["csat"]
    assert {k: csat[k] for k in ("value", "n", "target", "status", "ci", "series", "trend")} == {
        "value": 0.46875, "n": 64, "target": 0.8, "status": "below_target",
        "ci": [0.35176, 0.589279],  # Wilson, 30 of 64: the whole interval is below the 80% target
        "series": [], "trend": None,
    }
    assert data["events"]["customers"] == 300


def test_markdown_report_golden(capsys: pytest.CaptureFixture[str], golden: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run(capsys, "sample_journeys/grocery-first-order.journey.yaml", "--format", "markdown")
    assert code == 0
    golden.check("report/grocery-first-order.md", out)  # type: ignore[attr-defined]


def test_markdown_report_with_data_golden(capsys: pytest.CaptureFixture[str], golden: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run(
        capsys,
        "sample_journeys/grocery-first-order.journey.yaml",
        "--responses", "sample_journeys/data/grocery-first-order.responses.csv",
        "--metrics", "sample_journeys/data/grocery-first-order.metrics.csv",
        "--format", "markdown",
    )
    assert code == 0
    golden.check("report/grocery-first-order-with-data.md", out)  # type: ignore[attr-defined]


def test_the_command_runs_as_a_process_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "m.csv"
    bad.write_bytes(b"touchpoint,metric,value\nchoose-delivery-slot,csat,caf\xe9\n")
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "report", str(GROCERY), "--metrics", str(bad)],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "error[encoding]" in proc.stderr and "Traceback" not in proc.stderr


def test_markdown_report_shows_the_event_log(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, GROCERY, "--events", DATA / "grocery-first-order.events.csv", "--format", "markdown")
    assert code == 0
    assert "## Event log" in out and "300 customers in" in out


def test_validate_never_imports_the_flow_maths() -> None:
    code = (
        "import sys, journeymap.cli.validate, journeymap.cli.report, journeymap.loader, journeymap.analysis,"
        " journeymap.render.markdown, journeymap.metrics\n"
        "heavy = sorted(m for m in ('networkx', 'scipy', 'numpy') if m in sys.modules)\n"
        "assert not heavy, heavy"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize(
    "module",
    ["graph.py", "analysis.py", "metrics.py", "data/__init__.py", "data/table.py", "data/metrics_table.py",
     "data/responses.py", "data/events.py", "render/markdown.py"],
)
def test_core_modules_never_print_exit_or_import_the_cli(module: str) -> None:
    source = (ROOT / "journeymap" / module).read_text(encoding="utf-8")
    for forbidden in ("print(", "sys.exit", "from .cli", "from ..cli", "journeymap.cli", "sys.stdout", "sys.stderr"):
        assert forbidden not in source, f"{module} contains {forbidden}"


def test_the_markdown_footnote_names_the_test_a_small_cell_gets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Churn 5% of 1,000 then 100% of 1 is 'not significant' by Fisher's exact test (p = 0.051), while the
    footnote named only the two-proportion z test, which calls it significant: the reader was told the
    verdict came from a test that says otherwise."""
    table = tmp_path / "fisher.csv"
    table.write_text("touchpoint,metric,value,n,period\nrate-first-order,churn,5%,1000,2026-01\nrate-first-order,churn,100%,1,2026-02\n")
    code, out, _ = run(capsys, GROCERY, "--metrics", table, "--format", "markdown")
    assert code == 0
    assert "not significant" in out
    flat = " ".join(out.split())
    assert "shares such as CSAT: two-proportion z, or Fisher's exact test when a cell's expected count is under 5;" in flat

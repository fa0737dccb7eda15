"""journeymap init: the starter journey validates clean, fmt leaves it as it is, the JSON Schema takes it, every name
reads back as written, and nothing is ever written over."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.fmt import format_text
from journeymap.json_schema import schema_json
from journeymap.loader import Loader
from journeymap.starter import StarterError, starter_journey
from journeymap.yamlio import parse

jsonschema = pytest.importorskip("jsonschema")

ODD_NAMES = ["Use it: daily", "#1 choice", "yes", "null", "'quoted'", 'say "hi"', "Ünïcödé Straße", "- dash",
             "[x]", "*star", "@at", "100%", "3 steps", "a # b", "Back-office & partners", "end.", "日本語のステージ"]


def _load(path: Path) -> tuple[object, list[str]]:
    result = Loader().check(path)
    return result.journey, [f"{p.span.line}:{p.span.col} {p.code}: {p.message}" for p in result.problems]


def test_the_default_starter_is_valid_formatted_and_takes_the_schema(tmp_path: Path, golden: object) -> None:
    text = starter_journey("checkout", "Online checkout")
    golden.check("init/checkout.journey.yaml", text)  # type: ignore[attr-defined]
    path = tmp_path / "checkout.journey.yaml"
    path.write_text(text, encoding="utf-8")
    journey, problems = _load(path)
    assert problems == [] and journey is not None
    assert [s.id for s in journey.stages] == ["discover", "decide", "buy", "use"]  # type: ignore[attr-defined]
    assert format_text(text, filename=str(path)) == text  # fmt changes nothing, comments and all
    data, parse_problems = parse(text, str(path))
    assert parse_problems == []
    validator = jsonschema.Draft202012Validator(json.loads(schema_json()))
    assert [e.message for e in validator.iter_errors(data)] == []
    assert starter_journey("checkout", "Online checkout") == text  # deterministic


def test_every_name_reads_back_as_written_and_ids_are_unique(tmp_path: Path) -> None:
    stages = [*ODD_NAMES, "Buy", "Buy", "???"]
    text = starter_journey("odd", "Odd: names # all", stages=stages, personas=ODD_NAMES[:5], channels=["Web", "web", "WEB"])
    path = tmp_path / "odd.journey.yaml"
    path.write_text(text, encoding="utf-8")
    journey, problems = _load(path)
    # 'Buy' twice is the author's own: told as a lint-level warning, not an error
    assert journey is not None, problems
    assert all("duplicate-name" in p for p in problems), problems
    assert journey.title == "Odd: names # all"  # type: ignore[attr-defined]
    assert [s.name for s in journey.stages] == stages  # type: ignore[attr-defined]
    assert [p.name for p in journey.personas] == ODD_NAMES[:5]  # type: ignore[attr-defined]
    ids = [s.id for s in journey.stages]  # type: ignore[attr-defined]
    assert len(set(ids)) == len(ids) and ids[-3:] == ["buy", "buy-2", "stage-20"]
    assert [c.id for c in journey.channels] == ["web", "web-2", "web-3"]  # type: ignore[attr-defined]
    assert format_text(text, filename=str(path)) == text


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"stages": ["Discover", "  "]}, "an empty stage name"),
        ({"stages": []}, "no stages"),
        ({"personas": ["A\x1b[31mB"]}, "holds a control character"),
        ({"channels": ["x" * 201]}, "channel name of 201 characters"),
    ],
)
def test_a_name_that_cannot_make_a_journey_is_refused(kwargs: dict[str, list[str]], message: str) -> None:
    with pytest.raises(StarterError, match=message):
        starter_journey("j", "J", **kwargs)  # type: ignore[arg-type]


def test_init_writes_the_journey_and_the_schema_and_never_writes_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init", "online-checkout", "--stages", "Discover, Buy,Use it: daily", "--personas", "Busy parent"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "wrote online-checkout.journey.yaml",
        "wrote journeymap.schema.json (editor completion: the journey's first line names it)",
        "next: journeymap validate online-checkout.journey.yaml, then journeymap render online-checkout.journey.yaml",
    ]
    written = (tmp_path / "online-checkout.journey.yaml").read_text(encoding="utf-8")
    assert written.startswith("# yaml-language-server: $schema=./journeymap.schema.json\n")
    assert "title: Online checkout\n" in written and '    name: "Use it: daily"\n' in written
    assert (tmp_path / "journeymap.schema.json").read_text(encoding="utf-8") == schema_json()
    journey, problems = _load(tmp_path / "online-checkout.journey.yaml")
    assert problems == [] and [p.id for p in journey.personas] == ["busy-parent"]  # type: ignore[attr-defined]

    # again: the journey is there, so nothing is written (exit 2), the file as it was
    (tmp_path / "online-checkout.journey.yaml").write_text(written + "# my edits\n", encoding="utf-8")
    assert main(["init", "online-checkout.journey.yaml"]) == 2
    err = capsys.readouterr().err
    assert "online-checkout.journey.yaml exists: journeymap init never writes over a file" in err
    assert (tmp_path / "online-checkout.journey.yaml").read_text(encoding="utf-8").endswith("# my edits\n")

    # a second journey in the folder keeps the schema file there (one the author may have renewed)
    (tmp_path / "journeymap.schema.json").write_text("{}", encoding="utf-8")
    assert main(["init", "returns.yml"]) == 0
    assert "kept journeymap.schema.json" in capsys.readouterr().out
    assert (tmp_path / "journeymap.schema.json").read_text(encoding="utf-8") == "{}"
    assert "title: Returns\n" in (tmp_path / "returns.yml").read_text(encoding="utf-8")

    # a dangling link in the way is not followed: its target is not made
    os.symlink(tmp_path / "elsewhere.yaml", tmp_path / "linked.journey.yaml")
    assert main(["init", "linked"]) == 2
    assert not (tmp_path / "elsewhere.yaml").exists()
    capsys.readouterr()

    # --no-schema: no modeline, no file
    (tmp_path / "journeymap.schema.json").unlink()
    assert main(["init", "plain", "--no-schema", "--title", "Plain"]) == 0
    assert not (tmp_path / "journeymap.schema.json").exists()
    assert (tmp_path / "plain.journey.yaml").read_text(encoding="utf-8").startswith("# A starter journey")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["init", "j", "--stages", "Discover,,Buy"], "an empty stage name"),
        (["init", ""], "an empty file name"),
        (["init", "sub"], "is a folder"),
        (["init", "sub/"], "is a folder"),
        (["init", "missing/j"], "no such folder: missing"),
        (["init", "j.json"], "j.json: init writes YAML, with its comments; name it j.journey.yaml"),
        (["init", "j", "--personas", "A\u202eB"], "holds a control character"),
    ],
)
def test_init_usage_errors_are_one_line_and_write_nothing(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    before = sorted(p.name for p in tmp_path.iterdir())
    done = subprocess.run([sys.executable, "-m", "journeymap", *argv], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)})
    assert done.returncode == 2, done
    assert message in done.stderr and "Traceback" not in done.stderr
    assert "\u202e" not in done.stderr and "\x1b" not in done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_the_readme_walkthrough_journey_is_the_starter_with_the_edits_it_shows() -> None:
    """README's 'Your first journey' runs on tests/fixtures/readme/first/checkout.journey.yaml: it must be what
    `journeymap init checkout --stages "Browse, Basket, Pay"` writes plus the YAML the README shows, nothing else."""
    fixture = Path(__file__).parent / "fixtures" / "readme" / "first" / "checkout.journey.yaml"
    starter = starter_journey("checkout", "Checkout", stages=["Browse", "Basket", "Pay"])
    section = Path(__file__).resolve().parent.parent.joinpath("README.md").read_text(encoding="utf-8") \
        .split("## Your first journey", 1)[1].split("\n## ", 1)[0]
    added, journey_part = (block.split("```", 1)[0] for block in section.split("```yaml\n")[1:3])
    anchor = "      - to: pay-touchpoint\n        share: 0.7                   # optional: the fraction of customers who go on, 0..1\n"
    assert anchor in starter
    expected = starter.replace(anchor, anchor + added) + "\n" + journey_part
    assert fixture.read_text(encoding="utf-8") == expected

"""diff reports what a change is worth, and --fail-on value-drop[:AMOUNT] gates on it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from journeymap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "sample_journeys"


@pytest.fixture
def sides(tmp_path: Path) -> tuple[Path, Path]:
    """The bank sample, and a copy where a call costs more and fewer callers are sent back to upload."""
    shutil.copytree(SAMPLES / "library", tmp_path / "library")
    old = tmp_path / "old.journey.yaml"
    new = tmp_path / "new.journey.yaml"
    text = (SAMPLES / "bank-account-opening.journey.yaml").read_text(encoding="utf-8")
    old.write_text(text, encoding="utf-8")
    changed = text.replace("    cost: 6.5                 # per call, fully loaded", "    cost: 9.5").replace(
        "      - to: capture-id-document\n        share: 0.45", "      - to: capture-id-document\n        share: 0.35", 1
    )
    assert changed != text
    new.write_text(changed, encoding="utf-8")
    return old, new


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main(["diff", *map(str, args)])
    out, err = capsys.readouterr()
    return code, out, err


def test_diff_says_what_the_change_is_worth(capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path]) -> None:
    from journeymap import analyze, load

    old, new = sides
    expected = analyze(load(new)).value.per_period - analyze(load(old)).value.per_period  # type: ignore[union-attr,operator]
    code, out, _ = run(capsys, old, new)
    assert code == 0
    assert "worth −£6,525 a month" in out.splitlines()[1]
    assert "    value £586,717 → £580,192: this change is worth −£6,525 a month" in out
    assert round(expected) == -6525
    assert 'cost "6.5" → "9.5"' in out
    code, out, _ = run(capsys, old, new, "--format", "json")
    value = json.loads(out)["consequences"]["value"]
    assert value["delta"] == pytest.approx(expected, abs=1e-5) and value["currency"] == "GBP" and value["unit"] == "a month"
    code, out, _ = run(capsys, old, new, "--format", "markdown")
    assert "| **Value** | £586,717 | £580,192 | **this change is worth −£6,525 a month** |" in out


@pytest.mark.parametrize(
    ("rule", "exit_code"),
    [("value-drop", 1), ("value-drop:0", 1), ("value-drop:6000", 1), ("value-drop:7,000", 0), ("value-drop:50000", 0)],
)
def test_fail_on_value_drop(capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path], rule: str, exit_code: int) -> None:
    old, new = sides
    code, _, err = run(capsys, old, new, "--fail-on", rule)
    assert code == exit_code
    if exit_code:
        assert "journeymap diff: --fail-on value-drop:" in err and "worth −£6,525 a month" in err
    code, _, _ = run(capsys, new, old, "--fail-on", rule)  # the change back gains value
    assert code == 0


def test_fail_on_value_drop_ignores_journeys_without_a_value_model(capsys: pytest.CaptureFixture[str]) -> None:
    grocery = SAMPLES / "grocery-first-order.journey.yaml"
    code, out, _ = run(capsys, grocery, grocery, "--fail-on", "value-drop")
    assert code == 0 and "worth" not in out


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("value-drp", "did you mean 'value-drop'?"),
        ("value-drop:lots", "the amount must be a number"),
        ("value-drop:-5", "the amount must be a number >= 0"),
        ("weakr", "did you mean 'weaker'?"),
    ],
)
def test_bad_fail_on_values_are_usage_errors(capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path], rule: str, message: str) -> None:
    old, new = sides
    with pytest.raises(SystemExit) as info:
        main(["diff", str(old), str(new), "--fail-on", rule])
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_diff_lists_value_model_scenario_and_opportunity_changes(capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path]) -> None:
    old, new = sides
    text = old.read_text(encoding="utf-8")
    changed = (
        text.replace("    success: 180              # first-year margin of an account in use", "    success: 200")
        .replace("    name: Agents can see the KYC case", "    name: Agents see the KYC case")
        .replace("  - id: review-tracker\n", "  - id: review-tracker-v2\n")
    )
    new.write_text(changed, encoding="utf-8")
    code, out, _ = run(capsys, old, new)
    assert code == 0
    assert "        value outcomes.success 180 → 200" in out
    assert "        scenario agents-see-kyc-case changed" in out
    assert "        opportunity review-tracker removed" in out and "        opportunity review-tracker-v2 added" in out
    assert "worth +£66,799 a month" in out
    code, out, _ = run(capsys, old, new, "--format", "json")
    details = json.loads(out)["changes"][0]["details"]
    assert {"aspect": "value", "op": "changed", "subject": "outcomes.success"}.items() <= details[0].items()


def _bank_variant(tmp_path: Path, name: str, *pairs: tuple[str, str]) -> Path:
    if not (tmp_path / "library").exists():
        shutil.copytree(SAMPLES / "library", tmp_path / "library")
    text = (SAMPLES / "bank-account-opening.journey.yaml").read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_changed_currency_is_not_a_drop_in_value(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: GBP -> JPY with the amounts in yen was "worth +¥...", and JPY -> GBP "worth −£..." tripped value-drop:
    # two currencies subtracted as one.
    old = _bank_variant(tmp_path, "old.journey.yaml")
    new = _bank_variant(tmp_path, "new.journey.yaml", ("currency: GBP", "currency: JPY"), ("success: 180  ", "success: 39000"))
    code, out, err = run(capsys, new, old, "--fail-on", "value-drop")
    assert code == 0, err
    assert "worth" not in out
    assert "    value ¥" in out and ": not compared, the currency changed (JPY → GBP)" in out
    assert "value-drop" in err and "not compared, the currency changed (JPY → GBP)" in err
    code, out, _ = run(capsys, old, new, "--format", "json")
    value = json.loads(out)["consequences"]["value"]
    assert value["delta"] is None and value["old_currency"] == "GBP" and value["currency"] == "JPY"
    assert value["not_compared"] == "the currency changed (GBP → JPY)"
    code, out, _ = run(capsys, old, new, "--format", "markdown")
    assert "| **Value** | £" in out and "not compared, the currency changed (GBP → JPY)" in out


def test_a_value_model_removed_says_value_is_not_compared(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # Before: nothing was said, and --fail-on value-drop passed in silence.
    old = _bank_variant(tmp_path, "old.journey.yaml")
    text = old.read_text(encoding="utf-8")
    start = text.index("\nvalue:\n")
    end = text.index("\n\n", start + 1)
    new = tmp_path / "new.journey.yaml"
    new.write_text(text[:start] + text[end:], encoding="utf-8")
    code, out, err = run(capsys, old, new, "--fail-on", "value-drop")
    assert code == 0
    assert ": not compared, the new side has no value model" in out
    assert "value-drop" in err and "the new side has no value model" in err
    code, out, _ = run(capsys, old, new, "--format", "json")
    value = json.loads(out)["consequences"]["value"]
    assert value["delta"] is None and value["new"] is None and value["not_compared"] == "the new side has no value model"


def test_volume_changed_only_is_worth_its_share_of_the_value(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    from journeymap import analyze, load

    old = _bank_variant(tmp_path, "old.journey.yaml", ("  currency: GBP\n", "  currency: GBP\n  volume: 11000\n"))
    new = _bank_variant(tmp_path, "new.journey.yaml", ("  currency: GBP\n", "  currency: GBP\n  volume: 10000\n"))
    per_customer = analyze(load(old)).value.per_customer  # type: ignore[union-attr]
    code, out, _ = run(capsys, old, new, "--format", "json")
    value = json.loads(out)["consequences"]["value"]
    assert value["delta"] == pytest.approx(-1000 * per_customer, abs=1e-5) and value["not_compared"] is None
    code, _, err = run(capsys, old, new, "--fail-on", "value-drop")
    assert code == 1 and "worth −£53,338 a month" in err


def _without_volume(tmp_path: Path) -> tuple[Path, Path]:
    """The sides of the `sides` fixture without the entries' volumes: the value is per customer."""
    paths = []
    for name, pairs in (
        ("old.journey.yaml", ()),
        ("new.journey.yaml", (("    cost: 6.5                 # per call, fully loaded", "    cost: 9.5"),
                              ("      - to: capture-id-document\n        share: 0.45", "      - to: capture-id-document\n        share: 0.35"))),
    ):
        paths.append(
            _bank_variant(
                tmp_path,
                name,
                ("    metrics:\n      volume: 9400           # clicks per month\n", ""),
                ("    metrics:\n      volume: 1600           # walk-ins per month\n", ""),
                *pairs,
            )
        )
    return paths[0], paths[1]


@pytest.mark.parametrize(
    ("rule", "exit_code", "said"),
    [
        ("value-drop", 1, "worth −£0.47 per customer"),
        ("value-drop:5000", 0, "value not compared, 5000 is an amount per period and the value is per customer"),
        ("value-drop:0.1", 0, "or write value-drop:0.1/customer"),
        ("value-drop:0.1/customer", 1, "new.journey.yaml: 1 touchpoint changed, conversion 46.3% → 46.1% (−0.2 pts), worth −£0.47"),
        ("value-drop:1/customer", 0, None),
    ],
)
def test_value_drop_without_a_volume_compares_like_with_like(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rule: str, exit_code: int, said: str | None
) -> None:
    # Before: without a volume the value is per customer, and value-drop:0.1 (meant a month) tripped on a
    # £0.47 drop per customer while value-drop:5000 passed any drop, both in silence.
    old, new = _without_volume(tmp_path)
    code, out, err = run(capsys, old, new, "--fail-on", rule)
    assert "worth −£0.47 per customer" in out
    assert code == exit_code, err
    if said is None:
        assert err == ""
    else:
        assert said in err and len(err.splitlines()) == 1
    code, out, _ = run(capsys, old, new, "--format", "json")
    value = json.loads(out)["consequences"]["value"]
    assert value["unit"] == "per customer" and value["delta"] == pytest.approx(value["delta_per_customer"]) and round(value["delta"], 2) == -0.47


def test_value_drop_per_customer_on_a_journey_with_a_volume(capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path]) -> None:
    from journeymap import analyze, load

    old, new = sides
    per_customer = analyze(load(new)).value.per_customer - analyze(load(old)).value.per_customer  # type: ignore[union-attr,operator]
    code, out, _ = run(capsys, old, new, "--format", "json")
    value = json.loads(out)["consequences"]["value"]
    assert value["unit"] == "a month" and value["delta_per_customer"] == pytest.approx(per_customer, abs=1e-6)
    assert -0.6 < per_customer < -0.4
    code, _, err = run(capsys, old, new, "--fail-on", "value-drop:0.4/customer")
    assert code == 1 and "--fail-on value-drop:0.4/customer: " in err and "new.journey.yaml: 1 touchpoint changed" in err
    code, _, err = run(capsys, old, new, "--fail-on", "value-drop:1/customer")
    assert code == 0 and err == ""


def test_value_drop_with_another_unit_is_a_usage_error(capsys: pytest.CaptureFixture[str], sides: tuple[Path, Path]) -> None:
    old, new = sides
    with pytest.raises(SystemExit) as info:
        main(["diff", str(old), str(new), "--fail-on", "value-drop:5000/month"])
    assert info.value.code == 2
    assert "the amount is per period, or per customer as value-drop:5000/customer" in capsys.readouterr().err

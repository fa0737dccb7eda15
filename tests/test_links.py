"""Links between journeys: a flow with ``journey:`` leads into another journey's touchpoint."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import journeymap
from journeymap.cli import main
from journeymap.links import check_links, journey_links
from journeymap.site import collect, render_site

HERE = Path(__file__).resolve().parent
LINKS = HERE / "fixtures" / "links"
OPENING = LINKS / "account-opening.journey.yaml"
CARD = LINKS / "card-activation.journey.yaml"


def test_a_flow_into_another_journey_loads_and_is_an_exit_of_this_one() -> None:
    analysis = journeymap.analyze(OPENING)
    # 80% reach account-ready; 60% of them go on into card activation, 40% end in success here.
    assert analysis.outcomes["handoff"] == pytest.approx(0.48)
    assert analysis.outcomes["success"] == pytest.approx(0.32)
    assert analysis.outcomes["leave"] == pytest.approx(0.20)
    assert analysis.conversion == pytest.approx(0.32)
    assert sum(analysis.outcomes.values()) == pytest.approx(1.0)
    graph = analysis.graph.graph
    assert "activate-card" not in graph  # no node, no edge: the other journey's touchpoint is not here
    assert analysis.graph.leave("account-ready") == pytest.approx(0.0)


def test_journeys_without_links_have_no_handoff_outcome(sample_files: list[Path]) -> None:
    for path in sample_files:
        assert "handoff" not in journeymap.analyze(path).outcomes


def test_links_are_checked_against_the_journeys_known() -> None:
    opening, card = journeymap.load(OPENING), journeymap.load(CARD)
    assert check_links([opening, card]) == []
    (problem,) = check_links([opening])
    assert problem.code == "unknown-journey" and problem.span.line == 27 and problem.span.col == 9
    renamed = card.model_copy(update={"id": "card-activaton"})
    (problem,) = check_links([opening, renamed])
    assert "did you mean 'card-activaton'" in (problem.hint or "")


def test_an_unknown_touchpoint_in_the_other_journey_is_an_error(tmp_path: Path) -> None:
    shutil.copy(CARD, tmp_path / CARD.name)
    text = OPENING.read_text(encoding="utf-8").replace("- to: activate-card", "- to: activate-crad")
    (tmp_path / OPENING.name).write_text(text, encoding="utf-8")
    problems = check_links([journeymap.load(tmp_path / OPENING.name), journeymap.load(tmp_path / CARD.name)])
    assert [p.code for p in problems] == ["unknown-reference"]
    assert "has no touchpoint 'activate-crad'" in problems[0].message and "activate-card" in (problems[0].hint or "")


def test_validate_a_folder_checks_links_and_a_single_file_says_it_cannot(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(OPENING)]) == 0
    err = capsys.readouterr().err
    assert re.search(r"account-opening\.journey\.yaml:27:9: note: touchpoint 'account-ready' leads into journey 'card-activation'", err)
    assert main(["validate", str(LINKS)]) == 0
    shutil.copy(OPENING, tmp_path / OPENING.name)
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "account-opening.journey.yaml:27:9: error[unknown-journey]" in out


def test_the_site_draws_links_on_the_index_and_on_both_maps() -> None:
    files = render_site(collect(LINKS, git=False)).files
    index = files["index.html"].decode()
    assert 'data-link="account-opening:account-ready→card-activation:activate-card"' in index
    row = re.search(r'data-link="account-opening:account-ready[^"]*">(.*?)</tr>', index, re.S)
    assert row is not None and "60%" in row.group(1) and "48%" in row.group(1)
    source = files["journeys/account-opening.html"].decode()
    assert 'data-journey-link="card-activation:activate-card"' in source
    assert 'href="card-activation.html#tp-activate-card"' in source
    target = files["journeys/card-activation.html"].decode()
    assert re.search(r'<a data-arrives-from href="\.\./journeys/account-opening\.html#tp-account-ready"', target)
    assert "continue in another journey 48%" in source


def test_the_site_lists_a_broken_link_as_an_error_and_keeps_both_maps(tmp_path: Path) -> None:
    text = OPENING.read_text(encoding="utf-8").replace("journey: card-activation", "journey: card-activaton")
    (tmp_path / OPENING.name).write_text(text, encoding="utf-8")
    shutil.copy(CARD, tmp_path / CARD.name)
    portfolio = collect(tmp_path, git=False)
    assert [e.file for e in portfolio.broken] == [OPENING.name]
    files = render_site(portfolio).files
    assert "journeys/account-opening.html" in files
    assert "account-opening.journey.yaml:27:9" in files["index.html"].decode()


def test_journey_links_give_the_customers_who_take_each() -> None:
    analyses = {j: journeymap.analyze(p) for j, p in (("account-opening", OPENING), ("card-activation", CARD))}
    (link,) = journey_links(analyses)
    assert (link.journey, link.touchpoint, link.to_journey, link.to_touchpoint) == (
        "account-opening", "account-ready", "card-activation", "activate-card"
    )
    assert link.share == pytest.approx(0.6) and link.customers == pytest.approx(0.48)


def test_links_pass_the_json_schema_and_survive_fmt() -> None:
    import jsonschema
    import yaml

    from journeymap.fmt import format_text
    from journeymap.json_schema import schema_json

    schema = json.loads(schema_json())
    jsonschema.validate(yaml.safe_load(OPENING.read_text(encoding="utf-8")), schema)
    bad = yaml.safe_load(OPENING.read_text(encoding="utf-8"))
    bad["touchpoints"][1]["next"][0]["journey"] = "Not A Slug"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    text = OPENING.read_text(encoding="utf-8").replace("      - to: activate-card       # a touchpoint of the other journey\n        journey: card-activation\n",
                                                       "      - journey: card-activation\n        to: activate-card       # a touchpoint of the other journey\n")
    formatted = format_text(text)
    assert "      - to: activate-card       # a touchpoint of the other journey\n        journey: card-activation\n" in formatted

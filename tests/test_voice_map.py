"""The map's persona filter and ``render --persona`` show a persona's own verbatims and weak
reasons (the browser half is in test_browser_voice.py); comments stay inert in every output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import journeymap
from journeymap.analysis import analyze_personas
from journeymap.cli import main
from journeymap.data import load_metric_data
from journeymap.render.output import render_outputs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
HOSTILE = "<img src=x onerror=alert(1)> **bold** [click](javascript:alert(2)) \x1b[31mred\x1b[0m \u202eevil swaps"


def survey(path: Path) -> Path:
    lines = ["touchpoint,metric,score,respondent,date,persona,comment"]
    for i in range(40):
        lines.append(f'set-substitutions,csat,2,p{i},2026-05-{1 + i % 28:02d},busy-parent,"{HOSTILE}"')
        lines.append(f"set-substitutions,csat,5,w{i},2026-05-{1 + i % 28:02d},wfh-professional,Easy per-item swap rules")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_map_carries_each_personas_verbatims_and_reasons(tmp_path: Path) -> None:
    journey = journeymap.load(SAMPLE)
    data = load_metric_data(journey, responses=survey(tmp_path / "s.csv"))
    analysis = journeymap.analyze(journey, data=data)
    personas = analyze_personas(journey, data=data, overall=analysis)
    html = render_outputs(analysis, ["html"], persona_analyses=personas).outputs["html"].decode("utf-8")
    cells = re.findall(r'<td data-col="set-substitutions"[^>]*>(.*?)</td>', html, re.S)
    block = next(c for c in cells if "voice-views" in c)  # the metrics lane
    assert '<div class="voice-views"><div data-voice-for="">' in block
    everyone, busy, wfh = (
        re.search(rf'<div data-voice-for="{who}"[^>]*>(.*?)</div></div>', block, re.S) for who in ("", "busy-parent", "wfh-professional")
    )
    assert everyone and busy and wfh
    assert "80 comments" in everyone.group(1) and "40 comments" in busy.group(1) and "40 comments" in wfh.group(1)
    # the <img> tag is markup (the comment-markup warning's, read as a space); the rest is quoted as text
    assert "[click](javascript:alert(2))" in busy.group(1) and "<img" not in block and "onerror" not in block
    assert "Easy per-item swap rules" in wfh.group(1) and "img src" not in wfh.group(1)
    assert "\x1b" not in html
    # a persona that wrote nothing here is shown none, not everyone's comments as its own
    assert ('<div data-voice-for="student-flatshare" hidden><div class="voice"><p class="voice-head">'
            "No comments from this persona here</p></div></div>") in block
    data_json = json.loads(re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S).group(1))
    reasons = data_json["personas"]["busy-parent"]["reasons"]["set-substitutions"]
    assert reasons == ["CSAT 0% is below the 80% target (95% CI 0–8.8%, n=40)"]
    assert "set-substitutions" not in data_json["personas"]["wfh-professional"]["weak"]


def test_render_persona_shows_only_that_personas_comments(tmp_path: Path) -> None:
    answers = survey(tmp_path / "s.csv")
    out = tmp_path / "out"
    assert main(["render", str(SAMPLE), "--responses", str(answers), "--persona", "wfh-professional",
                 "--to", "html,md", "-o", str(out)]) == 0
    html = (out / "grocery-first-order--wfh-professional.html").read_text(encoding="utf-8")
    assert "40 comments" in html and "Easy per-item swap rules" in html
    assert "onerror" not in html and '<p class="voice-head">80 comments' not in html
    markdown = (out / "grocery-first-order--wfh-professional.md").read_text(encoding="utf-8")
    assert "| `set-substitutions` | 40 |" in markdown and "onerror" not in markdown


def test_the_maps_data_warnings_show_a_bidi_override_and_the_hint_that_names_it(tmp_path: Path) -> None:
    """A right-to-left override in a persona or touchpoint cell reached the map's "Data warnings"
    raw: the rest of the warning read backwards, and without the hint the unknown touchpoint
    looked like a known one. The map now shows what the terminal shows."""
    answers = tmp_path / "s.csv"
    answers.write_text(
        "touchpoint,metric,score,persona\n"
        "set-substitutions\u202e,csat,4,busy-parent\n"
        "set-substitutions,csat,4,\u202ebusy-parent\x1b[2J\n",
        encoding="utf-8",
    )
    journey = journeymap.load(SAMPLE)
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, responses=answers))
    html = render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8")
    warnings = re.search(r'<ul class="data-problems">(.*?)</ul>', html, re.S)
    assert warnings is not None
    items = re.findall(r'<li dir="auto">(.*?)</li>', warnings.group(1))
    assert items == [
        "s.csv:2: unknown touchpoint &#39;set-substitutions\\u202e&#39;: the journey &#39;grocery-first-order&#39; has no such"
        " touchpoint (did you mean &#39;set-substitutions&#39;? In &#39;set-substitutions\\u202e&#39;, its 18th character is"
        " an invisible RIGHT-TO-LEFT OVERRIDE (U+202E))",
        "s.csv:3: unknown persona &#39;\\u202ebusy-parent\\x1b[2J&#39;: the row counts for everyone but for no persona"
        " (did you mean &#39;busy-parent&#39;? In &#39;\\u202ebusy-parent\\x1b[2J&#39;, its 1st character is an invisible"
        " RIGHT-TO-LEFT OVERRIDE (U+202E); its 13th character is an invisible control character (U+001B))",
    ]
    assert "\u202e" not in html and "\x1b" not in html


def details(html: str) -> str:
    """The map with the metric chips' details as their text: each text from a data file there is
    in a <bdi> of its own (tested below)."""
    return re.sub(r'<p class="m-detail" dir="auto">(.*?)</p>', lambda m: m.group(0).replace("<bdi>", "").replace("</bdi>", ""), html)


def test_a_data_file_s_texts_in_a_chip_s_detail_are_isolated(tmp_path: Path) -> None:
    """A period label holding a right-to-left override (U+202E) reversed the rest of the chip's
    sentence ("Value from ..."): each text from a data file is a <bdi> of its own."""
    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value,n,period\nchoose-delivery-slot,csat,0.63,455,2026-Q4\u202e <b>x</b>\n", encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    html = render_outputs(journeymap.analyze(journey, data=load_metric_data(journey, metrics=table)), ["html"]).outputs["html"].decode("utf-8")
    assert "Period <bdi>2026-Q4\u202e &lt;b&gt;x&lt;/b&gt;</bdi>. Value from <bdi>m.csv</bdi>.</p>" in html
    assert "<b>x</b>" not in html


def test_a_value_from_a_data_file_shows_that_file_s_period_not_the_journey_file_s(tmp_path: Path) -> None:
    # choose-delivery-slot's CSAT is written in the journey file for 2026-Q3 from Qualtrics; a
    # metrics table's 2026-Q4 row replaces it, and the chip must not say "Period 2026-Q3. Source Qualtrics".
    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value,n,period\nchoose-delivery-slot,csat,0.61,300,2026-Q3\n"
                     "choose-delivery-slot,csat,0.63,455,2026-Q4\n", encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    assert journey.touchpoint_by_id["choose-delivery-slot"].metrics["csat"].source == "Qualtrics"
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, metrics=table))
    html = details(render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8"))
    chip = re.search(r"CSAT 63%: below target\.[^<]*", html)
    assert chip is not None
    assert "Period 2026-Q4. Value from m.csv." in chip.group(0)
    assert "Qualtrics" not in chip.group(0) and "2026-Q3" not in chip.group(0)
    # Without the table, the journey file's own period and source are shown.
    html = details(render_outputs(journeymap.analyze(journey), ["html"]).outputs["html"].decode("utf-8"))
    assert re.search(r"CSAT 58%: below target\.[^<]*Period 2026-Q3\. Source Qualtrics\.", html)


def test_the_map_names_every_file_a_value_comes_from_and_a_glob_with_its_folder(tmp_path: Path) -> None:
    """A value from answers in two files said "Value from b.csv" (the last name of the joined paths);
    a glob of twelve logs said "*.csv (12 files)", without the folder that says which."""
    from journeymap.render.html import files_shown

    for folder, name, answers in (("april", "a.csv", 5), ("may", "b.csv", 6)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text("touchpoint,metric,score\n" + "choose-delivery-slot,csat,4\n" * answers, encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    data = load_metric_data(journey, responses=[tmp_path / "april" / "a.csv", tmp_path / "may" / "b.csv"])
    html = details(render_outputs(journeymap.analyze(journey, data=data), ["html"]).outputs["html"].decode("utf-8"))
    assert re.search(r"CSAT 100%[^<]*Value from a\.csv, b\.csv\.", html)
    assert files_shown(f"{tmp_path}/logs/*.csv (12 files), {tmp_path}/parts (300 files)") == "logs/*.csv (12 files), parts (300 files)"
    # a bidi override or an escape sequence in a file's name is shown escaped, as the terminal shows it
    assert files_shown(f"{tmp_path}/survey\u202evsc.exe, {tmp_path}/esc\x1b[31mred.csv") == "survey\\u202evsc.exe, esc\\x1b[31mred.csv"


def test_a_sparkline_leaves_a_gap_where_months_have_no_answers(tmp_path: Path) -> None:
    """January, February, June and December were drawn evenly spaced beside "over 12 months (4 with data)"."""
    from journeymap.render.html import sparkline

    answers = tmp_path / "a.csv"
    answers.write_text("touchpoint,metric,score,date\n" + "".join(
        f"choose-delivery-slot,csat,{score},2026-{month:02d}-10\n" for month, score in ((1, 5), (2, 4), (6, 2), (12, 1))), encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, responses=answers, period="month"))
    html = render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8")
    drawn = sparkline([1.0, 1.0, 0.0, 0.0], positions=[0, 1, 5, 11])
    assert drawn is not None and drawn in html
    # 0, 1, 5 and 11 months of 56 units for 11; the line runs only between months that follow each
    # other (it was drawn from February to June and on to December, as if March to November had
    # values between): June alone is a dot, December the last point's mark
    assert re.findall(r'points="([^"]*)"', drawn) == ["2.0,2.0 7.1,2.0"]
    assert re.findall(r'<circle cx="([^"]*)" cy="[^"]*" r="([^"]*)"', drawn) == [("27.5", "1.2"), ("58.0", "2")]
    assert sparkline([1.0, 0.0]) == sparkline([1.0, 0.0], positions=[0, 1])
    # without a gap, one line, as before
    assert re.findall(r'points="([^"]*)"', sparkline([1.0, 0.5, 0.0], positions=[0, 1, 2]) or "") == ["2.0,2.0 30.0,8.0 58.0,14.0"]
    assert re.findall(r'points="([^"]*)"', sparkline([1.0, 0.5, 0.0, 0.2], positions=[0, 1, 3, 4]) or "") == [
        "2.0,2.0 16.0,8.0", "44.0,14.0 58.0,11.6"]


def test_a_miss_within_its_interval_is_not_called_too_few_responses_on_the_map(tmp_path: Path) -> None:
    # 74 of 100 satisfied (95% CI 64.6-81.7%) against an 80% target: low confidence because the
    # interval includes the target; the chip said "low n" and "n = 100: ... too few responses to judge"
    journey = journeymap.load(SAMPLE)
    lines = ["touchpoint,metric,score,respondent"]
    lines += [f"set-substitutions,csat,{5 if i < 74 else 2},r{i}" for i in range(100)]
    lines += [f"choose-delivery-slot,csat,{5 if i < 5 else 2},s{i}" for i in range(10)]  # n=10 < min_n
    (tmp_path / "s.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, responses=tmp_path / "s.csv"))
    assert analysis.touchpoints["set-substitutions"].metrics["csat"].ci_includes_target
    html = render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8")
    chips = re.findall(r'<li class="metric st-low_confidence low">(.*?)</li>', html, re.S)
    within = next(c for c in chips if '"m-value">74%' in c)
    few = next(c for c in chips if '"m-value">50%' in c)
    assert '<span class="m-low">target in CI</span>' in within and "too few" not in within
    assert "n = 100. 95% CI 64.6–81.6%: low confidence, the interval includes the target" in within
    assert '<span class="m-low">low n</span>' in few and "n = 10: low confidence, too few responses to judge." in few


def test_the_map_names_a_data_file_as_the_terminal_does_in_its_warnings_and_panel(tmp_path: Path) -> None:
    """A data file named with a right-to-left override (``survey\\u202evsc.csv``, the old trick that
    shows 'survey<U+202E>vsc.exe' as 'surveyexe.csv') or an escape sequence reached the map's
    "Data warnings" and the planned-vs-actual panel raw: the override reversed the rest of the
    warning and of the panel's sentence, and the ESC was dropped. The map now names the file as
    the terminal does, escaped."""
    answers = tmp_path / "survey\u202evsc.csv"
    answers.write_text("touchpoint,metric,score\nset-substitutions,csat,4\nno-such-step,csat,4\n", encoding="utf-8")
    log = tmp_path / "log\x1b[2J\u2066.csv"
    log.write_text(
        "customer,timestamp,touchpoint\nc1,2026-09-10T10:00:00Z,see-social-ad\nc1,2026-09-10T10:05:00Z,no-such-step\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    assert main(["render", str(SAMPLE), "--responses", str(answers), "--events", str(log), "--engine", "python",
                 "--to", "html", "-o", str(out)]) == 1  # the survey's unknown touchpoint is an error
    html = (out / "grocery-first-order.html").read_text(encoding="utf-8")
    warnings = re.search(r'<ul class="data-problems">(.*?)</ul>', html, re.S)
    assert warnings is not None
    items = re.findall(r'<li dir="auto">(.*?)</li>', warnings.group(1))
    assert sorted(item.split(": ")[0] for item in items) == ["log\\x1b[2J\\u2066.csv", "survey\\u202evsc.csv:3"], items
    assert '(<code dir="auto">log\\x1b[2J\\u2066.csv</code>, read by python)' in html
    assert "\u202e" not in html and "\u2066" not in html and "\x1b" not in html
    # and so does the notice that the map is incomplete (the survey's error): it named the file raw
    assert "1 error in the data files (" in html and "survey\\u202evsc.csv), listed on stderr" in html


def test_a_chip_says_whether_the_last_change_is_significant_as_the_reports_do(tmp_path: Path) -> None:
    """The text and Markdown reports (``· last period significant``) and the JSON
    (``significant_change``) say whether the change over the last period is significant; the map's
    chip gave the verdict alone, so "71% → 64%, flat" read the same whether May's fall was real or noise."""
    def month(number: int, satisfied: int, total: int) -> list[str]:
        return [f"choose-delivery-slot,csat,{5 if i < satisfied else 2},2026-{number:02d}-{1 + i % 28:02d}" for i in range(total)]

    journey = journeymap.load(SAMPLE)
    answers = tmp_path / "a.csv"
    # April 71% of 1,000, May 64% of 1,000: a significant fall (z test p < 0.001); set-substitutions
    # 70% of 100 then 66% of 100: not significant (p = 0.55)
    rows = month(4, 710, 1000) + month(5, 640, 1000)
    rows += [r.replace("choose-delivery-slot", "set-substitutions") for r in month(4, 70, 100) + month(5, 66, 100)]
    answers.write_text("touchpoint,metric,score,date\n" + "\n".join(rows) + "\n", encoding="utf-8")
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, responses=answers, period="month"))
    slot, subs = (analysis.touchpoints[t].metrics["csat"] for t in ("choose-delivery-slot", "set-substitutions"))
    assert (slot.significant_change, subs.significant_change) == (True, False)
    html = details(render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8"))
    assert "CSAT 71% → 64% over 2 months, falling (worse) · last period significant. Period 2026-05." in html
    assert "CSAT 70% → 66% over 2 months, flat · last period not significant. Period 2026-05." in html
    assert 'title="CSAT 71% → 64% over 2 months, falling (worse) · last period significant"' in html
    # a change no test applies to (one answer, then one) says nothing of it, as the reports say nothing
    one = tmp_path / "one.csv"
    one.write_text("touchpoint,metric,score,date\nrate-first-order,ces,5,2026-04-03\nrate-first-order,ces,7,2026-05-03\n", encoding="utf-8")
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, responses=one, period="month"))
    assert analysis.touchpoints["rate-first-order"].metrics["ces"].significant_change is None
    html = details(render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8"))
    assert "CES 5 → 7 over 2 months, not tested: a period of a single answer. Period 2026-05." in html
    assert "last period" not in html


def test_the_maps_negative_figures_have_the_real_minus_its_sentiment_and_emotion_have(tmp_path: Path) -> None:
    """On one card the comments' sentiment read "−0.54" and the emotion "−1.5" (a real minus, U+2212),
    and the chips beside them "NPS -25", "95% CI -38 to -12", "Sentiment -0.54" (a hyphen). The
    chips' figures, verdicts and the reasons journeymap writes now have the real minus too; the
    journey's own texts (a friction note's "-3 days", a label's hyphen) are shown as written."""
    from journeymap.loader import load_text
    from tests.test_voice import JOURNEY

    journey = load_text(
        JOURNEY.replace("  sentiment: {target: 0}\n", "  sentiment: {target: 0}\n  nps: {target: 30}\n  drop_off: {target: 0.1}\n")
        .replace("next: [{to: solved, share: 0.8}]}",
                 "next: [{to: solved, share: 0.8}], emotion: -1.5, metrics: {drop_off: 0.3},"
                 " friction: [{type: wait, severity: 4, note: 'queue -3 days vs SLA'}]}")
    )
    lines = ["touchpoint,metric,score,date,comment"]
    for month, scores in ((4, [10] * 30 + [9] * 10 + [3] * 20), (5, [10] * 15 + [8] * 15 + [2] * 30)):
        lines += [f"chat-agent,nps,{s},2026-{month:02d}-{1 + i % 28:02d},bad wait times" for i, s in enumerate(scores)]
    (tmp_path / "s.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, responses=tmp_path / "s.csv", period="month"))
    nps = analysis.touchpoints["chat-agent"].metrics["nps"]
    assert (nps.text, nps.ci_text) == ("-25", "-46 to -4")  # the reports keep the hyphen-minus
    html = details(render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8"))
    card = next(c for c in re.findall(r'<td data-col="chat-agent"[^>]*>(.*?)</td>', html, re.S) if "m-value" in c)
    assert '<b class="m-value">−25</b>' in card and "95% CI −46 to −4" in card
    assert "NPS +33.3 → −25 over 2 months, falling (worse)" in card
    assert '<b class="m-value">−0.54</b>' in card and "sentiment −0.54" in card  # the chip as the comments' line
    reasons = re.findall(r'<ul class="reasons">(.*?)</ul>', html, re.S)
    assert any("NPS −25 is below the +30 target (95% CI −46 to −4, n=60)" in r for r in reasons)
    assert any("emotion −1.5 is at or below −1" in r for r in reasons)
    assert any("friction &#x27;wait&#x27; severity 4: queue -3 days vs SLA" in r or "queue -3 days vs SLA" in r for r in reasons)
    assert "Drop-off" in html and "Drop−off" not in html


def test_a_sparkline_leaves_out_a_period_of_no_answers_as_the_trend_does(tmp_path: Path) -> None:
    """A BI export's March of n 0 at 95% (kept, as low confidence, and left out of the trend: "80% →
    76%, falling") was drawn on the chip's sparkline as a spike between 78% and 77%. It is a gap."""
    from journeymap.render.html import sparkline

    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value,n,period\n" + "".join(
        f"choose-delivery-slot,csat,{v},{n},2026-{m:02d}\n"
        for m, v, n in ((1, "80%", 2000), (2, "78%", 2000), (3, "95%", 0), (4, "77%", 2000), (5, "76%", 2000))), encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, metrics=table))
    csat = analysis.touchpoints["choose-delivery-slot"].metrics["csat"]
    assert csat.verdict == "CSAT 80% → 76% over 5 months (4 with data), falling (worse)"
    html = render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8")
    drawn = sparkline([0.80, 0.78, 0.77, 0.76], 0, 1, positions=[0, 1, 3, 4])
    assert drawn is not None and drawn in html
    assert sparkline([0.80, 0.78, 0.95, 0.77, 0.76], 0, 1, positions=[0, 1, 2, 3, 4]) not in html


def test_a_long_series_gets_a_wider_finer_sparkline() -> None:
    """Two years of weekly CSAT (104 periods) were drawn in the same 60 px as six months: half a pixel
    a week under a 1.5 px stroke, a solid jagged band. A series of more than 24 periods gets up to
    twice the width and a finer line; 24 or fewer are drawn as before."""
    from journeymap.render.html import sparkline

    values = [0.7 + 0.03 * ((i * 7) % 5) / 5 - 0.001 * i for i in range(104)]
    long = sparkline(values)
    assert long is not None
    assert 'viewBox="0 0 120 16" width="120"' in long and 'stroke-width="1"' in long
    points = re.findall(r'points="([^"]*)"', long)[0].split()
    assert float(points[1].split(",")[0]) - float(points[0].split(",")[0]) >= 1.1 and points[-1].startswith("118.0,")  # over a pixel a week
    thirty = sparkline(values[:30])
    assert thirty is not None and 'width="75"' in thirty  # 2.5 px a period
    short = sparkline(values[:24])
    assert short is not None and 'viewBox="0 0 60 16" width="60"' in short and 'stroke-width="1.5"' in short


def test_a_persona_with_no_values_of_its_own_is_told_so_once(tmp_path: Path) -> None:
    """Busy parents and home workers answered at set-substitutions, everyone (no persona) at the slot
    step, no student anywhere: the student's view showed everyone's slot CSAT as measured, nothing
    marked (marks are for metrics a persona has values of elsewhere) and nothing saying the values were
    everyone's. Now the report's notes and the map's persona filter say it once for that view, and no
    chip is marked."""
    from journeymap.cli.report import format_text

    answers = survey(tmp_path / "s.csv")
    with answers.open("a", encoding="utf-8") as f:
        f.writelines(f"choose-delivery-slot,csat,{5 if i % 2 else 2},e{i},2026-05-{1 + i:02d},,\n" for i in range(20))
    journey = journeymap.load(SAMPLE)
    data = load_metric_data(journey, responses=answers)
    analysis = journeymap.analyze(journey, data=data)
    personas = analyze_personas(journey, data=data, overall=analysis)
    told = ("the data files have none of this persona's own values (no answer or row is its): every metric"
            " value in this view is everyone's")
    student = journeymap.analyze(journey, "student-flatshare", data=data)
    assert student.notes.count(told) == 1 and f"  - {told}" in format_text(student).splitlines()
    assert told in student.to_json()["notes"]
    assert not any("everyone's value" in r for t in student.touchpoints.values() for r in t.reasons)
    # a persona with values of its own, and everyone's view, have no such note
    assert told not in personas["busy-parent"].notes + analysis.notes
    html = render_outputs(analysis, ["html"], persona_analyses=personas).outputs["html"].decode("utf-8")
    data_json = json.loads(re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S).group(1))
    assert data_json["personas"]["student-flatshare"]["note"] == (
        "The data has none of Student flat-share's own values: every metric shown is everyone's.")
    assert "note" not in data_json["personas"]["busy-parent"]
    script = html[html.index("function apply"):]
    assert 'entry.note ? " " + entry.note : ""' in script
    # render --persona: the page says it once, under its title
    out = tmp_path / "out"
    assert main(["render", str(SAMPLE), "--responses", str(answers), "--persona", "student-flatshare",
                 "--to", "html", "-o", str(out)]) == 0
    page = (out / "grocery-first-order--student-flatshare.html").read_text(encoding="utf-8")
    assert page.count("The data has none of Student flat-share&#39;s own values: every metric shown is everyone&#39;s.") == 1
    assert 'class="m-whose"' not in page


def test_a_persona_whose_view_drops_other_personas_answers_is_told_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every answer of the file says it is a busy parent's or a student's; `report --persona
    wfh-professional` (no answer of theirs) showed the journey file's values, the file's answers being other
    personas', with no word that the survey file had none of this persona's own: the view read as if the
    file had been left out. The report's notes and the map say it once, as for a persona whose view
    shows everyone's data values."""
    from journeymap.cli.report import format_text

    answers = tmp_path / "s.csv"
    answers.write_text("touchpoint,metric,score,respondent,date,persona\n" + "".join(
        f"choose-delivery-slot,csat,{1 + i % 5},r{i},2026-04-{1 + i % 28:02d},{'busy-parent' if i % 3 else 'student-flatshare'}\n"
        for i in range(60)), encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    data = load_metric_data(journey, responses=answers)
    told = ("the data files have none of this persona's own values (no answer or row is its): every metric"
            " value in this view is everyone's")
    home = journeymap.analyze(journey, "wfh-professional", data=data)
    assert home.touchpoints["choose-delivery-slot"].metrics["csat"].source == "journey"  # not the others' 40%
    assert home.notes.count(told) == 1 and f"  - {told}" in format_text(home).splitlines()
    personas = analyze_personas(journey, data=data, overall=journeymap.analyze(journey, data=data))
    assert told in personas["wfh-professional"].notes
    assert told not in personas["busy-parent"].notes + personas["student-flatshare"].notes
    html = render_outputs(journeymap.analyze(journey, data=data), ["html"], persona_analyses=personas).outputs["html"].decode("utf-8")
    data_json = json.loads(re.search(r'<script type="application/json" id="[^"]+">(.*?)</script>', html, re.S).group(1))
    assert data_json["personas"]["wfh-professional"]["note"] == (
        "The data has none of Work-from-home professional's own values: every metric shown is everyone's.")
    assert "note" not in data_json["personas"]["busy-parent"]
    # the CLI, on the row reader and on DuckDB alike
    capsys.readouterr()
    for engine in ("python", "duckdb"):
        assert main(["report", str(SAMPLE), "--responses", str(answers), "--persona", "wfh-professional",
                     "--engine", engine]) == 0
        assert f"  - {told}" in capsys.readouterr().out.splitlines()


def test_render_persona_marks_everyones_chips(tmp_path: Path) -> None:
    """`render --persona busy-parent` drew the report-missing-items CSAT chip (everyone's 49%) beside
    the busy parents' own CSAT at set-substitutions with no mark, where the filter's view of the same
    persona marks it everyone's."""
    out = tmp_path / "out"
    assert main(["render", str(SAMPLE), "--responses", str(survey(tmp_path / "s.csv")), "--persona", "busy-parent",
                 "--to", "html", "-o", str(out)]) == 0
    page = (out / "grocery-first-order--busy-parent.html").read_text(encoding="utf-8")
    chips = re.findall(r'<li class="metric[^"]*">.*?</li>', page, flags=re.S)
    mine = [c for c in chips if "CSAT 0%" in c]
    theirs = [c for c in chips if "CSAT 49%" in c]
    assert mine and theirs
    assert all('class="m-whose"' not in c for c in mine)
    assert all('class="m-whose"' in c for c in theirs)
    # a metric the persona has no values of anywhere (first-contact resolution) is not marked, as in the filter
    assert all('class="m-whose"' not in c for c in chips if "First-contact" in c or "FCR" in c)


def rtl_survey(path: Path) -> Path:
    """Comments mixing Arabic or Hebrew with English, as a bilingual market's survey gets them."""
    lines = ["touchpoint,metric,score,respondent,date,persona,comment"]
    for i in range(3):
        lines.append(f"join-waitlist,csat,2,a{i},2026-05-0{i + 1},,مرحبا the slot was late جدا سيء and cold")
        lines.append(f"install-app,csat,2,h{i},2026-05-0{i + 1},,שלום the app crashed again ביום שני")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_right_to_left_phrase_is_isolated_from_its_count(tmp_path: Path) -> None:
    """A phrase ending in Arabic or Hebrew ("late جدا") and its count were one run of text: the count, a
    number after a right-to-left word, joined that word's run and was drawn inside the phrase ("late 3 جدا"),
    and a phrase starting with one ("سيء and cold") turned its chip right to left, the count in the middle.
    Each phrase is a <bdi> of its own, as a quote is, and the chip takes no direction from it."""
    journey = journeymap.load(SAMPLE)
    data = load_metric_data(journey, responses=rtl_survey(tmp_path / "rtl.csv"))
    html = render_outputs(journeymap.analyze(journey, data=data), ["html"]).outputs["html"].decode("utf-8")
    phrases = re.findall(r'<ul class="voice-phrases"[^>]*>(.*?)</ul>', html)
    assert phrases
    chips = [chip for block in phrases for chip in re.findall(r"<li[^>]*>.*?</li>", block)]
    assert '<li><bdi>late جدا</bdi> <span class="voice-n">3</span></li>' in chips
    assert '<li><bdi>سيء and cold</bdi> <span class="voice-n">3</span></li>' in chips
    assert all(re.fullmatch(r'<li><bdi>[^<]+</bdi> <span class="voice-n">[0-9,]+</span></li>', chip) for chip in chips)


def test_a_right_to_left_quote_reads_right_to_left_and_its_kind_left_to_right(tmp_path: Path) -> None:
    """A quote's dir="auto" looked past its text: the <bdi> that holds the comment is left out of the search for the
    first strong letter, which was then the 'm' of '(most negative, ...)', so every quote, an Arabic or Hebrew one too,
    was laid out left to right. The quote takes its direction from the comment's first strong letter (as
    dir="auto" on the comment alone would), its kind is isolated left to right, and its bar is at its start."""
    arabic, hebrew = "التوصيل كان متأخراً جداً", "\u200f123 שירות מעולה"  # the Hebrew one starts with a right-to-left mark
    answers = tmp_path / "s.csv"
    answers.write_text("touchpoint,metric,score,respondent,comment\n" + "".join(
        f"{tp},csat,3,r{i},{text}\n" for i, (tp, text) in enumerate([
            ("set-substitutions", arabic), ("set-substitutions", "«The app» was fine"),
            ("set-substitutions", "The app was awful"), ("join-waitlist", hebrew)])), encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    data = load_metric_data(journey, responses=answers)
    html = render_outputs(journeymap.analyze(journey, data=data), ["html"]).outputs["html"].decode("utf-8")
    quotes = set(re.findall(r'<blockquote class="voice-quote"[^>]*>.*?</blockquote>', html))  # on screen and sheet
    by_text = {m.group(1): q for q in quotes if (m := re.search(r"<bdi>(.*?)</bdi>", q))}
    assert sorted(by_text) == sorted([arabic, hebrew, "«The app» was fine", "The app was awful"])
    for text, direction in [(arabic, "rtl"), (hebrew, "rtl"), ("«The app» was fine", "ltr"), ("The app was awful", "ltr")]:
        assert by_text[text].startswith(f'<blockquote class="voice-quote" dir="{direction}"><bdi>'), by_text[text]
        assert '</bdi> <span class="voice-kind" dir="ltr">(' in by_text[text]  # the space between them, not in either
    css = html[html.index("<style>"):html.index("</style>")]
    assert re.search(r"\.voice-quote \{[^}]*border-inline-start:", css)


def test_a_quote_shows_a_comment_without_its_terminal_colour_codes(tmp_path: Path, capsys) -> None:
    """A comment pasted from a terminal or a log ('bell\\a and \\x1b[31mred\\x1b[0m awful colour') was quoted with
    each escape's ESC dropped and the rest left: '[31mred[0m' on the map, in the text and Markdown reports, and
    the raw escape in JSON. The quote leaves out the whole sequence and the control characters, in every output."""
    answers = tmp_path / "s.csv"
    answers.write_text("touchpoint,metric,score,respondent,comment\n" + "".join(
        f'set-substitutions,csat,2,r{i},"bell\x07 and \x1b[31mred\x1b[0m awful colour\x1b]0;title\x07"\n' for i in range(2)),
        encoding="utf-8")
    want = "bell and red awful colour"
    args = [str(SAMPLE), "--responses", str(answers)]
    outputs = {}
    for fmt in ("text", "markdown", "json"):
        main(["report", *args, "--format", fmt])
        outputs[fmt] = capsys.readouterr().out
    assert f'"{want}" (most negative, ' in outputs["text"]
    assert f"“{want}” (most negative)" in outputs["markdown"]
    quotes = [q["text"] for tp in json.loads(outputs["json"])["touchpoints"] if tp["id"] == "set-substitutions"
              for q in tp["verbatims"]["quotes"]]
    assert quotes == [want]
    assert main(["render", *args, "--to", "html", "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    html = (tmp_path / "out" / "grocery-first-order.html").read_text(encoding="utf-8")
    assert f"<bdi>{want}</bdi>" in html
    for text in [*outputs.values(), html]:
        assert "31m" not in text and "0;title" not in text


def test_no_output_quotes_a_customers_e_mail_address_or_phone_number(tmp_path: Path, capsys) -> None:
    """A map projected in a workshop showed 'Email me at jane.doe@example.com or call +44 7700 900123' on the card;
    every output now quotes it masked, and the address is no phrase either ('doe example' was one)."""
    answers = tmp_path / "s.csv"
    answers.write_text("touchpoint,metric,score,respondent,comment\n" + "".join(
        f"set-substitutions,csat,2,r{i},Awful. Email me at jane.doe@example.com or call +44 7700 900123\n" for i in range(2)),
        encoding="utf-8")
    want = "Awful. Email me at [e-mail address] or call [phone number]"
    args = [str(SAMPLE), "--responses", str(answers)]
    outputs = {}
    for fmt in ("text", "markdown", "json"):
        main(["report", *args, "--format", fmt])
        outputs[fmt] = capsys.readouterr().out
    assert f'"{want}" (most negative, ' in outputs["text"]
    assert "“Awful. Email me at \\[e-mail address\\] or call \\[phone number\\]” (most negative)" in outputs["markdown"]
    assert [q["text"] for tp in json.loads(outputs["json"])["touchpoints"] if tp["id"] == "set-substitutions"
            for q in tp["verbatims"]["quotes"]] == [want]
    assert main(["render", *args, "--to", "html,md", "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    outputs["html"] = (tmp_path / "out" / "grocery-first-order.html").read_text(encoding="utf-8")
    assert f"<bdi>{want}</bdi>" in outputs["html"]
    for text in outputs.values():
        assert "jane" not in text.lower() and "7700" not in text and "doe example" not in text


def test_a_phrase_of_long_words_is_cut_where_it_is_laid_out(tmp_path: Path, capsys) -> None:
    """Two customers pasted the same error with its token ('Session token eyJhbGciOi... expired'): the phrase
    'eyj... expired', 300-odd characters, made the card's chip hundreds of pixels tall and the report's
    phrases line as long. A phrase is cut at 60 characters with an ellipsis on the map (the whole on hover) and
    in the text and Markdown reports; JSON keeps it whole."""
    token = "eyJ" + "hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" * 9
    answers = tmp_path / "s.csv"
    answers.write_text("touchpoint,metric,score,respondent,comment\n" + "".join(
        f"set-substitutions,csat,2,r{i},Session token {token} expired\n" for i in range(2)), encoding="utf-8")
    phrase = f"{token.lower()} expired"
    assert len(phrase) > 300
    args = [str(SAMPLE), "--responses", str(answers)]
    outputs = {}
    for fmt in ("text", "markdown", "json"):
        main(["report", *args, "--format", fmt])
        outputs[fmt] = capsys.readouterr().out
    [phrases] = [tp["verbatims"]["phrases"] for tp in json.loads(outputs["json"])["touchpoints"] if tp["id"] == "set-substitutions"]
    assert phrase in [p["phrase"] for p in phrases]
    shown = phrase[:59] + "…"
    assert f'"{shown}" (2)' in outputs["text"]
    assert f"{shown} (2)" in outputs["markdown"]
    assert main(["render", *args, "--to", "html", "-o", str(tmp_path / "out")]) == 0
    capsys.readouterr()
    html = (tmp_path / "out" / "grocery-first-order.html").read_text(encoding="utf-8")
    assert f'<li><bdi><span title="{phrase}">{shown}</span></bdi> <span class="voice-n">2</span></li>' in html
    for text in (outputs["text"], outputs["markdown"], html.replace(f'title="{phrase}"', "")):
        assert phrase not in text


def test_a_sparkline_does_not_draw_a_tiny_change_as_a_fall_from_top_to_bottom(tmp_path: Path) -> None:
    """CSAT 70.4%, 70.2%, 70.0% over three months ('flat' in the chip's own tooltip) was drawn from the top of the
    sparkline to its bottom, as steep as a fall from 90% to 50%: each line was scaled to its own lowest and highest
    value. The height stands for at least a tenth of the metric's scale (10 points of CSAT, 20 of NPS), or of the
    largest value where the scale has no end (volume, CLV, response time); a bigger change fills it as before."""
    from journeymap.render.html import sparkline

    table = tmp_path / "m.csv"
    table.write_text("touchpoint,metric,value,n,period\n" + "".join(
        f"choose-delivery-slot,csat,{v},{n},2026-{m:02d}\n" for m, v, n in ((1, "70.4%", 500), (2, "70.2%", 500), (3, "70%", 500))),
        encoding="utf-8")
    journey = journeymap.load(SAMPLE)
    analysis = journeymap.analyze(journey, data=load_metric_data(journey, metrics=table))
    assert analysis.touchpoints["choose-delivery-slot"].metrics["csat"].trend == "flat"
    html = render_outputs(analysis, ["html"]).outputs["html"].decode("utf-8")
    [line] = {m for m in re.findall(r'<svg class="spark".*?</svg>', html) if "polyline" in m}
    heights = [float(point.split(",")[1]) for point in re.findall(r'points="([^"]*)"', line)[0].split()]
    assert max(heights) - min(heights) < 0.6  # 0.4 points of a 10-point height of 12 px
    # a real fall fills the height; so does a tenth of the scale
    for values in ([0.9, 0.7, 0.5], [0.75, 0.70, 0.65]):
        drawn = sparkline(values, 0, 1) or ""
        assert re.findall(r'points="([^"]*)"', drawn) == ["2.0,2.0 30.0,8.0 58.0,14.0"]
    # NPS +30 → +32: a tenth of its 200 points is 20; volume 48,000 → 48,100 (no upper end): a tenth of 48,100
    for drawn in (sparkline([30, 32], -100, 100), sparkline([48_000, 48_100])):
        ys = [float(p.split(",")[1]) for p in re.findall(r'points="([^"]*)"', drawn or "")[0].split()]
        assert abs(ys[0] - ys[1]) < 1.5
    assert sparkline([0.5, 0.5], 0, 1) == sparkline([0.5, 0.5])  # all alike: a level line in the middle, as before

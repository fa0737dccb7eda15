"""Broken data files and impossible periods, a third round: bytes after a gzip's data, scores that overflow a double,
periods of thousands of digits, halves and quarters no calendar has in every spelling, periods written in the
journey itself. Each told at its place, on both engines alike, the rows before a break kept."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from journeymap.cli import main

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
MINIMAL = (ROOT / "tests" / "fixtures" / "good" / "minimal.journey.yaml").read_text(encoding="utf-8")
ENGINES = pytest.mark.parametrize("engine", ["duckdb", "python"])

ANSWERS = "touchpoint,metric,score\n" + "".join(f"choose-delivery-slot,csat,{1 + i % 5}\n" for i in range(30))
TABLE = ("touchpoint,metric,value,n,period\nchoose-delivery-slot,csat,58%,412,2026-Q3\n"
         "choose-delivery-slot,csat,63%,455,2026-Q4\n")


def report(capsys: pytest.CaptureFixture[str], option: str, path: Path, engine: str) -> tuple[int, dict]:
    code = main(["report", str(SAMPLE), option, str(path), "--engine", engine, "--format", "json"])
    return code, json.loads(capsys.readouterr().out)


def csat(data: dict) -> dict:
    slot = next(t for t in data["touchpoints"] if t["id"] == "choose-delivery-slot")
    found: dict = slot["metrics"]["csat"]
    return found


# -- 1. bytes after a gzip file's compressed data ----------------------------------------------------------------


@ENGINES
@pytest.mark.parametrize("option", ["--responses", "--metrics"])
@pytest.mark.parametrize(("tail", "code", "level"), [
    (b"<html>Not found</html>\n", "gzip", "error"),  # a page appended, a second file that is no gzip
    (b"\x00" * 512, "padding", "warning"),  # a copy or a disk that stopped part-way: zeros
    (b"\x1f\x8b\x07" + bytes(7) + b"garbage", "gzip", "error"),  # a second member damaged from its start (no method 7)
])
def test_bytes_after_a_gzips_data_are_one_problem_and_its_rows_are_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, option: str, tail: bytes, code: str, level: str
) -> None:
    # It was 'the gzip file is cut short or damaged, so none of its rows are read', without a place; zeros were
    # ignored without a word
    text = ANSWERS if option == "--responses" else TABLE
    data = gzip.compress(text.encode(), mtime=0)
    path = tmp_path / "export.csv.gz"
    path.write_bytes(data + tail)
    exit_code, found = report(capsys, option, path, engine)
    lines = text.count("\n")
    assert [(p["line"], p["col"], p["code"], p["level"]) for p in found["problems"]] == [(lines + 1, 1, code, level)]
    said = found["problems"][0]
    assert f"{len(tail):,} byte" in said["message"] and f"after line {lines}" in said["message"]
    assert f"head -c {len(data)} " in said["hint"]  # the compressed data alone, whole
    assert exit_code == (1 if level == "error" else 0)
    assert (csat(found)["n"], csat(found)["value"]) == ((30, 0.4) if option == "--responses" else (455, 0.63))


@ENGINES
@pytest.mark.parametrize(("tail", "code"), [(b"<html>Not found</html>\n", "gzip"), (b"\x00" * 512, "padding")])
def test_bytes_after_a_gzips_data_are_told_under_a_data_encoding_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, tail: bytes, code: str
) -> None:
    # Its UTF-8 copy was made through a reader that ignored zeros without a word, and stopped at other bytes: the
    # file was then read as it is, its Windows-1252 letters each an encoding error
    text = "touchpoint,metric,score,comment\n" + "".join(f"choose-delivery-slot,csat,{1 + i % 5},fine \u2013 thanks {i}\n"
                                                       for i in range(30))
    data = gzip.compress(text.encode("cp1252"), mtime=0)
    path = tmp_path / "export.csv.gz"
    path.write_bytes(data + tail)
    exit_code = main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json",
                      "--data-encoding", "windows-1252"])
    found = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [(32, 1, code)]
    assert f"head -c {len(data)} " in found["problems"][0]["hint"]
    assert exit_code == (1 if code == "gzip" else 0)
    assert csat(found)["n"] == 30


@ENGINES
def test_bytes_after_a_gzip_whose_text_ends_without_a_line_break_are_placed_at_its_end_under_a_data_encoding(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    last = "choose-delivery-slot,csat,5,fine \u2013 thanks"
    text = "touchpoint,metric,score,comment\nchoose-delivery-slot,csat,4,ok\n" + last
    path = tmp_path / "export.csv.gz"
    path.write_bytes(gzip.compress(text.encode("cp1252"), mtime=0) + b"junk")
    main(["report", str(SAMPLE), "--responses", str(path), "--engine", engine, "--format", "json",
          "--data-encoding", "windows-1252"])
    found = json.loads(capsys.readouterr().out)
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [(3, len(last) + 1, "gzip")]
    assert "at the end of line 3" in found["problems"][0]["message"]
    assert csat(found)["n"] == 2


@ENGINES
def test_garbage_after_two_joined_gzip_members_keeps_both_members_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    first = gzip.compress(ANSWERS.encode(), mtime=0)
    second = gzip.compress(b"choose-delivery-slot,csat,5", mtime=0)  # no line break at its end
    path = tmp_path / "joined.csv.gz"
    path.write_bytes(first + second + b"trailing junk")
    exit_code, found = report(capsys, "--responses", path, engine)
    assert exit_code == 1
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [(32, 28, "gzip")]
    assert f"byte {len(first) + len(second):,}" in found["problems"][0]["message"]
    assert csat(found)["n"] == 31


def _damaged_midway(text: bytes) -> tuple[bytes, bytes]:
    """``text`` gzipped in stored blocks with the second block's length check (NLEN) changed, where zlib stops
    ('invalid stored block lengths'), and the text before that block. (Damage in compressed blocks decompresses to
    other text, which only the check sum at the end tells.)"""
    packed = bytearray(gzip.compress(text, compresslevel=0, mtime=0))
    first = int.from_bytes(packed[11:13], "little")  # the first block: its header byte, LEN, NLEN, its bytes
    second = 10 + 5 + first
    packed[second + 3] ^= 0xFF
    return bytes(packed), text[:first]


@ENGINES
def test_a_gzip_damaged_part_way_keeps_the_rows_before_the_damage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    text = "touchpoint,metric,score,comment\n" + "".join(f"choose-delivery-slot,csat,{1 + i % 5},comment {i * 7919 % 1000}\n"
                                                       for i in range(5000))
    damaged, held = _damaged_midway(text.encode())
    path = tmp_path / "damaged.csv.gz"
    path.write_bytes(damaged)
    exit_code, found = report(capsys, "--responses", path, engine)
    assert exit_code == 1
    line = held.count(b"\n") + 1
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [
        (line, len(held.rsplit(b"\n", 1)[1]) + 1, "gzip")]
    assert "the rows before are read" in found["problems"][0]["message"]
    assert csat(found)["n"] == line - 2


@ENGINES
@pytest.mark.parametrize("option", ["--responses", "--metrics"])
def test_a_gzip_whose_trailer_claims_2_gb_is_read_whole_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, option: str
) -> None:
    # Its length written at its end, 2 GB, was 'cut short or damaged, so none of its rows are read', without a place;
    # its check sum holds, so its text is whole
    import struct

    text = ANSWERS if option == "--responses" else TABLE
    packed = gzip.compress(text.encode(), mtime=0)
    path = tmp_path / "claims.csv.gz"
    path.write_bytes(packed[:-4] + struct.pack("<I", 0x80000000))
    exit_code, found = report(capsys, option, path, engine)
    assert exit_code == 0
    assert [(p["line"], p["col"], p["code"], p["level"]) for p in found["problems"]] == [
        (text.count("\n") + 1, 1, "gzip", "warning")]
    assert (csat(found)["n"], csat(found)["value"]) == ((30, 0.4) if option == "--responses" else (455, 0.63))


@ENGINES
@pytest.mark.parametrize(("broken", "code"), [
    ("crc", "gzip"),  # a check sum that fails: its text is wrong somewhere
    ("extra-64k", "cut-short"),  # a header that claims a 64 KiB extra field the file has not
    ("header-only", "cut-short"),
])
def test_a_gzip_broken_before_any_text_it_can_vouch_for_is_one_error_at_its_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, broken: str, code: str
) -> None:
    import struct

    packed = gzip.compress(ANSWERS.encode(), mtime=0)
    data = {"crc": packed[:-8] + bytes(4) + packed[-4:],
            "extra-64k": packed[:3] + bytes([packed[3] | 4]) + packed[4:10] + struct.pack("<H", 0xFFFF) + packed[10:],
            "header-only": packed[:8]}[broken]
    path = tmp_path / "broken.csv.gz"
    path.write_bytes(data)
    exit_code, found = report(capsys, "--responses", path, engine)
    assert exit_code == 1
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [(1, 1, code)]
    assert "none of its rows are read" in found["problems"][0]["message"]
    assert csat(found)["source"] == "journey"


@ENGINES
def test_a_joined_gzip_whose_second_member_fails_its_check_sum_keeps_the_first_members_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    first = gzip.compress(ANSWERS.encode(), mtime=0)
    second = gzip.compress(b"choose-delivery-slot,csat,5\nchoose-delivery-slot,csat,5\n", mtime=0)
    path = tmp_path / "joined.csv.gz"
    path.write_bytes(first + second[:-8] + bytes(4) + second[-4:])
    exit_code, found = report(capsys, "--responses", path, engine)
    assert exit_code == 1
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [(32, 1, "gzip")]
    assert f"member from byte {len(first):,} is damaged" in found["problems"][0]["message"]
    assert csat(found)["n"] == 30


# -- 2. scores beyond a double ------------------------------------------------------------------------------------


@ENGINES
@pytest.mark.parametrize(("cell", "said"), [
    ("1e400", "beyond the largest number"), ("-1E+999", "beyond the largest number"), ("1e-400", "nearer 0 than"),
])
def test_a_score_that_overflows_a_double_gets_a_hint_saying_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, cell: str, said: str
) -> None:
    # '1e400' was 'not a whole number' (infinity), '1e-400' 'off the 1..5 scale' with a hint about a 0..10 survey
    path = tmp_path / "answers.csv"
    path.write_text(f"touchpoint,metric,score\nchoose-delivery-slot,csat,4\nchoose-delivery-slot,csat,{cell}\n", encoding="utf-8")
    exit_code, found = report(capsys, "--responses", path, engine)
    assert exit_code == 1
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [(3, 27, "score")]
    problem = found["problems"][0]
    assert problem["message"] == f"CSAT score {cell} is off the 1..5 answer scale"
    assert said in problem["hint"] and "whole numbers 1..5" in problem["hint"] and "0..10" not in problem["hint"]
    assert csat(found)["n"] == 1


@ENGINES
@pytest.mark.parametrize("cell", ["1e-400", "1e400"])
def test_a_metrics_value_beyond_a_double_is_not_read_as_0_or_infinity(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, cell: str
) -> None:
    path = tmp_path / "table.csv"
    path.write_text(TABLE + f"choose-delivery-slot,csat,{cell},400,2026-Q2\n", encoding="utf-8")
    exit_code, found = report(capsys, "--metrics", path, engine)
    assert exit_code == 1
    assert [(p["line"], p["col"], p["code"]) for p in found["problems"]] == [(4, 27, "metric-value")]
    assert [p["period"] for p in csat(found)["series"]] == ["2026-Q3", "2026-Q4"]


# -- 3. a period of thousands of digits ---------------------------------------------------------------------------


@ENGINES
@pytest.mark.parametrize("option", ["--responses", "--metrics"])
@pytest.mark.parametrize("label", ["9" * 5000, "2026-Q" + "9" * 3000, "1" * 25])
def test_a_period_of_thousands_of_digits_is_impossible_at_its_cell(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, option: str, label: str
) -> None:
    # It was a period of its own, the latest: its 5,000 nines were the touchpoint's period in every report
    path = tmp_path / "periods.csv"
    if option == "--metrics":
        path.write_text(TABLE + f"choose-delivery-slot,csat,60%,400,{label}\n", encoding="utf-8")
        column = 35
    else:
        path.write_text("touchpoint,metric,score,period\nchoose-delivery-slot,csat,4,2026-01\n"
                        f"choose-delivery-slot,csat,3,{label}\n", encoding="utf-8")
        column = 29
    exit_code, found = report(capsys, option, path, engine)
    assert exit_code == 1
    told = [(p["line"], p["col"], p["code"]) for p in found["problems"]]
    assert told == [(3 if option == "--responses" else 4, column, "impossible-period")]
    problem = found["problems"][0]
    assert "digits" in problem["message"] and len(problem["message"]) < 300
    assert label not in json.dumps(found)  # nowhere whole
    assert csat(found)["period"] == ("2026-01" if option == "--responses" else "2026-Q4")


# -- 4. halves, quarters, periods and weeks no calendar has, in every spelling ------------------------------------

IMPOSSIBLE = {
    "a half-year is H1 or H2": ["FY26 H3", "H3 FY26", "FY2026-H3", "FY26 H0", "H3-26", "2026-H3", "H3 2026", "2026H3",
                                "3H2026", "H0 2026", "26H3"],
    "quarters are Q1 to Q4": ["Q5 FY26", "FY26 Q5", "2026-Q5", "Q5-26", "Q5 2026", "5Q2026", "2026 5Q", "26Q5", "2026-Q0",
                              "T5 2026", "5T 2026", "2026T5", "5. Quartal 2026", "Quarter 5 2026"],
    "a fiscal year's periods are P01 to P13": ["FY26 P14", "P14 FY26", "FY26 P0", "2026-P14", "2026 Period 14", "P14 2026",
                                               "2026-P00"],
}


@pytest.mark.parametrize(("label", "why"), [(label, why) for why, labels in IMPOSSIBLE.items() for label in labels]
                         + [("W54 2026", "2026 has ISO weeks W01 to W53"), ("2026W60", "2026 has ISO weeks W01 to W53"),
                            ("KW 54 2026", "2026 has ISO weeks W01 to W53"), ("W53-25", "2025 has ISO weeks W01 to W52")])
def test_a_half_quarter_period_or_week_no_calendar_has_is_impossible_in_every_spelling(label: str, why: str) -> None:
    from journeymap.data.summary import canonical_period, impossible_period

    read, ambiguous = canonical_period(label)
    assert ambiguous is None
    assert impossible_period(read) == why


@pytest.mark.parametrize(("label", "read"), [("FY26 H2", "FY2026-H2"), ("H2-26", "2026-H2"), ("2026 H1", "2026-H1"),
                                             ("FY26 P13", "FY2026-P13"), ("T4 2026", "2026-Q4")])
def test_the_possible_ones_beside_them_are_still_read(label: str, read: str) -> None:
    from journeymap.data.summary import canonical_period, impossible_period

    assert canonical_period(label) == (read, None)
    assert impossible_period(read) is None


@pytest.mark.parametrize("label", ["2026-P03", "P3 2026", "FY95 H3"])
def test_a_possible_period_of_an_unwritten_calendar_stays_ambiguous(label: str) -> None:
    from journeymap.data.summary import canonical_period

    assert canonical_period(label)[1] is not None


@ENGINES
@pytest.mark.parametrize("option", ["--responses", "--metrics"])
def test_an_impossible_half_or_fiscal_period_is_an_error_at_its_cell_in_tables_and_answers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str, option: str
) -> None:
    # 'FY26 H3' was 'cannot be read as one calendar period: it is a fiscal year's'; 'H3-26' a period of its own
    path = tmp_path / "halves.csv"
    if option == "--metrics":
        path.write_text("touchpoint,metric,value,n,period\n" + "".join(
            f"choose-delivery-slot,csat,{value},400,{label}\n" for value, label in
            [("58%", "FY26 H1"), ("63%", "FY26 H2"), ("70%", "FY26 H3"), ("71%", "2026-P14")]), encoding="utf-8")
    else:
        path.write_text("touchpoint,metric,score,period\n" + "".join(
            f"choose-delivery-slot,csat,{score},{label}\n" for score, label in
            [(4, "H1-26"), (5, "H2-26"), (1, "H3-26"), (1, "Q5 FY26")]), encoding="utf-8")
    exit_code, found = report(capsys, option, path, engine)
    assert exit_code == 1
    assert [(p["line"], p["code"], p["level"]) for p in found["problems"]] == [
        (4, "impossible-period", "error"), (5, "impossible-period", "error")]
    assert "(a half-year is H1 or H2)" in found["problems"][0]["message"] and "2026-H1 or 2026-H2" in found["problems"][0]["hint"]
    assert [p["period"] for p in csat(found)["series"]] == (
        ["FY2026-H1", "FY2026-H2"] if option == "--metrics" else ["2026-H1", "2026-H2"])


# -- 5. periods written in the journey file -----------------------------------------------------------------------


def _journey(period: str, broken: bool = False) -> str:
    text = MINIMAL.replace("{id: visit, name: Visits, stage: buy, channel: web}",
                           "{id: visit, name: Visits, stage: buy, channel: web,\n"
                           f"     metrics: {{csat: {{value: 0.8, n: 200, period: '{period}'}}}}}}")
    return text.replace("stage: buy,", "stage: bye,") if broken else text


@pytest.mark.parametrize(("period", "code", "said"), [
    ("2026-13", "impossible-period", "period '2026-13' names no period of the calendar (months are 01 to 12)"),
    ("FY26 H3", "impossible-period", "period 'FY26 H3' names no period of the calendar (a half-year is H1 or H2)"),
    ("Q3", "ambiguous-period", "period 'Q3' cannot be read as one calendar period: its year is not written"),
    ("2026/27", "ambiguous-period", "period '2026/27' cannot be read as one calendar period: it is a fiscal, academic"),
])
def test_a_period_in_the_journey_file_is_checked_as_a_data_files_is(tmp_path: Path, period: str, code: str, said: str) -> None:
    from journeymap.loader import Loader

    path = tmp_path / "j.journey.yaml"
    result = Loader(root=tmp_path).check(path, raw=_journey(period).encode())
    told = [(p.span.line, p.span.col, p.code, p.level) for p in result.problems]
    assert told == [(9, 51, code, "error")]
    assert result.problems[0].message.startswith(f"touchpoint 'visit', csat: {said}")
    assert result.journey is None


def test_a_period_of_twenty_digits_unquoted_in_the_journey_is_impossible(tmp_path: Path) -> None:
    # YAML reads it as a whole number, which the journey keeps as text: it was the value's period, unchecked
    from journeymap.loader import Loader

    text = _journey("2026-Q3").replace("'2026-Q3'", "9" * 25)
    result = Loader(root=tmp_path).check(tmp_path / "j.journey.yaml", raw=text.encode())
    assert [(p.span.line, p.span.col, p.code) for p in result.problems] == [(9, 51, "impossible-period")]
    assert "a number of 25 digits" in result.problems[0].message


@pytest.mark.parametrize("period", ["2026-Q3", "Q3 2026", "FY26 H2", "Sprint 9", "2026", "2026-04-02"])
@pytest.mark.parametrize("quote", ["'", ""])
def test_a_period_the_calendar_has_or_no_calendar_label_loads_quoted_or_not(tmp_path: Path, period: str, quote: str) -> None:
    from journeymap.loader import Loader

    text = _journey(period).replace(f"'{period}'", f"{quote}{period}{quote}")
    result = Loader(root=tmp_path).check(tmp_path / "j.journey.yaml", raw=text.encode())
    assert result.errors == [] and result.journey is not None


def test_validate_reports_an_impossible_journey_period_with_the_other_errors_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "j.journey.yaml"
    path.write_text(_journey("2026-13", broken=True), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:9:51: error[impossible-period]: touchpoint 'visit', csat: period '2026-13' names no period" in out
    assert "error[unknown-reference]" in out


def test_the_sample_journeys_still_load_without_a_period_problem() -> None:
    from journeymap.loader import check

    for path in sorted((ROOT / "sample_journeys").glob("*.yaml")):
        result = check(path)
        assert result.journey is not None, path
        assert not [p for p in result.problems if "period" in p.code], path

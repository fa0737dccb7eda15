"""Data files in Windows-1252, Latin-1 or Mac Roman read as they are (``--data-encoding``, ``EngineOptions.encoding``).

Excel on Windows saves 'CSV' in Windows-1252, Excel for Mac 'CSV (Macintosh)' in Mac Roman: such a file was an
``encoding`` error and left out whole. Told its encoding, every engine reads it, and says the same as of the same
file in UTF-8."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from journeymap.cli import main
from journeymap.data import load_metric_data
from journeymap.data.engines import EngineOptions
from journeymap.loader import load

pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"

ANSWERS = [
    "touchpoint,metric,score,persona,comment",
    "rate-first-order,csat,4,Parent press\u00e9,\u201cTr\u00e8s bien\u201d \u2013 it\u2019s quick",
    "rate-first-order,csat,2,Parent press\u00e9,\"Paid 12 \u20ac for delivery, caf\u00e9 not there\"",
    "rate-first-order,csat,5,,na\u00efve but fine",
    "choose-delivery-slot,csat,1,Parent press\u00e9,\u201cno slot\u201d for days",
    "choose-delivery-slot,nps,9,,\u00c9l\u00e8ve: fine",
]


def journey_with_accented_persona(folder: Path) -> Path:
    """The sample journey, its persona 'Busy parent' named 'Parent pressé' (the survey's persona column writes it so)."""
    import shutil

    shutil.copytree(SAMPLE.parent / "library", folder / "library", dirs_exist_ok=True)  # its imports
    path = folder / "grocery.journey.yaml"
    path.write_text(SAMPLE.read_text(encoding="utf-8").replace("name: Busy parent", "name: Parent press\u00e9"),
                    encoding="utf-8")
    return path


def write(path: Path, lines: list[str], codec: str, end: str = "\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((end.join(lines) + end).encode(codec))
    return path


def report(capsys: pytest.CaptureFixture[str], journey: Path, *options: str) -> tuple[int, dict[str, object]]:
    code = main(["report", str(journey), "--format", "json", *options])
    return code, json.loads(capsys.readouterr().out)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_the_same_answers_in_windows_1252_give_the_same_report_as_in_utf8(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, engine: str
) -> None:
    journey = journey_with_accented_persona(tmp_path)
    write(tmp_path / "utf8" / "answers.csv", ANSWERS, "utf-8")
    write(tmp_path / "cp" / "answers.csv", ANSWERS, "cp1252")
    monkeypatch.chdir(tmp_path)
    code, told = report(capsys, journey, "--engine", engine, "--responses", "utf8/answers.csv")
    code_1252, told_1252 = report(capsys, journey, "--engine", engine, "--responses", "cp/answers.csv",
                                  "--data-encoding", "windows-1252")
    assert code == code_1252 == 0
    assert json.dumps(told_1252).replace("cp/answers.csv", "utf8/answers.csv") == json.dumps(told)
    # read as written: the comments' accents, euro sign and curly quotes, the persona by its accented name
    assert "na\u00efve but fine" in json.dumps(told_1252, ensure_ascii=False)
    assert not [p for p in told_1252["problems"] if p["code"] in ("encoding", "unknown-persona")]  # type: ignore[attr-defined, index]
    # without the option the file is the error it was
    code, told = report(capsys, journey, "--engine", engine, "--responses", "cp/answers.csv")
    assert code == 1 and [p["code"] for p in told["problems"] if p["level"] == "error"] == ["encoding"]  # type: ignore[attr-defined, index]


def test_duckdb_reads_the_windows_1252_answers_itself(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The DuckDB engine reads a UTF-8 copy (as of a UTF-16 file): it does not hand the file to the row reader."""
    from journeymap.data import responses

    def not_by_row(*args: object, **kwargs: object) -> object:
        raise AssertionError("read by the row reader")

    monkeypatch.setattr(responses, "read_responses_by_row", not_by_row)
    journey = load(journey_with_accented_persona(tmp_path))
    answers = write(tmp_path / "answers.csv", ANSWERS, "cp1252")
    data = load_metric_data(journey, responses=answers, engine="duckdb", event_options=EngineOptions(encoding="cp1252"))
    assert data.get("rate-first-order", "csat") is not None and not data.errors
    assert "na\u00efve but fine" in repr(data.verbatims)


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_metrics_table_in_windows_1252_with_semicolons_and_euro_amounts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    table = ["touchpoint;metric;value;n;comment", "rate-first-order;csat;71,5 %;120;r\u00e9sum\u00e9",
             "rate-first-order;clv;1.234,50 \u20ac;;\u201cpeak\u201d"]
    utf8 = write(tmp_path / "utf8" / "m.csv", table, "utf-8")
    cp1252 = write(tmp_path / "cp" / "m.csv", table, "cp1252")
    _, told = report(capsys, SAMPLE, "--engine", engine, "--metrics", str(utf8))
    _, told_1252 = report(capsys, SAMPLE, "--engine", engine, "--metrics", str(cp1252), "--data-encoding", "cp1252")
    assert json.dumps(told_1252).replace(str(cp1252), str(utf8)) == json.dumps(told)
    rate = next(t for t in told_1252["touchpoints"] if t["id"] == "rate-first-order")  # type: ignore[attr-defined]
    assert rate["metrics"]["clv"]["value"] == 1234.5 and rate["metrics"]["csat"]["value"] == 0.715


EVENTS = [
    "customer,timestamp,touchpoint,outcome,segment",
    "Ren\u00e9e,2026-09-10T15:51:00Z,see-social-ad,,Parent press\u00e9",
    "Ren\u00e9e,2026-09-10T15:57:00Z,check-postcode,,Parent press\u00e9",
    "Ren\u00e9e,2026-09-10T16:00:00Z,Caf\u00e9-d\u00e9tour,,Parent press\u00e9",
    "Zo\u00eb,2026-09-11T10:00:00Z,see-social-ad,,",
    "Zo\u00eb,2026-09-11T10:05:00Z,Cr\u00e8me-br\u00fbl\u00e9e-offer,failure,",
]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_an_event_log_in_windows_1252_reads_as_in_utf8(tmp_path: Path, engine: str) -> None:
    from journeymap.data.events import read_events

    journey = load(SAMPLE)
    utf8 = write(tmp_path / "utf8" / "log.csv", EVENTS, "utf-8")
    cp1252 = write(tmp_path / "cp" / "log.csv", EVENTS, "cp1252")
    points, summary, problems = read_events([utf8], journey, engine=engine)
    points_1252, summary_1252, problems_1252 = read_events([cp1252], journey, engine=engine,
                                                           options=EngineOptions(encoding="windows-1252"))
    assert summary_1252.customers == summary.customers == 2
    assert repr(points_1252) == repr(points).replace(str(utf8), str(cp1252))
    assert [(p.span.line, p.span.col, p.code, p.message) for p in problems_1252] == [
        (p.span.line, p.span.col, p.code, p.message.replace(str(utf8), str(cp1252))) for p in problems]
    assert "journeymap-encoding-" not in repr(problems_1252) + repr(summary_1252)  # the file named, never its copy
    assert "Caf\u00e9-d\u00e9tour" in repr(summary_1252)
    assert not [p for p in problems_1252 if p.code == "encoding"]


def test_a_mac_roman_file_with_carriage_returns_alone(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Excel for Mac's 'CSV (Macintosh)': Mac Roman, lines ended by a carriage return alone."""
    utf8 = write(tmp_path / "utf8" / "mac.csv", ANSWERS, "utf-8", "\r")
    mac = write(tmp_path / "mac" / "mac.csv", ANSWERS, "mac_roman", "\r")
    journey = journey_with_accented_persona(tmp_path)
    for engine in ("duckdb", "python"):
        _, told = report(capsys, journey, "--engine", engine, "--responses", str(utf8))
        code, told_mac = report(capsys, journey, "--engine", engine, "--responses", str(mac), "--data-encoding", "mac-roman")
        assert code == 0, told_mac
        assert json.dumps(told_mac).replace(str(mac), str(utf8)) == json.dumps(told), engine


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_byte_with_no_character_in_the_code_page_is_an_error_at_its_place(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_bytes("touchpoint,metric,score,comment\nrate-first-order,csat,4,caf\u00e9\n".encode("cp1252")
                        + b"rate-first-order,csat,5,ok \x81 here\n")
    code, told = report(capsys, SAMPLE, "--engine", engine, "--responses", str(answers), "--data-encoding", "windows-1252")
    assert code == 1
    [error] = [p for p in told["problems"] if p["level"] == "error"]  # type: ignore[attr-defined]
    assert (error["file"], error["line"], error["col"], error["code"]) == (str(answers), 3, 28, "encoding")
    assert error["message"].startswith("the byte 0x81 is no character in Windows-1252")
    assert "latin-1" in error["hint"]


def test_a_byte_with_no_character_in_an_event_log(tmp_path: Path) -> None:
    from journeymap.data.events import read_events

    log = tmp_path / "log.csv"
    log.write_bytes(b"customer,timestamp,touchpoint\nc1,2026-09-10T15:51:00Z,see-\x8dsocial-ad\n")
    for engine in ("duckdb", "python"):
        _, _, problems = read_events([log], load(SAMPLE), engine=engine, options=EngineOptions(encoding="cp1252"))
        assert [(p.span.file, p.span.line, p.span.col, p.code, p.level) for p in problems if p.code == "encoding"] == [
            (str(log), 2, 29, "encoding", "error")], engine


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_utf8_file_read_as_windows_1252_is_read_as_told_with_a_warning(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    answers = write(tmp_path / "answers.csv", ["touchpoint,metric,score,comment", "rate-first-order,csat,4,Tr\u00e8s bien",
                                               "rate-first-order,csat,5,12 \u20ac well spent"], "utf-8")
    code, told = report(capsys, SAMPLE, "--engine", engine, "--responses", str(answers), "--data-encoding", "windows-1252")
    warned = [p for p in told["problems"] if p["code"] == "encoding"]  # type: ignore[attr-defined]
    assert [(p["level"], p["line"], p["col"]) for p in warned] == [("warning", 2, 27)]
    assert warned[0]["message"] == ("the file is UTF-8 text, read as Windows-1252 as told: its bytes 0xc3 0xa8 here are"
                                    " '\u00e8' in UTF-8, read as '\u00c3\u00a8'")
    assert "leave out --data-encoding" in warned[0]["hint"]
    assert code == 0  # read as told: its comments hold the mojibake
    assert "\u00c3" in json.dumps(told["verbatims"] if "verbatims" in told else told, ensure_ascii=False)


def test_a_utf8_file_with_a_curly_quote_is_no_windows_1252(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A closing curly quote in UTF-8 ends in 0x9D, no character in Windows-1252: the error says the file is UTF-8."""
    answers = write(tmp_path / "answers.csv", ANSWERS, "utf-8")
    code, told = report(capsys, SAMPLE, "--responses", str(answers), "--data-encoding", "windows-1252")
    [error] = [p for p in told["problems"] if p["code"] == "encoding"]  # type: ignore[attr-defined]
    assert (code, error["level"], error["line"], error["col"]) == (1, "error", 2, 49)
    assert error["message"] == ("the byte 0x9d is no character in Windows-1252 (it is part of '\u201d' in UTF-8): the file"
                                " is UTF-8 text, not Windows-1252, and is not read")
    assert error["hint"].startswith("leave out --data-encoding to read it as UTF-8")


def test_an_unknown_encoding_is_a_usage_error_with_a_guess(capsys: pytest.CaptureFixture[str]) -> None:
    answers = SAMPLE.parent / "data" / "grocery-first-order.survey.csv"
    assert main(["report", str(SAMPLE), "--responses", str(answers), "--data-encoding", "windows-1525"]) == 2
    err = capsys.readouterr().err
    assert "--data-encoding: unknown encoding 'windows-1525'" in err and "did you mean 'windows-1252'?" in err
    # and it needs data files to read
    assert main(["report", str(SAMPLE), "--data-encoding", "latin-1"]) == 2
    assert "--data-encoding needs data files" in capsys.readouterr().err


@pytest.mark.parametrize("name, codec", [
    ("windows-1252", "cp1252"), ("cp1252", "cp1252"), ("latin-1", "iso8859_1"), ("ISO-8859-1", "iso8859_1"),
    ("iso-8859-15", "iso8859_15"), ("mac-roman", "mac_roman"), ("macintosh", "mac_roman"), ("utf-8", "utf_8"),
    ("utf-8-sig", "utf_8_sig"), ("utf-16", "utf_16"), ("latin1", "iso8859_1"), ("MacRoman", "mac_roman"),
])
def test_encoding_names_and_aliases(name: str, codec: str) -> None:
    from journeymap.data.encoding import codec_of

    assert codec_of(name) == codec


def test_no_text_codec_is_an_encoding(capsys: pytest.CaptureFixture[str]) -> None:
    from journeymap.data.encoding import codec_of

    with pytest.raises(ValueError, match="unknown encoding 'base64'"):
        codec_of("base64")


def test_the_not_utf8_error_names_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path / "answers.csv", ANSWERS, "cp1252")
    mac = write(tmp_path / "mac.csv", ANSWERS, "mac_roman", "\r")
    log = write(tmp_path / "log.csv", EVENTS, "cp1252")
    hints = []
    for data in (["--responses", str(answers)], ["--responses", str(mac)], ["--events", str(log)]):
        _, told = report(capsys, SAMPLE, *data)
        hints += [p["hint"] for p in told["problems"] if p["code"] == "encoding"]  # type: ignore[attr-defined]
    assert hints == [
        "save it as UTF-8 (in Excel: 'CSV UTF-8'); a Windows or Latin-1 file converts with iconv -f WINDOWS-1252 -t UTF-8"
        " FILE > NEW, or is read as it is with --data-encoding windows-1252 (EngineOptions(encoding='windows-1252') in Python)",
        "save it as UTF-8 (in Excel: 'CSV UTF-8'); a file saved by Excel for Mac as 'CSV (Macintosh)' (its lines end in a"
        " carriage return alone) is Mac Roman text, and converts with iconv -f MACINTOSH -t UTF-8 FILE > NEW, or is read as"
        " it is with --data-encoding mac-roman (EngineOptions(encoding='mac-roman') in Python)",
        "save it as UTF-8 (in Excel: 'CSV UTF-8'); a Windows or Latin-1 file converts with iconv -f WINDOWS-1252 -t UTF-8"
        " FILE > NEW, or is read as it is with --data-encoding windows-1252 (EngineOptions(encoding='windows-1252') in Python)",
    ]
    # and so read, the file is
    assert report(capsys, SAMPLE, "--responses", str(answers), "--data-encoding", "windows-1252")[0] == 0


def test_every_command_that_reads_data_files_takes_the_option(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ("report", "render", "calibrate", "diff"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        assert "--data-encoding ENC" in capsys.readouterr().out, command


def test_a_folder_of_gzipped_and_partitioned_logs_in_windows_1252(tmp_path: Path) -> None:
    """Each file of a folder is read through its copy: a .csv.gz too, a hive partition's segment kept, and the log
    named by its folder as without the option."""
    import gzip

    from journeymap.data.engines import JourneyFacts, get_engine

    facts = JourneyFacts.of(load(SAMPLE))
    for codec, folder in (("utf-8", tmp_path / "utf8"), ("cp1252", tmp_path / "cp")):
        write(folder / "segment=caf\u00e9" / "a.csv", EVENTS[:4], codec)
        (folder / "b.csv.gz").write_bytes(gzip.compress(("\n".join([EVENTS[0], *EVENTS[4:]]) + "\n").encode(codec)))
    for engine in ("duckdb", "python"):
        utf8 = get_engine(engine)[1]([tmp_path / "utf8"], facts, EngineOptions())
        cp = get_engine(engine)[1]([tmp_path / "cp"], facts, EngineOptions(encoding="windows-1252"))
        assert cp.comparable() == utf8.comparable(), engine
        assert utf8.customers == 2 and sorted(c.segment for c in cp.cohorts) == ["", "Parent press\u00e9"], engine
        assert cp.files == [str(tmp_path / "cp") + " (2 files)"], engine
        assert repr(cp.problems) == repr(utf8.problems).replace(str(tmp_path / "utf8"), str(tmp_path / "cp")), engine


def test_a_file_with_a_byte_order_mark_is_read_by_its_mark(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = tmp_path / "answers.csv"
    answers.write_bytes(b"\xef\xbb\xbf" + ("\n".join(ANSWERS) + "\n").encode("utf-8"))
    code, told = report(capsys, SAMPLE, "--responses", str(answers), "--data-encoding", "windows-1252")
    warned = [(p["line"], p["col"], p["level"], p["message"]) for p in told["problems"] if p["code"] == "encoding"]  # type: ignore[attr-defined]
    assert warned == [(1, 1, "warning", "the file starts with UTF-8's byte-order mark, so it is read as UTF-8, not as"
                                        " Windows-1252")]
    assert code == 0 and "na\u00efve but fine" in json.dumps(told, ensure_ascii=False)


def test_a_parquet_log_is_read_as_without_the_option() -> None:
    from journeymap.data.engines import JourneyFacts, get_engine

    parquet = SAMPLE.parent / "data" / "grocery-first-order.events.parquet"
    facts = JourneyFacts.of(load(SAMPLE))
    for engine in ("duckdb",):  # (the row reader needs pyarrow for Parquet)
        told = get_engine(engine)[1]([parquet], facts, EngineOptions(encoding="mac-roman"))
        assert told.comparable() == get_engine(engine)[1]([parquet], facts, EngineOptions()).comparable()
        assert told.customers > 0 and not told.problems, engine


def test_spark_reads_an_event_log_in_windows_1252(tmp_path: Path) -> None:
    """Spark reads the UTF-8 copy too: the same events, rows, problems and names as the reference."""
    pytest.importorskip("pyspark")
    import shutil

    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    from spark_helpers import start_spark

    from journeymap.data.engines import python
    from journeymap.data.engines import spark as on_spark

    log = write(tmp_path / "log.csv", [*EVENTS, "Ren\u00e9e,not a time,check-postcode,,"], "cp1252")
    options = EngineOptions(encoding="windows-1252")
    from journeymap.data.encoding import read_as

    session = start_spark()
    try:  # (as every engine is run: get_engine's wrapper reads within read_as)
        with read_as(options.encoding):
            events, rows, found, names = on_spark.checked_events([log], options)
    finally:
        session.stop()
    with read_as(options.encoding):
        reference = python.checked_events([log])
    assert (sorted(events, key=repr), rows, names) == (sorted(reference[0], key=repr), reference[1], reference[3])
    assert repr(sorted(found, key=repr)) == repr(sorted(reference[2], key=repr))
    assert names == [str(log)] and any("Caf\u00e9-d\u00e9tour" in e[2] for e in events)
    assert [(p.span.line, p.code) for p in found] == [(7, "invalid-timestamp")]


@pytest.mark.parametrize("block", [1, 2, 5, 64])
def test_files_are_copied_a_block_at_a_time_with_the_same_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, block: int
) -> None:
    """The copy is written a block at a time (a log of any size in bounded memory): a CRLF, a UTF-8 letter or a
    UTF-16 character cut by a block's end changes no place and no character."""
    from journeymap.data import encoding

    def told(path: Path, codec: str) -> list[tuple[int, int, str, str]]:
        data = load_metric_data(load(SAMPLE), responses=path, engine="python", event_options=EngineOptions(encoding=codec))
        return [(p.span.line, p.span.col, p.level, p.message) for p in data.problems if p.code == "encoding"] + [
            (0, 0, "", repr(data.verbatims))]

    lines = ["touchpoint,metric,score,comment", "rate-first-order,csat,4,caf\u00e9 \u20ac", "rate-first-order,csat,2,\u00fcber"]
    cases = [
        (write(tmp_path / "crlf.csv", lines, "cp1252", "\r\n"), "cp1252"),
        (write(tmp_path / "utf8.csv", lines, "utf-8", "\r\n"), "latin-1"),
        (write(tmp_path / "wide.csv", [*lines, "rate-first-order,csat,5,\U0001f600"], "utf-16-le", "\r\n"), "utf-16-le"),
    ]
    undefined = tmp_path / "undefined.csv"
    undefined.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\nrate-first-order,csat,5,x\x81\r\n")
    cases.append((undefined, "cp1252"))
    expected = [told(path, codec) for path, codec in cases]
    monkeypatch.setattr(encoding, "_BLOCK", block)
    assert [told(path, codec) for path, codec in cases] == expected
    assert expected[1][0][:3] == (2, 28, "warning") and expected[3][0][:2] == (4, 26)
    assert "\U0001f600" in expected[2][-1][3] and "caf\u00e9 \u20ac" in expected[0][-1][3]


def test_padding_after_the_last_row_is_told_in_the_file_s_own_bytes(tmp_path: Path) -> None:
    """NULs after the last row (a preallocated log): the warning's head -c line counts the file's bytes, not its UTF-8
    copy's, so that it keeps the file's text whole (a UTF-16 file's copy is shorter: it cut the text)."""
    from journeymap.data.events import read_events

    text = "touchpoint,metric,score,comment\r\nrate-first-order,csat,4,caf\u00e9 \u20ac\r\n"
    cases = [(tmp_path / "a.csv", text.encode("cp1252") + bytes(200), "cp1252", 65),
             (tmp_path / "wide.csv", text.encode("utf-16-le") + bytes(100), "utf-16-le", 130)]
    # a file shorter than 64 bytes: its NULs were in the start that says whether it is text, and it was left unread
    short = "touchpoint,metric,score,comment\nrate-first-order,csat,4,\u00e9\n"
    cases.append((tmp_path / "short.csv", short.encode("cp1252") + bytes(20), "cp1252", 58))
    log = tmp_path / "log.csv"
    log.write_bytes("customer,timestamp,touchpoint\nRen\u00e9e,2026-09-10T15:51:00Z,see-social-ad\n".encode("cp1252") + b"\x1a")
    for path, raw, codec, keep in cases:
        path.write_bytes(raw)
        for engine in ("duckdb", "python"):
            data = load_metric_data(load(SAMPLE), responses=path, engine=engine, event_options=EngineOptions(encoding=codec))
            [padding] = [p for p in data.problems if p.code == "padding"]
            assert padding.hint == f"nothing is lost; head -c {keep} FILE > NEW writes the file without them", (path, engine)
            assert raw[:keep].decode(codec) in (text, short)
    for engine in ("duckdb", "python"):
        _, _, told = read_events([log], load(SAMPLE), engine=engine, options=EngineOptions(encoding="cp1252"))
        assert [p.hint for p in told if p.code == "padding"] == [
            "nothing is lost; head -c 71 FILE > NEW writes the file without them"], engine


def test_a_remote_log_under_an_encoding_is_an_error_not_a_utf8_reading() -> None:
    """Spark reads a remote log (s3a://...) on its cluster, where no UTF-8 copy is made: read as UTF-8, each row with
    an accent would be a bad row. It is an error and is not read (no session is started for nothing)."""
    pytest.importorskip("pyspark")
    from journeymap.data.engines import JourneyFacts, get_engine

    remote = "s3a://bucket/logs/events.csv"  # as Spark is given it: a Path would keep one slash
    tables = get_engine("spark")[1]([remote], JourneyFacts.of(load(SAMPLE)),  # type: ignore[list-item]
                                    EngineOptions(encoding="windows-1252"))
    assert [(p.span.file, p.code, p.level) for p in tables.problems] == [("s3a://bucket/logs/events.csv", "encoding", "error")]
    assert tables.problems[0].message.startswith("--data-encoding Windows-1252 is not applied to a remote log")
    assert tables.customers == 0


def test_render_calibrate_and_diff_read_with_the_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    answers = write(tmp_path / "a.csv", ANSWERS[:4], "cp1252")
    log = tmp_path / "log.csv"
    calibrate_log = (SAMPLE.parent / "data" / "grocery-first-order.calibrate.events.csv").read_text(encoding="utf-8")
    log.write_bytes(calibrate_log.replace("c000000,", "Ren\u00e9e,").encode("cp1252"))
    runs = {
        "render": ["render", str(SAMPLE), "--responses", str(answers), "--to", "dot", "-o", str(tmp_path / "out")],
        "calibrate": ["calibrate", str(SAMPLE), "--events", str(log)],
        "diff": ["diff", str(SAMPLE), str(SAMPLE), "--responses", str(answers)],
    }
    for command, argv in runs.items():
        main(argv)
        told = capsys.readouterr()
        assert "error[encoding]" in told.out + told.err, command
        assert main([*argv, "--data-encoding", "windows-1252"]) == 0, command
        assert "encoding" not in capsys.readouterr().err, command


def test_a_wide_file_s_duckdb_statement_reads_it_converted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wide export told to be written long with DuckDB: the statement read the Windows-1252 file itself, which
    DuckDB refuses ("Invalid unicode"); it now says how to convert it first, and reads the converted file."""
    import shlex
    import shutil
    import subprocess

    import duckdb

    if shutil.which("iconv") is None:
        pytest.skip("iconv")
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "wide.csv", ["ResponseId,touchpoint,NPS,CSAT,Comment", "R1,rate-first-order,9,4,caf\u00e9 \u20ac"], "cp1252")
    for engine in ("duckdb", "python"):
        _, told = report(capsys, SAMPLE, "--engine", engine, "--responses", "wide.csv", "--data-encoding", "windows-1252")
        [hint] = [p["hint"] for p in told["problems"] if p["code"] == "missing-column"]  # type: ignore[attr-defined]
        convert, statement = hint.split("as DuckDB does not read Windows-1252: ")[1].split("; then with DuckDB: ")
        assert convert == "iconv -f WINDOWS-1252 -t UTF-8 wide.csv > wide.utf8.csv", engine
    with open("wide.utf8.csv", "wb") as out:
        subprocess.run(shlex.split(convert.split(" > ")[0]), stdout=out, check=True)
    duckdb.sql(statement.removesuffix(")"))  # (the hint's own parenthesis closes after it)
    assert sorted(duckdb.sql("SELECT metric, score, Comment FROM 'long.csv'").fetchall()) == [
        ("csat", 4, "caf\u00e9 \u20ac"), ("nps", 9, "caf\u00e9 \u20ac")]

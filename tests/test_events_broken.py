"""Broken event logs through every engine: the same numbers and the same problems, in the same words and places.

Each case is a small log written by :func:`broken_logs` (the lead's fuzz cases,
extended). Every case runs through DuckDB and the pure-Python reference; a
representative few through Spark too, on one session shared by the module.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from journeymap.data.engines import EngineOptions, EventTables, JourneyFacts, get_engine
from journeymap.data.engines.rows import TIMESTAMP_HINT
from journeymap.loader import load
from journeymap.problems import Problem

pytest.importorskip("duckdb")

ROOT = Path(__file__).resolve().parents[1]
JOURNEY = ROOT / "sample_journeys" / "grocery-first-order.journey.yaml"
HEADER = "customer,timestamp,touchpoint,outcome\n"
AD, POSTCODE = "see-social-ad", "check-postcode"


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode(), mtime=0)


def _parquet(path: Path, rows: list[tuple[str, int, str]]) -> list[Path]:
    """A Parquet log of (customer, timestamp as a BIGINT, touchpoint) rows, written by DuckDB."""
    import duckdb

    path.parent.mkdir(parents=True, exist_ok=True)
    values = ", ".join(f"('{c}', CAST({t} AS BIGINT), '{tp}')" for c, t, tp in rows)
    with duckdb.connect() as con:
        con.execute(f"COPY (SELECT * FROM (VALUES {values}) AS v(customer, timestamp, touchpoint)) TO '{path}' (FORMAT parquet)")
    return [path]


def broken_logs() -> dict[str, Callable[[Path], list[Path]]]:
    """Case name -> a function that writes the case under a folder and returns what to read."""

    def files(**contents: bytes | str) -> Callable[[Path], list[Path]]:
        def write(folder: Path) -> list[Path]:
            paths = []
            for name, content in contents.items():
                path = folder / name.replace("__", "/").replace("_dot_", ".")
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content if isinstance(content, bytes) else content.encode())
                paths.append(path)
            return paths

        return write

    rows = f"c1,2026-01-01T10:00:00Z,{AD},\nc1,2026-01-01T10:05:00Z,{POSTCODE},\n"
    many = [f"c{i},2026-01-01T10:00:00Z,{AD}," for i in range(3000)]
    return {
        # a CRM export of dates only: every step of a day at one moment (their order the tie rule's)
        "dates-only": files(log_dot_csv=HEADER + "".join(f"c{i},2026-01-0{1 + i % 3},{tp},\n" for i in range(30)
                                                         for tp in (AD, POSTCODE, "zz-ad-hoc"))),
        "bad-outcome": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},WIN\n"),
        # a first line past csv's 128 KiB field limit (a minified HTML page saved as .csv): was exit 3
        "first-line-past-128-kib": files(log_dot_csv="<html>" + "x" * 140_000),
        # a JSON array on one line named .csv (jq -s): one error, not a header of thousands of columns
        "json-array-named-csv": files(log_dot_csv="[" + ", ".join(
            f'{{"customer": "c{i}", "timestamp": "2026-09-01T10:00:00Z", "touchpoint": "{AD}"}}' for i in range(3000)) + "]"),
        # an offset is under 18 hours (Spark's limit) and its minutes under an hour: +25:00 moved a step by a day
        "offsets-out-of-range": files(log_dot_csv=HEADER + f"c1,2026-09-28T10:00:00+25:00,{AD},\nc1,2026-09-28T12:00:00Z,{POSTCODE},\n"
                                      f"c2,2026-09-28T10:00:00+12:60,{AD},\nc2,2026-09-28T10:00:00-17:59,{POSTCODE},\n"
                                      f"c3,2026-09-28T10:00:00+1800,{AD},\nc3,2026-09-28T10:00:00+14:00,{POSTCODE},\n"),
        "bad-timestamps": files(log_dot_csv=HEADER + f"c1,yesterday,{AD},\nc1,2026-13-01T10:00:00Z,{POSTCODE},\n"
                                f"c2,1790000000,{AD},\nc3,2026-01-01 10:00:00+05:30,{AD},\n"),
        "binary": files(log_dot_csv=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        # files that are something else under a text file's name: said what they are
        "excel-workbook": files(log_dot_csv=b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00b\xee\x9dh^\x01\x00\x00[Content_Types].xml"),
        "gzip-named-csv": files(log_dot_csv=_gzip(HEADER + rows)),
        "utf-16": files(log_dot_csv=(HEADER + rows).encode("utf-16")),
        # without a byte-order mark: its NULs are valid UTF-8, and the header was '\x00c\x00u...', missing columns
        "utf-16-le-no-bom": files(log_dot_csv=(HEADER + rows).encode("utf-16-le")),
        "utf-16-be-no-bom": files(log_dot_jsonl=(HEADER + rows).encode("utf-16-be")),
        # what a file is, said with its fix: it was UTF-16 (UTF-32's byte-order mark starts as UTF-16's),
        # a header of '\x00' columns or "its header: empty", or "name it .csv.gz" of a .csv.gz
        "utf-32": files(log_dot_csv=(HEADER + rows).encode("utf-32")),
        "utf-32-le-no-bom": files(log_dot_csv=(HEADER + rows).encode("utf-32-le")),
        "utf-32-be-no-bom": files(log_dot_jsonl=(HEADER + rows).encode("utf-32-be")),
        "nul-bytes": files(log_dot_csv=bytes(4096)),
        "nul-bytes-jsonl": files(log_dot_jsonl=bytes(100_000) + HEADER.encode()),
        "sqlite-named-csv": files(log_dot_csv=b"SQLite format 3\x00" + bytes(200) + b"CREATE TABLE events"),
        "gzip-in-gzip": files(log_dot_csv_dot_gz=gzip.compress(_gzip(HEADER + rows), mtime=0)),
        "parquet-in-gzip": files(log_dot_csv_dot_gz=gzip.compress(b"PAR1" + bytes(40) + b"PAR1", mtime=0)),
        # a file named .parquet that is not Parquet: CSV was "damaged (cut short...)" on DuckDB and Spark and
        # "needs pyarrow" on the reference; a gzipped Parquet file was "damaged" too
        "csv-named-parquet": files(log_dot_parquet=HEADER + rows),
        "jsonl-named-parquet": files(log_dot_parquet='{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'),
        "gzip-csv-named-parquet": files(log_dot_parquet=_gzip(HEADER + rows)),
        "gzip-parquet": files(log_dot_parquet_dot_gz=gzip.compress(b"PAR1" + bytes(40) + b"PAR1", mtime=0)),
        "nul-bytes-parquet": files(log_dot_parquet=bytes(1000)),
        "png-named-parquet": files(log_dot_parquet=b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))),
        "bom": files(log_dot_csv="\ufeff" + HEADER + rows),
        "duplicate-header": files(log_dot_csv=f"customer,timestamp,touchpoint,touchpoint\nc1,2026-01-01T10:00:00Z,{AD},x\n"),
        "empty": files(log_dot_csv=b""),
        "gzip": files(log_dot_csv_dot_gz=_gzip(HEADER + rows)),
        # JSON lines gzipped under a name that says no format: Segment's S3 copies (1568922342133.a3b4c.gz), Kinesis
        # Firehose's objects; and a CSV so named, read as before
        "gzip-json-lines-unnamed": files(**{"log__1568922342133_dot_a3b4c_dot_gz": _gzip(
            f'{{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\n'
            f'{{"customer":"c1","timestamp":"2026-01-01T10:05:00Z","touchpoint":"{POSTCODE}"}}\n'),
            "log__firehose-1-2026-01-01-10-00-00-uuid_dot_gz": _gzip(f'\n{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\n'),
            "log__export_dot_gz": _gzip(HEADER + f"c3,2026-01-01T10:00:00Z,{AD},\n")}),
        "gzip-cut-short": files(log_dot_csv_dot_gz=_gzip(HEADER + rows * 200)[:150]),
        "header-only": files(log_dot_csv=HEADER),
        # customer 0, a logger's default for a visitor without an id: 30 anonymous events strung into one customer's path;
        # and a log whose ids start at 0, where 0 is a customer like the others
        "customer-zero-placeholder": files(log_dot_csv=HEADER + "".join(
            f"c{i},2026-01-01T10:00:0{i}Z,{AD},\nc{i},2026-01-01T10:05:0{i}Z,{POSTCODE},\n" for i in range(1, 6)) + "".join(
            f"0,2026-01-01T1{i % 10}:{i:02d}:00Z,{(AD, POSTCODE)[i % 2]},\n" for i in range(30))),
        "customer-zero-real": files(log_dot_jsonl="".join(
            f'{{"customer": {i}, "timestamp": "2026-01-01T10:0{i % 10}:00Z", "touchpoint": "{tp}"}}\n'
            for i in range(20) for tp in (AD, POSTCODE)) + f'{{"customer": 0, "timestamp": "2026-01-01T11:00:00Z", "touchpoint": "{AD}"}}\n'),
        # dates with dots, day first as every locale writing them does; the impossible ones bad rows
        "dotted-dates": files(log_dot_csv=HEADER + f"c1,05.01.2026 09:14:00,{AD},\nc1,5.1.2026 9:20,{POSTCODE},\nc2,31.02.2026,{AD},\n"
                              f"c3,05.13.2026,{AD},\nc4,05.01.95,{AD},\nc5,05.01.26,{AD},\nc6,05.01.2026 25:00,{AD},\n"
                              f"c7,05.01.2026 9:14 PM,{AD},\nc8,05.01.2026. 09:14,{AD},\nc9,5. 1. 2026,{AD},\n"
                              f"c10,14.01.2026T09:14:00.123456,{AD},\nc11,05.01.2026 09:14:00+01:00,{AD},\nc12,00.01.2026,{AD},\n"
                              # 24:00, which DuckDB's cast reads as the next day's midnight
                              f"c13,05.01.2026 24:00,{AD},\n"),
        # what old systems and loggers leave after the last row: DOS's end-of-file mark (copy /b), NULs of a preallocated
        # file; each was a row-shape error (a "footer") or a bad JSON line, though every row was read. A NUL in a row stays.
        "padded-dos-eof": files(log_dot_csv=(HEADER + rows).replace("\n", "\r\n").encode() + b"\x1a",
                                log_dot_jsonl=f'{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}'.encode() + b"\x1a"),
        "padded-nuls": files(log_dot_csv=(HEADER + f"c0,2026-01-01T10:00:00Z,{AD},\x00\n" + rows).encode() + bytes(70_000),
                             log_dot_jsonl_dot_gz=gzip.compress(f'{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\n'.encode()
                                                                + bytes(3000), mtime=0)),
        "hostile": files(log_dot_csv=HEADER + "c1,2026-01-01T10:00:00Z,<script>alert(1)</script>,\n"
                         "c1,2026-01-01T10:01:00Z,\x1b[31mred\x1b[0m,\nc2,2026-01-01T10:00:00Z,\u202eevil,\n"),
        "latin-1": files(log_dot_csv=(HEADER + "c1,2026-01-01T10:00:00Z,caf\xe9,\n").encode("latin-1")),
        "not-utf8-late": files(log_dot_csv=(HEADER + "\n".join(many) + "\n").encode() + b"c9,2026-01-01,caf\xe9,\n" + rows.encode()),
        # past the first 64 KiB: a row of the wrong shape with such bytes is one bad row (encoding)
        "not-utf8-late-ragged": files(log_dot_csv=(HEADER + "\n".join(many) + "\n").encode()
                                      + b"c9,2026-01-01,caf\xe9,,x\n" + rows.encode()),
        "not-utf8-late-json": files(log_dot_jsonl=("\n".join(
            f'{{"customer":"c{i}","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}' for i in range(1500)) + "\n").encode()
            + b'{"customer":"c9","timestamp":"2026-01-01T10:00:00Z","touchpoint":"caf\xe9"}\n'),
        # a classic-Mac file: every line, the header's too, ends at a lone CR
        "classic-mac": files(log_dot_csv=(HEADER + rows).replace("\n", "\r")),
        # found by fuzzing: quotes opened mid-file, valid UTF-8 throughout (DuckDB called one of its
        # rejected rows an encoding error, and the row was then counted twice)
        "quotes-gone-astray": files(log_dot_csv=b'customer,timestamp,touchpoint,outcome\r\nc2,2026-01-01 10:05,see-social-ad,SUCCESS,,""\r\nc3,yesterday,,SUCCESS\r\n"c1,,check-postcode,SUCCESS\r\nc3,2026-01-01 10:05,check-postcode," failure "\r\n c1,2026-01-01 10:05,check-postcode,SUCCESS"\r\n,2026-01-01T10:00:00Z,create-account,failure\r\n c1,2026-02-30T10:00:00Z,see-social-ad,\r\n\r\nc1,2026-01-01 10:05,\xc3\xa9\r\n,1767261900.5,,"success"\r\nc3,2026-01-01,faq,"SUCCESS\r\nc2,,faq, failure \r\nc2,,"\xc3\xa9, failure \r\nc2,2026-01-01T10:00:00.123456Z,,SUCCESS\r\nc2,,yesterday,,win\r\nc2,2026-01-01 10:05,faq",win\r\n c1, 2026-01-01T10:00:00+02:00 ,x\'y,SUCCESS\r\n c1,2026-01-01,faq,success\r\nc1,"2026-01-01T10:00:00Z",,failure\r\nc3,1767261900,, failure \r\nc1,,2026-02-30T10:00:00Z,x\'y,, failure \r\n,2026-02-30T10:00:00Z,faq,failure, \r\n'),
        # found by fuzzing: the same key in two cases is one column twice; a line with two object or
        # list cells is one row read (and left out), not two
        "json-keys-in-two-cases": files(log_dot_jsonl='{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
                                        '{"Customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'),
        "json-two-nested-cells": files(log_dot_jsonl='{"customer":"c1","timestamp":{"a":1},"touchpoint":[1]}\n'
                                       '{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'),
        "json-lines": files(log_dot_jsonl='{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
                            '{"customer":"c1","timestamp":"2026-01-01T10:03:00Z","touchpoint":{"nested":1}}\n'
                            "not json\n[1, 2]\n\n{}\n"
                            '{"customer":42,"timestamp":1767261900,"touchpoint":"check-postcode","extra":true}\n'),
        "json-all-objects": files(log_dot_jsonl='{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":{"a":1}}\n'
                                  '{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":{"a":2}}\n'),
        "no-known-columns": files(log_dot_csv="a,b\n1,2\n"),
        "misspelt-column": files(log_dot_csv=f"customer,timestamp,touchpoints\nc1,2026-01-01,{AD}\n"),
        "quoted-newline": files(log_dot_csv=HEADER + f'"c1\nx",2026-01-01T10:00:00Z,{AD},\nc2,2026-01-01T10:00:00Z,"{AD}",success\n'
                                "c3,soon,x,\n"),
        "ragged": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD}\nc1,2026-01-01T10:05:00Z,{POSTCODE},,extra,cells\n"
                        f"c2,2026-01-01,{AD},\n"),
        # Excel's 'sep=;' line above the header, in UTF-8 with a byte-order mark and CRLF, as Excel saves it
        "excel-separator-line": files(log_dot_csv=("\ufeffsep=;\n" + (HEADER + rows + "c2,later,x,\n").replace(",", ";")).replace(
            "\n", "\r\n")),
        "excel-separator-line-tabs": files(log_dot_tsv="sep=\t\n" + (HEADER + rows + 'c2,"2026-01-02T10:00:00Z",x,\n').replace(",", "\t")),
        "semicolons": files(log_dot_csv=f"customer;timestamp;touchpoint\nc1;2026-01-01T10:00:00Z;{AD}\n"),
        # a comma in a column name (quoted or not) made the header one comma-separated line: no columns
        "semicolons-comma-in-header": files(log_dot_csv=f'customer;timestamp;touchpoint;"notes (free text, optional)"\n'
                                            f"c1;2026-01-01T10:00:00Z;{AD};ok, thanks\nc1;2026-01-01T10:05:00Z;{POSTCODE};\n"),
        "tabs-comma-in-header": files(log_dot_tsv=f"customer\ttimestamp\ttouchpoint\tCity, Country\n"
                                      f"c1\t2026-01-01T10:00:00Z\t{AD}\tLondon, UK\nc1\t2026-01-01T10:05:00Z\t{POSTCODE}\t\n"),
        # process mining's XES (XML): one error whose hint converts it, not a 'missing columns' header
        "xes": files(log_dot_xes='<?xml version="1.0" encoding="UTF-8" ?>\n<log xes.version="1.0"><trace>'
                                 '<string key="concept:name" value="c1"/></trace></log>\n'),
        # a lone UTF-16 surrogate escape: valid JSON, no character (Python kept it and could not write
        # the report; DuckDB refused the line and the row was gone without a word)
        "json-lone-surrogate": files(log_dot_jsonl='{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
                                     '{"customer":"c2\\udfff","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
                                     '{"customer":"c3 \\ud83d\\ude00","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'),
        # other compressions are said by name (they were "not UTF-8 text (byte 0x93)... save it as UTF-8")
        "bzip2": files(log_dot_csv_dot_bz2=bz2.compress((HEADER + rows).encode())),
        "xz": files(log_dot_csv_dot_xz=lzma.compress((HEADER + rows).encode())),
        # Excel's trailing ';;': two columns without a name were "column '' appears twice", and the file refused
        "unnamed-columns": files(log_dot_csv=f"customer;;timestamp;touchpoint;;\r\nc1;x;2026-01-01T10:00:00Z;{AD};;\r\n"
                                 f"c1;;2026-01-01T10:05:00Z;{POSTCODE};;\r\n"),
        # a cell past the reference's csv field limit (128 KiB) was a bad row there and read by DuckDB;
        # a row past 2 MiB (DuckDB's longest line) is a bad row on both, in the same words
        "long-cells": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},{'s' * 200_000}\n"
                            f"c2,2026-01-01T10:00:00Z,{AD},{'s' * 2_100_000}\nc3,2026-01-01T10:00:00Z,{AD},\n"),
        # a row past 2 MiB with extra cells too, and two such rows: DuckDB placed the first at its extra cell's
        # column (3:4; the reference 3:1), and named no line of the second
        "long-row-extra-cells": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc2,2026-01-01T10:00:00Z,{AD},,x,{'s' * 2_100_000}\n"
                                      f"c3,2026-01-01T10:00:00Z,{AD},,{'s' * 2_100_000}\nc4,2026-01-01T10:00:00Z,{POSTCODE},\n"),
        # a file whose name says one format and whose first line another: said so, not "no columns"
        "csv-named-jsonl": files(log_dot_jsonl=HEADER + rows),
        "jsonl-named-csv": files(log_dot_csv='{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'),
        # JSON numbers as ids: a float as Python writes it ('1e+16', as the CSV's cell), an integer past
        # 64 bits with its digits (DuckDB wrote 1e16 as '10000000000000000.0': another customer)
        "json-float-ids": files(log_dot_jsonl='{"customer":1e16,"timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
                                '{"customer":123456789012345678901234567890,"timestamp":1767261600.5,"touchpoint":"see-social-ad"}\n'
                                '{"customer":0.00001,"timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad","segment":2.50}\n',
                                log_dot_csv=HEADER + f"1e+16,2026-01-01T10:05:00Z,{POSTCODE},\n1e-05,2026-01-01T10:05:00Z,{POSTCODE},\n"),
        # numbers past a double's range and NaN: two customers were one, 'inf', on every engine
        "json-endless-numbers": files(log_dot_jsonl='{"customer":1e400,"timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
                                      '{"customer":1e401,"timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'
                                      '{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad","segment":NaN}\n'
                                      '{"customer":2,"timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'),
        # NULL, N/A and the like in the outcome column are no outcome: they made the rows bad, the visits lost
        "outcome-null-marks": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},NULL\nc1,2026-01-01T10:05:00Z,{POSTCODE}, n/a \n"
                                    f"c2,2026-01-01T10:00:00Z,{AD},#N/A\nc2,2026-01-01T10:05:00Z,{POSTCODE},None\n"
                                    f"c3,2026-01-01T10:00:00Z,{AD},NaN\nc3,2026-01-01T10:05:00Z,{POSTCODE},-\n"
                                    # MySQL's INTO OUTFILE, Hive's text tables, PostgreSQL's COPY: was a bad outcome
                                    f"c4,2026-01-01T10:00:00Z,{AD},\\N\nc4,2026-01-01T10:05:00Z,{POSTCODE},\\n\n"),
        "xes-gzip": files(log_dot_xes_dot_gz=_gzip('\ufeff<log xes.version="1.0">\n</log>\n')),
        # a database dump's pipes: a cell with a comma, a quoted pipe, a ragged row and a bad timestamp
        "pipes": files(log_dot_csv=f"customer|timestamp|touchpoint|outcome\nc1|2026-01-01T10:00:00Z|{AD}|\n"
                                   f"c1|2026-01-01T10:05:00Z|{POSTCODE}|failure\n\"c,2\"|2026-01-01T10:00:00Z|{AD}|\n"
                                   f"\"c|3\"|2026-01-01T11:00:00Z|{AD}|\nc4|2026-01-01T11:00:00Z|{AD}\nc5|soon|{AD}|\n"),
        "crlf": files(log_dot_csv=(HEADER + rows + "c2,later,x,\n").replace("\n", "\r\n")),
        "zones": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc1,2026-01-01 11:30+01:00,{POSTCODE},\n"
                       f"c2,2026-01-01T10:00,{AD},\nc2,2026-01-01T09:59:00-00:30,{POSTCODE},\nc3,2026-01-01,{AD},\n"),
        "duplicates-and-disorder": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:05:00Z,{POSTCODE},\nc2,2026-01-01T10:00:00Z,{AD},\n"
                                         f"c1,2026-01-01T10:00:00Z,{AD},\nc1,2026-01-01T10:00:00Z,{AD},\n"
                                         f"c1,2026-01-01T10:05:00Z,{POSTCODE},\n"),
        # Python's str.strip() whitespace around cells: tabs, a no-break space, an ideographic
        # space, a cell of nothing else (a missing value), a tab inside a cell (kept)
        "whitespace": files(log_dot_csv=HEADER + f"\tc1\t,2026-01-01T10:00:00Z\t,{AD}\u00a0,\n"
                            f"c1,\u30002026-01-01T10:05:00Z,\t{POSTCODE}\x0b,\tSUCCESS\x1f\n"
                            f"c2\u2003,2026-01-01T10:00:00Z,{AD}, \t \nc3,2026-01-01T10:00:00Z,\t\u3000,\n"
                            f"c4\tx,2026-01-01T10:00:00Z,{AD},\n"),
        # a quote inside a cell is text; one that opens a cell and never closes takes the rest
        "mid-cell-quote": files(log_dot_csv=HEADER + f'c1,2026-01-01T10:00:00Z,b"x,\nc1,2026-01-01T10:01:00Z,"{AD}",\n'
                                f'c2,2026-01-01T10:00:00Z,{AD},"suc""cess"\n'),
        "unclosed-quote": files(log_dot_csv=HEADER + f'c1,2026-01-01T10:00:00Z,{AD},\n"c2,2026-01-01T10:00:00Z,{AD},\n'
                                f"c3,2026-01-01T10:00:00Z,{AD},\n"),
        # found by a Spark fuzz: a quote that opens the last cell and never closes (the reference and DuckDB:
        # the wrong shape, placed; Spark read the rest of the file as that row's outcome, and now reads the
        # reference's split of a file whose quotes are not RFC 4180's)
        "unclosed-quote-last-cell": files(log_dot_csv=HEADER + f'c1,2026-01-01T10:00:00Z,{AD},\nc2,2026-01-01T10:00:00Z,{AD},"\n'
                                          f"c3,2026-01-01T10:00:00Z,{AD},\nc4,2026-01-01T10:00:00Z,{AD},\n"),
        # empty cells past the last column hold nothing and are dropped; any other extra cell is a bad row
        "trailing-cells": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},,\nc2,2026-01-01T10:00:00Z,{AD},,,\n"
                                f'c3,2026-01-01T10:00:00Z,{AD},,""\nc4,2026-01-01T10:00:00Z,{AD},, \nc5,2026-01-01T10:00:00Z,{AD},,x\n'),
        "date-with-zone": files(log_dot_csv=HEADER + f"c1,2026-01-01Z,{AD},\nc2,2026-01-01,{AD},\nc3,2026-01-01T10:00Z,{AD},\n"),
        "blank-cells-row": files(log_dot_csv=HEADER + ",,,\n" + rows),
        # a US export's dates: the first rows read both ways, a later one (the 13th) only month first
        "us-dates": files(log_dot_csv=HEADER + "".join(f"c{i},09/{10 + i // 3}/2026 3:5{i % 10} PM,{AD},\n" for i in range(12))),
        # an API's answer: its events in a list (Zendesk's incremental export), on one line and pretty-printed
        "api-answer-line": files(log_dot_json='{"ticket_events": [{"customer": "c1", "timestamp": "2026-01-01T10:00:00Z",'
                                 f' "touchpoint": "{AD}"}}], "next_page": null, "count": 1, "end_of_stream": true}}\n'),
        "api-answer-pretty": files(log_dot_json='{\n  "results": [\n    {\n      "id": "1",\n      "createdAt":'
                                   ' "2026-01-01T10:00:00Z"\n    }\n  ],\n  "paging": {}\n}\n'),
        # epoch milliseconds saved from Excel as it shows them: six digits, rounded to 2.8 hours
        "excel-exponent-timestamps": files(log_dot_csv=HEADER + "".join(f"c{i},1.78906E+12,{tp},\n" for i in range(10)
                                                                         for tp in (AD, POSTCODE))),
        # a header that ends with its separator, rows that do not: every row one cell short
        "header-ends-with-separator": files(log_dot_csv=HEADER.replace("\n", ",\n") + rows),
        # Salesforce's report export ends with notes of one quoted cell each, after blank lines
        "report-footer": files(log_dot_csv=HEADER + rows + '\n\n"Acme Corp"\n"Copyright (c) 2000-2026 salesforce.com, inc.'
                               ' All rights reserved."\n"Confidential Information - Do Not Distribute"\n'
                               '"Generated By:  Ann Lee  11/29/2026 3:04 PM"\n"Acme Corp"\n"Acme Corp"\n'),
        "mixed-folder": files(log__a_dot_csv=HEADER + rows + "c5,never,x,\n",
                              log__b_dot_jsonl='{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\nnope\n',
                              log__c_dot_csv_dot_gz=_gzip(HEADER + f"c3,2026-01-01,{AD},maybe\n")),
        # analytics exports count milliseconds, microseconds or nanoseconds since 1970: told apart by
        # size, so c1's ad (ms) comes a minute before the postcode check (s), not 50,000 years after
        "epoch-units": files(log_dot_csv=HEADER + f"c1,1767261600000,{AD},\nc1,1767261660,{POSTCODE},\n"
                             f"c2,1767261600000000,{AD},\nc2,1767261720000000000,{POSTCODE},\n"
                             f"c3,1.7672616e9,{AD},\nc3,1.76726163E+12,{POSTCODE},\nc4,-1000000000000,{AD},\n"
                             f"c5,1767261600123.5,{AD},\n"),
        # a date and time written as one number (YYYYMMDDhhmmss, YYYYMMDDhhmm: SAP's, Oracle's YYYYMMDDHH24MISS, a
        # phone system's): read as milliseconds since 1970, the year 2612 (a far-timestamp warning) or 1976 (none)
        "compact-timestamps": files(log_dot_csv=HEADER + f"c1,20260914083100,{AD},\nc1,20260914083200,{POSTCODE},\n"
                                    f"c2,202609140831,{AD},\nc2,20260914083300.0,{POSTCODE},\n"
                                    f"c3,1757838660123,{AD},\nc3,978307200000,{POSTCODE},\nc4,20261314083100,{AD},\n"),
        # ISO 8601's week and ordinal dates and a fraction past nanoseconds: no engine reads them
        "other-iso-dates": files(week_dot_csv=HEADER + f"c1,2026-W14-4T10:00:00Z,{AD},\nc1,2026-04-02T10:05:00Z,{POSTCODE},\n"
                                 f"c2,2026-W14,{AD},\n",
                                 ordinal_dot_csv=HEADER + f"c1,2026-092,{AD},\nc1,2026-04-02T10:05:00Z,{POSTCODE},\nc2,2026-366,{AD},\n",
                                 picoseconds_dot_csv=HEADER + f"c1,2026-04-02T10:00:00.123456789012+02:00,{AD},\n"
                                 f"c1,2026-04-02T10:05:00Z,{POSTCODE},\n"),
        # timestamps outside the years 1 to 9999 (and numbers too large for any unit) are bad rows,
        # not an internal error when the customers are bucketed into periods
        "timestamps-out-of-range": files(log_dot_csv=HEADER + f"c1,1767261600,{AD},\nc2,9999-12-31T23:00:00-02:00,{AD},\n"
                                         f"c3,0000-06-01,{AD},\nc4,1e21,{AD},\nc5,-99999999999,{AD},\n"
                                         f"c6,0001-01-01T00:30:00+01:00,{AD},\nc7,100000000000000000000,{AD},\n"
                                         f"c8,9999-12-31T23:59:59Z,{AD},\nc9,0001-01-01,{AD},\n"),
        # zones as PostgreSQL and DuckDB print them (+00), without a colon (+0200), and fractions
        # past microseconds (cut); one space before an offset is read (Snowflake and Ruby write it), two are not
        "iso-variants": files(log_dot_csv=HEADER + f"c1,2026-01-01 10:00:00+00,{AD},\nc1,2026-01-01 11:01:00.123456789+01,{POSTCODE},\n"
                              f"c2,2026-01-01T10:00:00.1234567-0530,{AD},\nc2,2026-01-01T15:32:00.9999999Z,{POSTCODE},\n"
                              f"c3,2026-01-01 10:00-02,{AD},\nc4,2026-01-01 10:00:00  +02:00,{AD},\nc5,2026-01-01T10:00:00.1234567890Z,{AD},\n"
                              f"c6,2026-01-01 10:00:00 UTC,{AD},\nc6,2026-01-01 10:02 utc,{POSTCODE},\nc7,2026-01-01 10:00:00UTC,{AD},\n"
                              # 24:00 (ISO's end of a day): DuckDB read it as the next midnight, Python refused it
                              f"c8,2026-01-01T24:00:00Z,{AD},\nc8,2026-01-01 24:00,{POSTCODE},\n"),
        # a comma before the fraction (ISO 8601 allows it; Python's logging writes it); not after minutes,
        # and a number with a comma is no timestamp
        "comma-fractions": files(log_dot_csv=HEADER + f'c1,"2026-01-01 10:00:00,123",{AD},\nc1,2026-01-01 10:02:00.623,{POSTCODE},\n'
                                 f'c2,"2026-01-01T10:00:00,5Z",{AD},\nc2,"2026-01-01t11:02:00,25+01:00",{POSTCODE},\n'
                                 f'c3,"2026-01-01 10:00,5",{AD},\nc4,"1767261600,5",{AD},\n'),
        # one JSON array of objects (an API's answer, jq -s) is not JSON lines: one clear error, not "no columns"
        "json-array": files(log_dot_json='[{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"},\n'
                            ' {"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}]\n'),
        "json-array-one-line": files(log_dot_jsonl='\ufeff [{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}]\n'),
        # pretty-printed JSON (json.dump(indent=2), jq . without -c): one clear error, not "its header: empty"
        "json-pretty": files(log_dot_json='{\n  "customer": "c1",\n  "timestamp": "2026-01-01T10:00:00Z",\n'
                             f'  "touchpoint": "{AD}"\n}}\n'),
        "json-pretty-jsonl": files(log_dot_jsonl=f'\ufeff{{"customer": "c1", "timestamp": "2026-01-01T10:00:00Z",\n "touchpoint": "{AD}"}}\n'
                                   f'{{\n  "customer": "c2",\n  "timestamp": "2026-01-01T10:00:00Z",\n  "touchpoint": "{AD}"\n}}\n'),
        # JSON lines ended at a lone CR, and lines that are arrays (a table's rows) or not JSON: "its header: empty"
        "json-lines-classic-mac": files(log_dot_jsonl=f'{{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\r'
                                        f'{{"customer":"c1","timestamp":"2026-01-01T10:05:00Z","touchpoint":"{POSTCODE}"}}\r'),
        "json-lines-of-arrays": files(log_dot_jsonl=f'\n["c1","2026-01-01T10:00:00Z","{AD}"]\n["c1","2026-01-01T10:05:00Z","{POSTCODE}"]\n'),
        "json-lines-of-text": files(log_dot_jsonl="events of 2026-01-01\nc1 saw the ad\n"),
        # ... but a first line that is a list of numbers is one bad line of a JSON-lines file
        "json-first-line-a-list": files(log_dot_jsonl='[1, 2]\n{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"see-social-ad"}\n'),
        "json-number-timestamps": files(log_dot_jsonl='{"customer":"c1","timestamp":1.7672616e12,"touchpoint":"see-social-ad"}\n'
                                        '{"customer":"c1","timestamp":1e400,"touchpoint":"check-postcode"}\n'
                                        '{"customer":"c2","timestamp":1767261600123456789,"touchpoint":"see-social-ad"}\n'
                                        '{"customer":"c2","timestamp":1767261660,"touchpoint":"check-postcode"}\n'
                                        '{"customer":"c3","timestamp":"9999-12-31T23:00:00-02:00","touchpoint":"see-social-ad"}\n'),
        # found by fuzzing: a stray quote in the header; DuckDB read the header as a row that ran to
        # the end of the file, and found no rows and no error
        "header-unclosed-quote": files(log_dot_csv='customer,timestamp,touchpoint,"outcome\n' + rows),
        # a ragged first row too: DuckDB's first look at the file rejected it, and it was counted twice
        "header-quote-ragged-first-row": files(log_dot_csv='customer,timestamp,touchpoint,outcome,segmen""t\n'
                                               'c0,1790049606.9606.5,ins5,install-app,,b\n'),
        # Excel's Alt+Enter in a column name: a quoted line break in the header. Its second line was read as a row
        # (row-shape, exit 1) and the column's name cut at the break; the rows' lines are the file's physical ones
        "header-cell-line-break": files(log_dot_csv='customer,timestamp,touchpoint,"Notes\n(free text)",outcome\n'
                                        f'c1,2026-01-01T10:00:00Z,{AD},"one\ntwo",\nc1,2026-01-01T10:05:00Z,{POSTCODE},,success\n'
                                        f'c2,yesterday,{AD},,\nc2,2026-01-01T10:05:00Z,{AD},,WIN\n'),
        "header-cell-line-breaks-crlf-semicolons": files(log_dot_csv=(
            '\ufeffcustomer;timestamp;"touchpoint\r\n";"Notes\r\n(free; text)"\r\n'
            f'c1;2026-01-01T10:00:00Z;{AD};\r\nc1;2026-01-01T10:05:00Z;{POSTCODE};x\r\nc2;yesterday;{AD};\r\n')),
        "header-quote-then-text": files(log_dot_csv_dot_gz=_gzip('customer,timestamp,touchpoint,""outcome\n' + rows)),
        # found by fuzzing: a quote after a space is text (RFC 4180, the reference, Spark); DuckDB skipped
        # the space and read `` "x"`` as ``x`` and rejected `` ""y`` as a row of the wrong shape
        "space-before-quote": files(log_dot_csv=HEADER + f'c1,2026-01-01T10:00:00Z, "{AD}",\n'
                                    f'c1,2026-01-01T10:01:00Z, ""{POSTCODE} ,\nc1,2026-01-01T10:02:00Z,{POSTCODE}, "success"\n'
                                    f'c2,2026-01-01T10:00:00Z,{AD},\n'),
        # spaces after a closing quote ('"c1" ,', as a hand-aligned file or a fixed-width export writes them): RFC 4180,
        # the reference and Spark cannot split such a row; DuckDB read it, trimming the spaces, and told nothing
        "space-after-quote": files(log_dot_csv=HEADER + f'"c1" ,2026-01-01T10:00:00Z,{AD},\n"c1","2026-01-01T10:01:00Z"  ,{POSTCODE},\n'
                                   f'c2,2026-01-01T10:00:00Z,{AD},"success" \nc3,2026-01-01T10:00:00Z,"{AD}",\n'),
        # found by fuzzing: a line of spaces or tabs is a blank line (skipped); DuckDB and Spark called it a
        # short row. A row of empty cells (,,,) is a row, with its cells missing.
        "lines-of-spaces": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\n \n\t\n,,,\n"
                                 f"c1,2026-01-01T10:01:00Z,{POSTCODE},\n \t"),
        # found by fuzzing: a key named twice in a line (Python keeps the last value, DuckDB the first, Spark
        # refused the file), a trailing comma (DuckDB took it), a key '' (DuckDB's reader failed): bad lines
        "json-key-twice": files(log_dot_jsonl=f'{{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}",'
                                f'"outcome":"x","outcome":"failure"}}\n'
                                f'{{"customer":"c1","timestamp":"2026-01-01T10:01:00Z","touchpoint":"{POSTCODE}",}}\n'
                                f'{{"": ""}}\n{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}",'
                                f'"": "x"}}\n'),
        # an offset after a space: Snowflake's default output (TZHTZM), Ruby's and Rails' Time#to_s, git's
        # dates; every row was a bad timestamp. ISO's comma before a fraction too
        "offset-after-a-space": files(log_dot_csv=HEADER + f"c1,2026-09-14 08:31:00.123 -0700,{AD},\nc1,2026-09-14 15:32:00 +0000,{POSTCODE},\n"
                                      f'c2,2026-09-14T08:31:00 +05:30,{AD},\nc2,"2026-09-14 08:33:00,5 +0530",{POSTCODE},\n'
                                      f"c3,2026-09-14 08:31 -03:30,{AD},\nc4,2026-09-14 08:31:00 +0200 UTC,{AD},\n"),
        # every line's timestamp an object: Spark reads the column as a struct, and its text functions
        # failed on it ("cannot read the json file: [DATATYPE_MISMATCH...]", none of the log read)
        "json-timestamps-all-objects": files(log_dot_jsonl=f'{{"customer":"c1","timestamp":{{"t":1}},"touchpoint":"{AD}"}}\n'
                                             f'{{"customer":"c1","timestamp":{{"t":2}},"touchpoint":"{POSTCODE}"}}\n'),
        # mongoexport's extended JSON: a date as {"$date": ...} (canonical: {"$date": {"$numberLong": ...}}),
        # an id as {"$oid": ...}; was "a JSON object, not text or a number" with the hint "write the value as text"
        "mongoexport": files(log_dot_json='{"_id":{"$oid":"66e5a1"},"customer":{"$oid":"5f1c"},"timestamp":{"$date":"2026-09-14T08:31:00.000Z"},'
                             f'"touchpoint":"{AD}"}}\n{{"_id":{{"$oid":"66e5a2"}},"customer":{{"$oid":"5f1c"}},'
                             f'"timestamp":{{"$date":{{"$numberLong":"1789374720000"}}}},"touchpoint":"{POSTCODE}"}}\n'),
        # notes above the header, as Google Analytics' and Adobe Analytics' report exports write them, and a
        # blank first line: "no columns 'customer', ... (its header: # ---...)" or "(its header: empty)"
        "comments-above-header": files(log_dot_csv="# ----------------------------------------\n# All Web Site Data, Pages\n"
                                       "# 20260901-20260930\n# ----------------------------------------\n\n" + HEADER + rows),
        "bom-comments-above-header": files(log_dot_csv_dot_gz=_gzip("\ufeff#=====\n# Report suite: prod\n#=====\n" + HEADER + rows)),
        "blank-line-above-header": files(log_dot_csv="\r\n" + HEADER + rows),
        # no header (Adobe Analytics' hit_data.tsv, a database's export without column names): the first row was
        # "no columns 'customer', ... (its header: c1, 2026-01-01T10:00:00Z, ...)" and a warning of columns 'c1', ...
        "no-header-tsv": files(log_dot_tsv=rows.replace(",", "\t")),
        "no-header-csv": files(log_dot_csv="c1,2026-01-01 10:00:00 UTC,see-social-ad\nc1,2026-01-01 10:05:00 UTC,check-postcode\n"),
        # quotes escaped with a backslash, as MySQL's INTO OUTFILE and Spark's CSV writer write them: was
        # "cannot be split into cells (',' expected after '\"')" with the hint "a cell holding a comma must be in double quotes"
        # (Spark read a quoted cell with an undoubled quote inside, "x "y" z", as text, quotes and all: it now reads
        # the reference's split of such a file)
        "backslash-quotes": files(log_dot_csv=HEADER + f'c1,2026-01-01T10:00:00Z,{AD},\n"c1",2026-01-01T10:01:00Z,"ad \\"big\\", red",\n'
                                  f'c2,2026-01-01T10:00:00Z,{AD},\nc2,2026-01-01T10:02:00Z,"x \\"y\\" z",\nc3,2026-01-01T10:00:00Z,{AD},\n'),
        # a database's NULL in the segment column (\\N in MySQL's, Hive's and PostgreSQL's text exports, None and
        # NaN from pandas): each was a segment of its own, 'NULL', in the breakdowns
        "segment-null-marks": files(log_dot_csv="customer,timestamp,touchpoint,segment\n"
                                    f"c1,2026-01-01T10:00:00Z,{AD},NULL\nc2,2026-01-01T10:00:00Z,{AD},\\N\n"
                                    f"c3,2026-01-01T10:00:00Z,{AD},nan\nc4,2026-01-01T10:00:00Z,{AD}, None \n"
                                    f"c5,2026-01-01T10:00:00Z,{AD},#N/A\nc6,2026-01-01T10:00:00Z,{AD},NA\n"
                                    f"c7,2026-01-01T10:00:00Z,{AD},busy parent\n"),
        # a database's NULL as the customer (rows of visitors without an id): every such row was one customer, 'NULL'
        "customer-null-marks": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nNULL,2026-01-01T10:00:00Z,{AD},\n"
                                     f"NULL,2026-01-01T10:05:00Z,{POSTCODE},success\n\\N,2026-01-01T10:00:00Z,{AD},\n"
                                     f" nan ,2026-01-01T10:00:00Z,{AD},\n,2026-01-01T10:00:00Z,{AD},\n"),
        # what analytics tools write for "no id" (GA4's and Amplitude's "(not set)" and "(none)", JavaScript's undefined,
        # Objective-C's "(null)", an access log's "-", R's NA): each was one customer whose path ran through every visitor's
        "customer-placeholder-ids": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\n(not set),2026-01-01T10:00:00Z,{AD},\n"
                                          f"(not set),2026-01-01T10:05:00Z,{POSTCODE},success\nundefined,2026-01-01T10:00:00Z,{AD},\n"
                                          f"(None),2026-01-01T10:00:00Z,{AD},\n(null),2026-01-01T10:00:00Z,{AD},\n-,2026-01-01T10:00:00Z,{AD},\n"
                                          f" Unknown ,2026-01-01T10:00:00Z,{AD},\nNA,2026-01-01T10:00:00Z,{AD},\n(blank),2026-01-01T10:00:00Z,{AD},\n"
                                          f"(not set)x,2026-01-01T10:00:00Z,{AD},\nnot set,2026-01-01T10:00:00Z,{AD},\n"),
        # an array's items without its brackets, each object followed by a comma (one line of them among good ones)
        "json-lines-array-items": files(log_dot_jsonl=f'{{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\n'
                                        f'{{"customer":"c1","timestamp":"2026-01-01T10:01:00Z","touchpoint":"{POSTCODE}"}},\n'
                                        f'{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}} , \n'),
        # JSON lines files joined with cat, each saved with a byte-order mark: was "not a JSON object (unexpected utf-8 bom
        # (decode using utf-8-sig))" with the hint "one JSON object a line"
        "json-joined-with-boms": files(log_dot_jsonl=f'\ufeff{{"customer":"c1","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\n'
                                       f'\ufeff{{"customer":"c1","timestamp":"2026-01-01T10:05:00Z","touchpoint":"{POSTCODE}"}}\n'
                                       f'{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\n'),
        # an export for Excel: every cell as its text formula ="..." (which keeps leading zeros): the ids and touchpoints
        # are read as written (told), the timestamps are bad rows with the text to write
        "excel-text-formulas": files(log_dot_csv=HEADER + f'="00123",="2026-01-01 10:00:00",="{AD}",\n00123,2026-01-01T10:05:00Z,{POSTCODE},\n'
                                     f'"=""00124""",2026-01-01T10:05:00Z,"=""{POSTCODE}""",\n'),
        # e-mail addresses and UUIDs in other capitals: grouped alike on every engine (ASCII letters only)
        "ids-in-other-capitals": files(log_dot_csv=HEADER + f"Ann@Example.com,2026-01-01T10:00:00Z,{AD},\nann@example.com,2026-01-01T10:05:00Z,{POSTCODE},\n"
                                       f"ANN@EXAMPLE.COM,2026-01-01T10:00:00Z,{AD},\n\u00c9ve@x.fr,2026-01-01T10:00:00Z,{AD},\n\u00e9ve@x.fr,2026-01-01T10:00:00Z,{AD},\n"
                                       f"a1b2c3d4-0000-4000-8000-00000000000a,2026-01-01T10:00:00Z,{AD},\n"
                                       f"A1B2C3D4-0000-4000-8000-00000000000A,2026-01-01T10:00:00Z,{AD},\n"),
        # dates that stand for 'no date': steps of 50 years or more are counted alike on every engine
        "far-future-dates": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc1,9999-12-31,{POSTCODE},\n"
                                  f"c2,0,{AD},\nc2,2026-01-01T10:00:00Z,{POSTCODE},\nc3,2101-01-01,{AD},\n"),
        # ids as Excel shows (and saves) a long number: counted and told, on every engine alike
        "excel-exponent-ids": files(log_dot_csv=HEADER + f"1.23457E+11,2026-01-01T10:00:00Z,{AD},\n1.23457E+11,2026-01-01T10:05:00Z,{POSTCODE},\n"
                                    f"1e+16,2026-01-01T10:00:00Z,{AD},\n1.E+5,2026-01-01T10:00:00Z,{AD},\nx1E+5,2026-01-01T10:00:00Z,{AD},\n"),
        # one number written two ways: leading zeros a spreadsheet dropped in one file, pandas' 12345.0 for a number column
        # with an empty cell; and every other kind of id told (exponent, formula, capitals), for Spark's SQL too
        "customer-ids-written-two-ways": files(log_dot_csv=HEADER + f"00123,2026-01-01T10:00:00Z,{AD},\n123,2026-01-01T10:05:00Z,{POSTCODE},\n"
                                               f"0123,2026-01-01T10:00:00Z,{AD},\n456.0,2026-01-01T10:00:00Z,{AD},\n456,2026-01-01T10:00:00Z,{AD},\n"
                                               f"007.0,2026-01-01T10:00:00Z,{AD},\n0,2026-01-01T10:00:00Z,{AD},\n0.0,2026-01-01T10:00:00Z,{AD},\n"
                                               f"1.5.0,2026-01-01T10:00:00Z,{AD},\n012.5,2026-01-01T10:00:00Z,{AD},\n12.5,2026-01-01T10:00:00Z,{AD},\n"
                                               f"1.23457E+11,2026-01-01T10:00:00Z,{AD},\n=\"00124\",2026-01-01T10:00:00Z,{AD},\n"
                                               f"Ann@Example.com,2026-01-01T10:00:00Z,{AD},\nann@example.com,2026-01-01T10:00:00Z,{AD},\n"),
        # a database's NULL and pandas' NaT as a timestamp, NULL as a touchpoint: 'not a timestamp' with the hint to write
        # ISO 8601, and an ad hoc touchpoint 'NULL'; now missing values, told so, as a customer's
        "time-and-touchpoint-null-marks": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc1,NaT,{POSTCODE},\n"
                                                f"c1,2026-01-01T10:05:00Z,NULL,\nc2,\\N,{AD},\nc2,2026-01-01T10:00:00Z, none ,success\n"
                                                f"c3,2026-01-01T10:00:00Z,{AD},\nc3,2026-01-01T10:05:00Z,n/a,\n"),
        # a row of an outcome alone (no touchpoint): left out, its success with it; was "the touchpoint is empty", no hint
        "outcome-alone": files(log_dot_csv=HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc2,2026-01-01T10:00:00Z,,\n"
                               f"c1,2026-01-01T10:05:00Z,,Success\n"),
        # Firestore's timestamps (JSON.stringify), protobuf's with seconds as a string: "a JSON object, not text or a number"
        "firestore-timestamps": files(log_dot_jsonl=f'{{"customer":"c1","timestamp":{{"_seconds":1767261600,"_nanoseconds":500000000}},"touchpoint":"{AD}"}}\n'
                                      f'{{"customer":"c1","timestamp":{{"seconds":"1767261660","nanos":0}},"touchpoint":"{POSTCODE}"}}\n'),
        "hive-bad-partition": files(**{"log__date=not-a-date__part-0_dot_csv": HEADER + rows,
                                       "log__date=2026-01-02__part-0_dot_csv": HEADER + f"c2,2026-01-02T10:00:00Z,{AD},\n"}),
        # what Spark and Hadoop write next to their parts: a _SUCCESS marker (empty), .crc checksums,
        # a _temporary/ folder of a job still writing or one that failed; Finder's .DS_Store
        "spark-output": files(**{"log__part-00000_dot_csv": HEADER + rows, "log___SUCCESS": "",
                                 "log__.part-00000_dot_csv_dot_crc": b"crc\x00\x01", "log__.DS_Store": b"\x00\x00\x00\x01Bud1",
                                 "log___temporary__0__part-00001_dot_csv": HEADER + f"c9,2026-01-01T10:00:00Z,{AD},\n"}),
        # a part of 0 bytes (a reducer or a partition that wrote no rows, as Hive and MapReduce leave them) beside
        # the others: it was an 'empty' error that failed the run of the whole folder
        "empty-parts": files(**{"log__date=2026-01-01__hour=10__part-0_dot_csv": HEADER + rows,
                                "log__date=2026-01-01__hour=11__part-0_dot_csv": "", "log__part-9_dot_jsonl": ""}),
        # what an export leaves beside its logs: notes, a pretty-printed manifest; Spark's JSON-lines parts are .json
        "folder-with-notes": files(**{"log__events_dot_csv": HEADER + rows, "log__README_dot_txt": "Export from the CRM, 2026-09-30\n",
                                      "log__notes_dot_md": "# Notes\n", "log__manifest_dot_json": '{\n  "files": ["events.csv"]\n}\n',
                                      "log__part-00000_dot_json": f'\n{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}\n'}),
    }


FOLDERS = {"gzip-json-lines-unnamed", "mixed-folder", "hive-bad-partition", "spark-output", "folder-with-notes", "empty-parts"}
SPARK_CASES = ["backslash-quotes", "unclosed-quote-last-cell", "duplicate-header", "gzip-cut-short", "header-only", "json-lines", "ragged", "quoted-newline",
               "crlf", "zones", "mixed-folder", "misspelt-column", "whitespace",
               "mid-cell-quote", "unclosed-quote", "date-with-zone", "trailing-cells", "blank-cells-row",
               "bad-outcome", "bad-timestamps", "binary", "bom", "duplicates-and-disorder", "empty", "gzip",
               "hive-bad-partition", "hostile", "json-all-objects", "latin-1", "no-known-columns", "not-utf8-late", "semicolons", "pipes", "xes",
               "excel-separator-line", "excel-separator-line-tabs",
               "not-utf8-late-ragged", "not-utf8-late-json", "classic-mac", "quotes-gone-astray",
               "json-keys-in-two-cases", "json-two-nested-cells", "offsets-out-of-range", "epoch-units", "timestamps-out-of-range", "iso-variants",
               "comma-fractions", "json-array", "json-array-one-line", "json-first-line-a-list", "excel-workbook", "gzip-named-csv", "utf-16", "utf-16-le-no-bom",
               "json-number-timestamps", "header-unclosed-quote", "header-quote-then-text", "header-quote-ragged-first-row",
               "header-cell-line-break", "header-cell-line-breaks-crlf-semicolons",
               "json-float-ids", "json-endless-numbers", "outcome-null-marks", "long-cells",
               "space-before-quote", "lines-of-spaces", "json-key-twice", "json-lone-surrogate", "unnamed-columns", "csv-named-jsonl",
               "jsonl-named-csv", "semicolons-comma-in-header", "tabs-comma-in-header",
               "folder-with-notes", "json-pretty", "json-pretty-jsonl", "dates-only", "csv-named-parquet", "gzip-parquet",
               "long-row-extra-cells", "json-lines-classic-mac", "json-lines-of-arrays",
               "offset-after-a-space", "json-timestamps-all-objects", "mongoexport",
               "comments-above-header", "bom-comments-above-header", "blank-line-above-header",
               "no-header-tsv", "no-header-csv", "segment-null-marks",
               "customer-null-marks", "customer-placeholder-ids", "json-lines-array-items", "gzip-json-lines-unnamed", "compact-timestamps", "space-after-quote", "outcome-alone", "firestore-timestamps", "json-joined-with-boms", "time-and-touchpoint-null-marks",
               "report-footer", "us-dates", "api-answer-line", "api-answer-pretty", "excel-exponent-timestamps",
               "header-ends-with-separator", "padded-dos-eof", "padded-nuls", "dotted-dates",
               "customer-zero-placeholder", "customer-zero-real"]


@pytest.fixture(scope="module")
def facts() -> JourneyFacts:
    return JourneyFacts.of(load(JOURNEY))


def read(engine: str, paths: list[Path], facts: JourneyFacts) -> EventTables:
    return get_engine(engine)[1](paths, facts, EngineOptions())


def problem_key(p: Problem) -> tuple[str, int, int, str, str, str, str | None]:
    return (p.span.file, p.span.line, p.span.col, p.level, p.code, p.message, p.hint)


def problems(tables: EventTables) -> list[tuple[str, int, int, str, str, str, str | None]]:
    return sorted(problem_key(p) for p in tables.problems)


def case_paths(name: str, folder: Path) -> list[Path]:
    written = broken_logs()[name](folder)
    return [folder / "log"] if name in FOLDERS else written


@pytest.mark.parametrize("name", sorted(broken_logs()))
def test_duckdb_and_the_reference_agree_on_broken_logs(name: str, tmp_path: Path, facts: JourneyFacts) -> None:
    paths = case_paths(name, tmp_path)
    reference = read("python", paths, facts)
    duck = read("duckdb", paths, facts)
    assert problems(duck) == problems(reference)
    assert duck.comparable() == reference.comparable()
    for problem in reference.problems:  # every problem names its file; a bad row has its line
        assert problem.span.file
        if problem.code in ("row-shape", "invalid-timestamp", "invalid-outcome", "missing-value", "json", "not-scalar") \
                and "none of its rows are read" not in problem.message:  # a whole file's is at 1:1
            assert problem.span.line >= (1 if problem.span.file.endswith((".jsonl", ".json")) else 2) and problem.span.col >= 1


def found(name: str, tmp_path: Path, facts: JourneyFacts) -> list[tuple[int, int, str, str]]:
    tables = read("python", case_paths(name, tmp_path), facts)
    return [(p.span.line, p.span.col, p.code, p.message) for p in tables.problems]


def test_null_marks_as_a_timestamp_or_a_touchpoint_are_missing_values(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("time-and-touchpoint-null-marks", tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.code, p.message) for p in tables.problems] == [
            (3, 4, "missing-value", "the timestamp is 'NaT', a missing value as databases and pandas write one"
                                    " (and 1 more row: line 5; those rows are left out)"),
            (4, 25, "missing-value", "the touchpoint is 'NULL', a missing value as databases and pandas write one"
                                     " (and 2 more rows: lines 6, 8; those rows are left out)"),
        ], engine
        assert tables.problems[1].hint is not None and "line 6: success" in tables.problems[1].hint
        assert tables.visitors == {AD: 2}, engine  # no ad hoc touchpoint 'NULL'


def test_a_timestamp_written_as_excels_text_formula_is_told_its_text(tmp_path: Path, facts: JourneyFacts) -> None:
    """An export for Excel writes every cell as ="...": its timestamps were told only the general hint."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("excel-text-formulas", tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.code, p.hint) for p in tables.problems] == [
            (2, 10, "invalid-timestamp", "the cell is Excel's text formula =\"...\": write the time as text alone,"
                                         " 2026-01-01 10:00:00 (ISO 8601, with Z or a UTC offset; no zone means UTC)")], engine
        assert tables.formula_ids == (1, '="00124"') and tables.customers == 2, engine


def test_a_json_line_that_starts_with_a_byte_order_mark_is_told_so(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("json-joined-with-boms", tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.code, p.message) for p in tables.problems] == [
            (2, 1, "json", "this line starts with a byte-order mark (U+FEFF), which only the start of a file may hold (the row is left out)")]
        assert tables.problems[0].hint is not None and tables.problems[0].hint.startswith("files joined with cat")
        assert tables.rows == 2 and tables.customers == 2, engine


def test_a_json_key_in_other_capitals_on_a_later_line_is_told_with_both_lines(tmp_path: Path, facts: JourneyFacts) -> None:
    """It was "column 'customer' appears twice in the header", at 1:1, of a file without a header."""
    assert found("json-keys-in-two-cases", tmp_path, facts) == [(2, 1, "duplicate-column", (
        "key 'Customer' on line 2 is key 'customer' of line 1 in other capitals or spacing: a JSON lines file must"
        " write each key alike on every line, so none of it is read"))]


def test_an_offset_of_a_day_or_more_is_no_timestamp(tmp_path: Path, facts: JourneyFacts) -> None:
    assert [(line, code) for line, _col, code, _message in found("offsets-out-of-range", tmp_path, facts)] == [(2, "invalid-timestamp")]
    message = found("offsets-out-of-range", tmp_path, facts)[0][3]
    assert message == "'2026-09-28T10:00:00+25:00' is not a timestamp (and 2 more rows: lines 4, 6; those rows are left out)"


@pytest.mark.parametrize("name", ["header-unclosed-quote", "header-quote-then-text"])
def test_a_stray_quote_in_the_header_loses_no_rows(name: str, tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths(name, tmp_path), facts)
        assert tables.rows == 2 and tables.visits == {AD: 1, POSTCODE: 1} and not tables.problems


def test_a_line_break_in_a_header_cell_is_part_of_the_header(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("header-cell-line-break", tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.code, p.message.split(" (")[0]) for p in tables.problems] == [
            (1, 31, "unknown-column", "column 'Notes\\n(free text)' is not one journeymap reads; it is ignored"),
            (6, 4, "invalid-timestamp", "'yesterday' is not a timestamp"),
            (7, 40, "invalid-outcome", "outcome 'WIN' is neither success nor failure"),
        ], engine
        assert (tables.rows, tables.visits, tables.outcomes["success"]) == (4, {AD: 1, POSTCODE: 1}, 1), engine
        crlf = read(engine, case_paths("header-cell-line-breaks-crlf-semicolons", tmp_path / engine), facts)
        # the touchpoint's name ends with a line break (its cell's spaces aside, it is 'touchpoint')
        assert [(p.span.line, p.span.col, p.code) for p in crlf.problems if p.is_error] == [(6, 4, "invalid-timestamp")], engine
        assert (crlf.rows, crlf.visits) == (3, {AD: 1, POSTCODE: 1}), engine


def test_a_json_line_naming_a_key_twice_is_a_bad_line_with_its_place(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("json-key-twice", tmp_path), facts)
        assert [(p.span.line, p.span.col, p.code, p.message) for p in tables.problems if p.code == "json"] == [
            (1, 92, "json", "this line names 'outcome' twice, so which value counts is unclear (the row is left out)"),
            (2, 1, "json", "this line is not a JSON object (expecting property name enclosed in double quotes) (the row is left out)"),
        ]
        assert tables.rows == 1 and tables.visits == {AD: 1}
    # a key twice inside an object in a column journeymap does not read is no matter (Spark's schema
    # inference refuses such a file: one io error naming the key)
    nested = tmp_path / "nested.jsonl"
    nested.write_text(f'{{"customer":"c2","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}","extra":{{"k":1,"k":2}}}}\n')
    for engine in ("python", "duckdb"):
        tables = read(engine, [nested], facts)
        assert tables.rows == 1 and [p.code for p in tables.problems] == ["unknown-column"]


def test_a_row_past_2_mib_is_one_bad_row_in_the_same_words_and_a_long_cell_is_read(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("long-cells", tmp_path), facts)
        assert [(p.span.line, p.code, p.message) for p in tables.problems] == [
            (3, "row-shape", "this row cannot be split into cells (longer than 2 MiB (2,097,152 bytes), the most one row may hold)"
                             " (the row is left out)"),
            (2, "invalid-outcome", f"outcome '{'s' * 59}…' is neither success nor failure (the row is left out)"),
        ]
        assert tables.customers == 1 and tables.visits == {AD: 1}


def test_a_row_past_2_mib_with_extra_cells_is_placed_at_its_start_on_every_engine(tmp_path: Path, facts: JourneyFacts) -> None:
    """DuckDB records such a row twice (its length, its extra cells): the extra cells' column was shown, 3:4."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("long-row-extra-cells", tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.code, p.message) for p in tables.problems] == [
            (3, 1, "row-shape", "this row cannot be split into cells (longer than 2 MiB (2,097,152 bytes), the most one row may hold)"
                                " (and 1 more row: line 4; those rows are left out)")], engine
        assert tables.rows == 2 and tables.customers == 2, engine


def test_json_numbers_as_ids_are_the_same_customers_on_every_engine(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("json-float-ids", tmp_path), facts)
        assert tables.problems == [] and tables.customers == 3  # 1e16 and 1e+16, 1e-05 twice, the long integer
        assert tables.visits == {AD: 3, POSTCODE: 2}


def test_a_json_number_no_engine_reads_as_written_is_a_bad_line_not_a_customer_called_inf(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("json-endless-numbers", tmp_path), facts)
        assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in tables.problems] == [
            (1, 13, "json", "this line's customer is 1e400, a number past a double's range: every engine reads it as infinity,"
                            " not as its digits (and 1 more row: line 2; those rows are left out)", 'write the value as a JSON string ("1e400")'),
            (3, 92, "json", "this line's segment is NaN, which JSON does not allow (Python's json writes it for a float that is"
                            " no number) (the row is left out)", 'write the value as a JSON string ("NaN")'),
        ]
        assert tables.rows == 1 and tables.customers == 1


def test_null_marks_in_the_outcome_column_are_no_outcome_not_bad_rows(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("outcome-null-marks", tmp_path), facts)
        assert tables.problems == [] and tables.rows == 8 and tables.visits == {AD: 4, POSTCODE: 4}, engine


def test_a_file_named_as_another_format_is_said_to_be_what_it_is(tmp_path: Path, facts: JourneyFacts) -> None:
    assert found("csv-named-jsonl", tmp_path / "a", facts) == [
        (1, 1, "format", "the file is CSV (its first line is a header), but its name says otherwise, so none of it is read")]
    assert found("jsonl-named-csv", tmp_path / "b", facts) == [
        (1, 1, "format", "the file is JSON lines (its first line is a JSON object), but its name says otherwise, so none of it is read")]


def test_a_long_first_line_and_a_json_array_named_csv_are_told_for_what_they_are(tmp_path: Path, facts: JourneyFacts) -> None:
    assert [code for _, _, code, _ in found("first-line-past-128-kib", tmp_path / "a", facts)] == ["format"]  # an HTML page
    assert found("json-array-named-csv", tmp_path / "b", facts) == [
        (1, 1, "json", "the file is one JSON array, not JSON lines (one object a line), so none of its rows are read")]


def test_an_html_page_under_a_logs_name_is_said_to_be_one(tmp_path: Path, facts: JourneyFacts) -> None:
    """A download that returned a web page (a sign-in page when a session expired) or a report exported as an HTML
    table (Salesforce's 'Formatted Report' .xls): was 'no columns customer, timestamp, touchpoint (its header: <html>
    <head>...)' and a warning of a column '<html>...'."""
    page = ('<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form action="/login"></form></body></html>\n')
    table = ('\ufeff<html><head><meta charset="utf-8"></head><body><table>\n<tr><td>customer</td><td>timestamp</td>'
             f'<td>touchpoint</td></tr>\n<tr><td>c1</td><td>2026-09-14T08:31:00Z</td><td>{AD}</td></tr></table></body></html>\n')
    for name, text in (("events.csv", page), ("events.jsonl", page), ("report.xls", table)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        for engine in ("python", "duckdb"):
            told = [(p.span.line, p.code, p.message, p.hint) for p in read(engine, [tmp_path / name], facts).problems]
            assert told == [(1, "format", "the file is an HTML page, not CSV, Parquet or JSON lines, so none of it is read",
                              "a download that returned a web page (a sign-in page, when a session expired?), or a report"
                              " saved as a web page (Salesforce's 'Formatted Report' .xls is one): export the log as CSV")], (engine, name)


def test_columns_without_a_name_are_one_warning_and_the_rest_is_read(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("unnamed-columns", tmp_path), facts)
        assert [(p.span.line, p.code, p.level, p.message) for p in tables.problems] == [
            (1, "unknown-column", "warning", "3 columns of the header have no name (columns 2, 5, 6), so they are not read"),
        ]
        assert tables.rows == 2 and tables.visits == {AD: 1, POSTCODE: 1}


def test_a_lone_surrogate_in_json_is_a_bad_line_with_its_place(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("json-lone-surrogate", tmp_path), facts)
        assert [(p.span.line, p.span.col, p.code) for p in tables.problems] == [(2, 13, "json")]
        assert "a lone UTF-16 surrogate" in tables.problems[0].message
        assert tables.rows == 2 and tables.customers == 2  # the pair \ud83d\ude00 is one character: read


def test_a_duplicate_column_is_one_error_in_the_users_words(tmp_path: Path, facts: JourneyFacts) -> None:
    """At its second cell: it was at 1:1, the header's start."""
    assert found("duplicate-header", tmp_path, facts) == [
        (1, 31, "duplicate-column", "column 'touchpoint' appears twice in the header")
    ]


def test_gzip_is_read_and_a_cut_short_one_keeps_its_rows_before_the_cut(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("python", case_paths("gzip", tmp_path / "a"), facts)
    assert tables.problems == [] and tables.customers == 1
    # It was 'the gzip file is cut short or damaged, so none of its rows are read', without a place: the rows before
    # the cut are read now, as a survey file's are, and the cut is placed where the text it holds ends
    cut = found("gzip-cut-short", tmp_path / "b", facts)
    assert [(line, col, code) for line, col, code, _ in cut] == [(297, 37, "cut-short")]  # rows repeat: 150 bytes hold 296 lines
    assert "the rows before the cut are read" in cut[0][3]
    assert read("python", case_paths("gzip-cut-short", tmp_path / "c"), facts).rows == 295


def test_gzipped_json_lines_under_a_name_that_says_no_format_are_read(tmp_path: Path, facts: JourneyFacts) -> None:
    """Segment's S3 copies and Kinesis Firehose's objects are JSON lines named '....gz': each was 'the file is JSON
    lines (its first line is a JSON object), but its name says otherwise', and a folder of them none read."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("gzip-json-lines-unnamed", tmp_path / engine), facts)
        assert (tables.problems, tables.customers, tables.rows) == ([], 3, 4), engine


def test_a_tar_archive_is_said_to_be_one_with_the_line_that_extracts_it(tmp_path: Path, facts: JourneyFacts) -> None:
    """Adobe Analytics' data feed and other exports deliver a .tar.gz of their files: it was 'a binary file (it holds
    NUL bytes, which text never does)' with the hint 'export the data as CSV (UTF-8) instead'."""
    import io
    import tarfile

    data = (HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\n").encode()
    for name, mode in (("feed.tar", "w"), ("feed.tar.gz", "w:gz")):
        buffer = io.BytesIO()
        with tarfile.open(fileobj=buffer, mode=mode) as archive:
            entry = tarfile.TarInfo("hit_data.csv")
            entry.size = len(data)
            archive.addfile(entry, io.BytesIO(data))
        (tmp_path / name).write_bytes(buffer.getvalue())
        for engine in ("python", "duckdb"):
            told = [(p.code, p.message, p.hint) for p in read(engine, [tmp_path / name], facts).problems]
            assert told == [("encoding", "the file is not UTF-8 text: it is a tar archive of files (as data feeds and backups"
                             " deliver them)", f"extract its files first ({'tar xzf' if mode == 'w:gz' else 'tar xf'} FILE)"
                             ", then read the one that holds the data")], (engine, name)


def test_a_date_and_time_written_as_one_number_is_told_its_iso_8601_form(tmp_path: Path, facts: JourneyFacts) -> None:
    """20260914083100 (YYYYMMDDhhmmss) was read as milliseconds since 1970: the year 2612; 202609140831 as 1976, with
    no word. A number that reads as such a date and time is a bad timestamp with its ISO 8601 form; a count of
    milliseconds in the same sizes that is no such date (1757838660123, 978307200000) is read as before."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("compact-timestamps", tmp_path / engine), facts)
        assert [(p.span.line, p.code, p.message, p.hint) for p in tables.problems] == [
            (2, "invalid-timestamp", "'20260914083100' is not a timestamp (and 3 more rows: lines 3, 4, 5; those rows are left out)",
             "write it as 2026-09-14T08:31:00: the number is a date and time without separators (YYYYMMDDhhmmss), not a count"
             " of milliseconds since 1970 (ISO 8601, with Z or a UTC offset; no zone means UTC)")], engine
        assert (tables.customers, tables.rows) == (2, 7), engine  # c3, and c4 (month 13: milliseconds, the year 2612)
    # a BIGINT column of them in Parquet (the reference reads Parquet with pyarrow, which the tests do not install)
    parquet = _parquet(tmp_path / "log.parquet", [("c1", 20260914083100, AD), ("c1", 1757838720123, POSTCODE), ("c2", 202609140831, AD)])
    tables = read("duckdb", parquet, facts)
    assert [(p.span.line, p.code) for p in tables.problems] == [(2, "invalid-timestamp")] and tables.customers == 1
    assert "(and 1 more row: line 4; those rows are left out)" in tables.problems[0].message


def test_iso_week_and_ordinal_dates_and_picoseconds_are_told_their_calendar_form(tmp_path: Path, facts: JourneyFacts) -> None:
    """2026-W14-4, 2026-092 and a fraction of twelve digits were told only the general hint (write YYYY-MM-DDTHH:MM:SS):
    each is now told the calendar date it names, with its time, or why it names none."""
    iso = " (ISO 8601, with Z or a UTC offset; no zone means UTC)"
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("other-iso-dates", tmp_path / engine), facts)
        assert sorted((Path(p.span.file).name, p.span.line, p.span.col, p.code, p.message, p.hint) for p in tables.problems) == [
            ("ordinal.csv", 2, 4, "invalid-timestamp", "'2026-092' is not a timestamp (and 1 more row: line 4; those rows are left out)",
             "'2026-092' is an ordinal date (day 92 of 2026): write the calendar date, 2026-04-02" + iso),
            ("picoseconds.csv", 2, 4, "invalid-timestamp",
             "'2026-04-02T10:00:00.123456789012+02:00' is not a timestamp (the row is left out)",
             "write at most nine digits after the second's point (nanoseconds; journeymap reads microseconds):"
             " 2026-04-02T10:00:00.123456789+02:00" + iso),
            ("week.csv", 2, 4, "invalid-timestamp", "'2026-W14-4T10:00:00Z' is not a timestamp (and 1 more row: line 4; those rows are left out)",
             "'2026-W14-4T10:00:00Z' is an ISO week date (Thursday of week 14 of 2026): write the calendar date,"
             " 2026-04-02T10:00:00Z" + iso),
        ], engine
    from journeymap.data.engines.rows import iso_form, parse_timestamp

    assert iso_form("2026-W14") == ("'2026-W14' is an ISO week, not a moment: write the calendar date of the event, such as"
                                    " the week's Monday, 2026-03-30")
    assert iso_form("2026-366") == "'2026-366' is an ordinal date (a day of the year), and 2026 has days 001 to 365"
    assert iso_form("2028-366T23:00:00Z") == ("'2028-366T23:00:00Z' is an ordinal date (day 366 of 2028): write the calendar"
                                              " date, 2028-12-31T23:00:00Z")
    assert iso_form("2026-W54-1") == "'2026-W54-1' is an ISO week date, and 2026 has weeks 01 to 53"
    assert iso_form("2020W535") == "'2020W535' is an ISO week date (Friday of week 53 of 2020): write the calendar date, 2021-01-01"
    assert iso_form("2026-W14-8") == "'2026-W14-8' is an ISO week date, and its day of the week is 1 (Monday) to 7 (Sunday)"
    assert iso_form("9999-W52-7") == "'9999-W52-7' is an ISO week date outside the years 0001 to 9999"
    assert parse_timestamp("2026-04-02T10:00:00.123456789Z") is not None  # nine digits are read, as before


def test_a_header_without_rows_is_a_warning(tmp_path: Path, facts: JourneyFacts) -> None:
    assert found("header-only", tmp_path, facts) == [(1, 1, "no-rows", "the event log has a header but no rows")]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_nuls_and_a_dos_end_of_file_mark_after_the_last_row_are_one_warning_and_every_row_is_read(
        tmp_path: Path, facts: JourneyFacts, engine: str) -> None:
    for case in ("padded-dos-eof", "padded-nuls"):
        tables = read(engine, case_paths(case, tmp_path / case), facts)
        said = [(Path(p.span.file).name, p.span.line, p.span.col, p.level, p.code, p.message, p.hint) for p in tables.problems]
        if case == "padded-dos-eof":
            mark = ("a DOS end-of-file mark (0x1A, Ctrl-Z, as copy /b and old DOS and Windows tools end a file) after its last row,"
                    " which is no row and is ignored")
            assert sorted(said) == [
                ("log.csv", 4, 1, "warning", "padding", f"the file ends with {mark}",
                 "nothing is lost; head -c 120 FILE > NEW writes the file without them"),
                ("log.jsonl", 1, 82, "warning", "padding", f"the file ends with {mark}",
                 "nothing is lost; head -c 81 FILE > NEW writes the file without them")]
            assert (tables.rows, tables.customers) == (3, 2)
        else:
            nuls = "NUL bytes (zeros, as a logger that preallocates its file, or a copy or a disk that stopped part-way, leaves)"
            assert sorted(said) == [
                ("log.csv", 2, 39, "error", "invalid-outcome", "outcome '\\x00' is neither success nor failure (the row is left out)",
                 "leave the outcome empty, or write success or failure"),
                # the NUL inside the rows is told too, at its place (a NUL in a customer id was read without a word)
                ("log.csv", 2, 39, "warning", "nul-bytes", "the file holds 1 NUL byte (zeros) inside its rows, as a write or"
                 " a copy that never finished leaves them, the first here: the cells holding them are read with them (a"
                 " customer id with a NUL is another customer), and rows may be missing where they are",
                 "rows may be missing where the NULs are: compare the file with its source, or export it again (tr -d"
                 " '\\000' < FILE > NEW.csv writes it without them)"),
                ("log.csv", 5, 1, "warning", "padding", f"the file ends with 70,000 {nuls} after its last row, which are no rows"
                 " and are ignored", "nothing is lost; head -c 157 FILE > NEW writes the file without them"),
                ("log.jsonl.gz", 2, 1, "warning", "padding", f"the file ends with 3,000 {nuls} after its last row, which are no rows"
                 " and are ignored", "nothing is lost; gzip -dc FILE | head -c 82 > NEW writes the file without them")]
            assert (tables.rows, tables.customers) == (4, 2)  # the row with a NUL in its outcome is read, and bad


def test_json_lines_keep_their_good_lines_and_place_the_bad_ones(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("python", case_paths("json-lines", tmp_path), facts)
    assert sorted((p.span.line, p.span.col, p.code) for p in tables.problems) == [
        (1, 1, "unknown-column"), (2, 66, "not-scalar"), (3, 1, "json")
    ]
    json_problem = next(p for p in tables.problems if p.code == "json")
    assert "and 1 more row: line 4" in json_problem.message  # the list line [1, 2]
    assert tables.rows == 3 and tables.customers == 2  # the object line is a row; {} and the blank line are not
    assert tables.visitors == {AD: 1, POSTCODE: 1}


@pytest.mark.parametrize(("name", "column"), [("semicolons-comma-in-header", "notes (free text, optional)"),
                                              ("tabs-comma-in-header", "City, Country")])  # as the header writes it
def test_a_comma_in_a_column_name_does_not_make_a_file_of_semicolons_or_tabs_comma_separated(
    name: str, column: str, tmp_path: Path, facts: JourneyFacts
) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths(name, tmp_path / engine), facts)
        assert [(p.code, p.message) for p in tables.problems] == [
            ("unknown-column", f"column '{column}' is not one journeymap reads; it is ignored")], engine
        assert tables.rows == 2 and tables.visits == {AD: 1, POSTCODE: 1}, engine


@pytest.mark.parametrize(("name", "content", "customer"), [
    ("ga4.csv", f"event_timestamp,event_name,user_id,user_pseudo_id\n1767261600000000,{AD},,1234.5\n"
                f"1767261660000000,{POSTCODE},,1234.5\n", "user_pseudo_id"),
    ("segment.jsonl", f'{{"userId":null,"anonymousId":"a1","event":"{AD}","timestamp":"2026-01-01T10:00:00Z"}}\n'
                      f'{{"userId":null,"anonymousId":"a1","event":"{POSTCODE}","timestamp":"2026-01-01T10:01:00Z"}}\n', "anonymousId"),
])
def test_the_hint_reads_the_anonymous_id_of_an_export_that_has_a_user_id_too(
    name: str, content: str, customer: str, tmp_path: Path, facts: JourneyFacts
) -> None:
    """GA4 and Segment write a user id (empty until a visitor signs in) beside the id every visitor has:
    the hint named the user id, which read every row without a customer."""
    import shlex

    from journeymap.data.engines.rows import parse_columns

    path = tmp_path / name
    path.write_text(content)
    for engine in ("python", "duckdb"):
        error = next(p for p in read(engine, [path], facts).problems if p.code == "missing-column")
        assert error.hint is not None and f"--events-column customer={customer} " in error.hint, engine
        options = shlex.split(error.hint.split(" with ", 1)[1].split(", or rename", 1)[0])[1::2]
        tables = get_engine(engine)[1]([path], facts, EngineOptions(columns=tuple(parse_columns(options).items())))
        assert tables.customers == 1 and tables.visits == {AD: 1, POSTCODE: 1}, engine


def test_a_nested_key_named_for_a_column_is_said_to_be_unread_with_a_jq_that_flattens_the_log(
    tmp_path: Path, facts: JourneyFacts
) -> None:
    """--events-column customer=properties.distinct_id (Mixpanel's export) suggested customer=properties."""
    from journeymap.data.engines.rows import parse_columns

    path = tmp_path / "mixpanel.jsonl"
    path.write_text(f'{{"event":"{AD}","properties":{{"distinct_id":"c1","time":1767261600,"$plan":"x"}}}}\n'
                    f'{{"event":"{POSTCODE}","properties":{{"distinct_id":"c1","time":1767261660,"$plan":"x"}}}}\n')
    columns = parse_columns(["customer=properties.distinct_id", "touchpoint=event", "timestamp=properties.time",
                             "segment=Properties.$plan"])
    jq = "{customer: .properties.distinct_id, timestamp: .properties.time, touchpoint: .event, segment: .properties.\"$plan\"}"
    for engine in ("python", "duckdb"):
        tables = get_engine(engine)[1]([path], facts, EngineOptions(columns=tuple(columns.items())))
        error = next(p for p in tables.problems if p.is_error)
        assert error.hint == ("nested keys are not read ('properties.distinct_id', 'properties.time', 'Properties.$plan'"
                              " are keys inside 'properties'): flatten the log into journeymap's columns and read that"
                              f" without --events-column: jq -c '{jq}' {path} > flat.jsonl"), engine
        assert "did you mean" not in str(tables.problems), engine
    if shutil.which("jq"):  # the hint's command gives a log every engine reads
        flat = tmp_path / "flat.jsonl"
        flat.write_bytes(subprocess.run(["jq", "-c", jq, str(path)], check=True, capture_output=True).stdout)
        assert read("duckdb", [flat], facts).visits == {AD: 1, POSTCODE: 1}


def test_a_mixpanel_export_is_told_where_its_customer_and_time_are_with_a_jq_that_flattens_it(
    tmp_path: Path, facts: JourneyFacts
) -> None:
    """Mixpanel's export keeps the id and the time inside 'properties': without options the hint was 'read it with
    --events-column touchpoint=event', and the customer and the timestamp were left to guess (its header: event,
    properties)."""
    path = tmp_path / "mixpanel.jsonl"
    path.write_text(f'{{"event":"{AD}","properties":{{"time":1767261600,"distinct_id":"c1","$insert_id":"a","mp_lib":"web"}}}}\n'
                    f'{{"event":"{POSTCODE}","properties":{{"time":1767261660,"distinct_id":"c1","$insert_id":"b"}}}}\n')
    jq = "{customer: .properties.distinct_id, timestamp: .properties.time, touchpoint: .event}"
    for engine in ("python", "duckdb"):
        error = next(p for p in read(engine, [path], facts).problems if p.is_error)
        assert (error.code, error.message) == ("missing-column", "the event log has no columns 'customer', 'timestamp', 'touchpoint'"
                                               " (its header: event, properties)"), engine
        assert error.hint == ("'distinct_id' and 'time' are keys inside 'properties' (as Mixpanel's export writes them),"
                              " and nested keys are not read: flatten the log into journeymap's columns:"
                              f" jq -c '{jq}' {path} > flat.jsonl"), engine
    if shutil.which("jq"):  # the hint's command gives a log every engine reads
        flat = tmp_path / "flat.jsonl"
        flat.write_bytes(subprocess.run(["jq", "-c", jq, str(path)], check=True, capture_output=True).stdout)
        assert read("duckdb", [flat], facts).visits == {AD: 1, POSTCODE: 1}


def test_the_jq_that_flattens_a_mixpanel_export_keeps_the_processing_time_that_tells_its_time_zone(
    tmp_path: Path, facts: JourneyFacts
) -> None:
    """The jq of the hint kept the id, the time and the event: its mp_processing_time_ms, which tells a time in the project's
    time zone (Mixpanel's export writes time so), was lost, and the flattened log read 7 hours early without a word."""
    path = tmp_path / "mixpanel.jsonl"
    path.write_text("".join(json.dumps({"event": tp, "properties": {"time": t - 7 * 3600, "distinct_id": c, "$insert_id": f"i{t}",
                                                                    "mp_processing_time_ms": (t + 3) * 1000}}) + "\n"
                            for c, t, tp in (("c1", 1775124932, AD), ("c1", 1775125032, POSTCODE), ("c2", 1775128532, AD),
                                             ("c2", 1775128600, POSTCODE), ("c3", 1775130000, AD))))
    jq = ("{customer: .properties.distinct_id, timestamp: .properties.time, touchpoint: .event,"
          " mp_processing_time_ms: .properties.mp_processing_time_ms}")
    for engine in ("python", "duckdb"):
        error = next(p for p in read(engine, [path], facts).problems if p.is_error)
        assert error.hint is not None and error.hint.endswith(f" jq -c '{jq}' {path} > flat.jsonl"), engine
    flat = tmp_path / "flat.jsonl"
    flat.write_bytes(subprocess.run(["jq", "-c", jq, str(path)], check=True, capture_output=True).stdout)
    for engine in ("python", "duckdb"):  # its column is read for that, and not said to be ignored
        assert [(p.span.line, p.code) for p in read(engine, [flat], facts).problems] == [(1, "project-time-zone")], engine


def test_json_lines_that_end_with_a_comma_are_told_so_with_the_sed_that_deletes_it(tmp_path: Path, facts: JourneyFacts) -> None:
    """An array's items without its brackets ('{...},' a line, as a script or a console writes them): was 'no line
    of the file is a JSON object (line 1 is not JSON)' with the hint 'write one JSON object a line', and a line of
    them among good ones 'this line is not a JSON object (extra data)'."""
    line = '{{"customer":"c1","timestamp":"2026-01-01T10:0{}:00Z","touchpoint":"{}"}}'
    every = tmp_path / "every.jsonl"
    every.write_text(f"{line.format(0, AD)},\n{line.format(1, POSTCODE)}, \n")
    some = tmp_path / "some.jsonl"
    some.write_text(f"{line.format(0, AD)}\n{line.format(1, POSTCODE)},\n")
    sed = "delete the comma that ends each line: sed -E 's/,[[:space:]]*$//' FILE > NEW"
    for engine in ("python", "duckdb"):
        assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in read(engine, [every], facts).problems] == [
            (1, 1, "json", "no line of the file is a JSON object alone (line 1 is an object followed by a comma, as an array's"
             " items are written), so it names no columns and none of it is read", sed)], engine
        tables = read(engine, [some], facts)
        assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in tables.problems] == [
            (2, 83, "json", "this line is a JSON object followed by a comma, as an array's items are written (the row is left out)",
             sed)], engine
        assert tables.visits == {AD: 1}, engine


def test_seconds_since_1970_with_a_decimal_comma_are_told_to_write_a_point(tmp_path: Path, facts: JourneyFacts) -> None:
    """A ';' file from a locale that writes a decimal comma (Excel's in Germany, France): '1757838660,5' was 'not a
    timestamp' with the hint for ISO 8601, which said nothing of the comma."""
    path = tmp_path / "log.csv"
    path.write_text(f"customer;timestamp;touchpoint\nc1;1757838660,5;{AD}\nc1;1757838720,25;{POSTCODE}\nc2;1,5;{AD}\n")
    for engine in ("python", "duckdb"):
        told = [(p.span.line, p.message, p.hint) for p in read(engine, [path], facts).problems]
        assert told == [(2, "'1757838660,5' is not a timestamp (and 2 more rows: lines 3, 4; those rows are left out)",
                         "write the number with a decimal point, not a comma: 1757838660.5")], engine


def test_an_excel_day_number_with_a_decimal_comma_is_told_to_be_one(tmp_path: Path, facts: JourneyFacts) -> None:
    """A date-time column left in Excel's General format, saved as CSV in a locale of decimal commas, is day numbers:
    '46114,427' was told to be written '46114.427', which read as seconds is 1970-01-01 12:48 (an early-timestamp warning
    about Excel then). It is told to be a day number, with the moment it names."""
    path = tmp_path / "log.csv"
    path.write_text(f"Kunde;Zeitpunkt;Touchpoint\nc1;46114,42745;{AD}\nc1;46114,4375;{POSTCODE}\nc2;46115;{AD}\n")
    columns = EngineOptions(columns=(("customer", "Kunde"), ("timestamp", "Zeitpunkt"), ("touchpoint", "Touchpoint")))
    for engine in ("python", "duckdb"):
        told = [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in get_engine(engine)[1]([path], facts, columns).problems]
        assert told == [(2, 4, "invalid-timestamp", "'46114,42745' is not a timestamp (and 1 more row: line 3; those rows are left out)",
                         "'46114,42745' is an Excel day number and time (2026-04-02 10:15:32), saved in Excel's General format:"
                         " format the column as yyyy-mm-dd hh:mm:ss before saving, or write 2026-04-02T10:15:32")], engine


def test_times_without_a_zone_beside_times_with_an_offset_are_told(tmp_path: Path, facts: JourneyFacts) -> None:
    """A web log written with its offset (Segment's, '2026-04-02T10:15:00+02:00') read with a contact centre's log in
    local time without a zone ('2026-04-02 10:20:00'): the second was read as UTC without a word, so a customer's call
    five minutes after the ad came before it, and the step between the two channels was reversed."""
    web, calls = tmp_path / "web.csv", tmp_path / "calls.csv"
    web.write_text(HEADER + f"c1,2026-04-02T10:15:00+02:00,{AD},\nc2,2026-04-02T11:15:00+02:00,{AD},\n")
    calls.write_text("customer;timestamp;touchpoint\n" + f"c1;2026-04-02 10:20:00;{POSTCODE}\nc2;2026-04-02 11:20:00;{POSTCODE}\n")
    told = {}
    for engine in ("python", "duckdb"):
        tables = read(engine, [web, calls], facts)
        told[engine] = problems(tables)
        assert [(Path(p.span.file).name, p.span.line, p.span.col, p.level, p.code, p.message.replace(f"{tmp_path}/", ""), p.hint)
                for p in tables.problems] == [
            ("calls.csv", 2, 4, "warning", "no-zone",
             "timestamps of this file have no zone ('2026-04-02 10:20:00', the first at this line) and are read as UTC,"
             " while web.csv's have an offset from UTC ('2026-04-02T10:15:00+02:00', line 2): if those without one are local"
             " time, as the others are, each step between them is off by that offset, and a customer's steps may be out of order",
             "write each time with its offset (2026-04-02T10:20:00+02:00), or every time in UTC with Z; or, if those without"
             " one are local time in one zone, say which: --events-time-zone Europe/Paris (an IANA name)")], engine
    assert told["python"] == told["duckdb"]
    # in one file; and times in UTC beside times without a zone (Segment's Z beside Amplitude's event_time, both UTC): no word
    both = tmp_path / "both.csv"
    both.write_text(HEADER + f"c1,2026-04-02T10:15:00+0200,{AD},\nc1,2026-04-02T10:20:00,{POSTCODE},\n")
    utc = tmp_path / "utc.csv"
    utc.write_text(HEADER + f"c1,2026-04-02T10:15:00Z,{AD},\nc2,2026-04-02 10:20:00.123456,{POSTCODE},\n")
    for engine in ("python", "duckdb"):
        assert [(p.span.line, p.code) for p in read(engine, [both], facts).problems] == [(3, "no-zone")], engine
        assert read(engine, [utc, calls], facts).problems == [], engine


def test_mixpanels_time_in_the_projects_time_zone_is_told(tmp_path: Path, facts: JourneyFacts) -> None:
    """Mixpanel's raw export writes 'time' as seconds since 1970 in the project's time zone, not UTC (US/Pacific unless
    changed): read as UTC, every event was 7 hours early in summer, without a word, and a customer's evening visit fell on
    the day before. Its mp_processing_time_ms, in UTC, a few seconds after each event, tells the offset."""
    rows = [("u1", AD, 1775124932, 2), ("u1", POSTCODE, 1775125032, 5), ("u2", AD, 1775128532, 1), ("u2", POSTCODE, 1775128600, 40),
            ("u3", AD, 1775130000, 3), ("u3", POSTCODE, 1775130100, 2)]
    flat = tmp_path / "mixpanel.jsonl"  # flattened as jq -c '.properties + {event}' writes it
    flat.write_text("".join(json.dumps({"event": tp, "time": t - 7 * 3600, "distinct_id": c, "$insert_id": f"i{i}",
                                        "mp_processing_time_ms": (t + lag) * 1000}) + "\n"
                            for i, (c, tp, t, lag) in enumerate(rows)))
    columns = EngineOptions(columns=(("customer", "distinct_id"), ("timestamp", "time"), ("touchpoint", "event")))
    told = {}
    for engine in ("python", "duckdb"):
        tables = get_engine(engine)[1]([flat], facts, columns)
        told[engine] = problems(tables)
        (zone,) = [p for p in tables.problems if p.code == "project-time-zone"]
        assert (zone.span.line, zone.span.col, zone.level, zone.message, zone.hint) == (
            1, 36, "warning", "the times are 7 hours before the moments Mixpanel processed their events (mp_processing_time_ms,"
            " which is in UTC), as Mixpanel's export writes time in the project's time zone, here UTC-07:00, not in UTC: read"
            " as UTC, every event is 7 hours early, a customer's day may be the one before, and steps to another log's events"
            " are off by as much", "add 25200 seconds to each time (the project's offset; an hour more or less where it"
            " changes for summer time), or set the project's time zone to UTC before exporting"), engine
    assert told["python"] == told["duckdb"]
    # a project in UTC: each time a few seconds before its processing, no word
    utc = tmp_path / "utc.jsonl"
    utc.write_text("".join(json.dumps({"event": tp, "time": t, "distinct_id": c, "mp_processing_time_ms": (t + lag) * 1000}) + "\n"
                           for c, tp, t, lag in rows))
    for engine in ("python", "duckdb"):
        assert not [p for p in get_engine(engine)[1]([utc], facts, columns).problems if p.code == "project-time-zone"], engine


def test_a_ragged_row_is_one_rule_one_message_one_place(tmp_path: Path, facts: JourneyFacts) -> None:
    assert found("ragged", tmp_path, facts) == [(
        2, 38, "row-shape",
        "this row has 3 cells but the header has 4 columns (and 1 more row: line 3; those rows are left out)",
    )]
    tables = read("duckdb", case_paths("ragged", tmp_path / "again"), facts)
    line_three = (tmp_path / "again" / "log.csv").read_text().splitlines()[2]
    assert line_three.index(",extra") + 2 == 41  # where the first extra cell starts, were it the first problem
    assert tables.rows == 1 and tables.customers == 1


def test_zones_are_honoured_and_no_zone_means_utc(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("python", case_paths("zones", tmp_path), facts)
    # c2's 10:00 has no zone, beside c1's +01:00: read as UTC, and told (test_times_without_a_zone_...)
    assert [(p.span.line, p.code) for p in tables.problems] == [(4, "no-zone")]
    gaps = {(f.source, f.target): (f.count, f.median_seconds) for f in tables.flows}
    # c1: 10:00Z then 11:30+01:00 = 10:30Z; c2: 10:00 (UTC) then 09:59-00:30 = 10:29Z
    assert gaps == {(AD, POSTCODE): (2, 1740.0)}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_times_without_a_zone_across_a_summer_time_change_are_utc_on_every_machine(
        engine: str, tmp_path: Path, facts: JourneyFacts, monkeypatch: pytest.MonkeyPatch) -> None:
    """Times without a zone across Europe's changes to and from summer time (29 March and 25 October 2026), read on a
    machine whose zone has them: they are UTC, whatever the machine's zone, on every engine, so no step is negative
    and none an hour off for a log that writes UTC (01:50 to 03:10 is 80 minutes, 02:10 to 02:50 40). (A log that writes local time is an hour off across the change,
    and its repeated autumn hour may be out of order: docs/FORMAT.md says to write the offset.)"""
    import time

    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    try:
        log = tmp_path / "log.csv"
        log.write_text(HEADER + f"c1,2026-03-29 01:50:00,{AD},\nc1,2026-03-29 03:10:00,{POSTCODE},\n"
                       f"c2,2026-10-25T02:10,{AD},\nc2,2026-10-25T02:50,{POSTCODE},\n"
                       f"c3,2026-10-25 01:50,{AD},\nc3,2026-10-25 03:10,{POSTCODE},\n")
        tables = read(engine, [log], facts)
    finally:
        monkeypatch.undo()
        time.tzset()
    assert tables.problems == []
    [flow] = tables.flows
    assert (flow.source, flow.target, flow.count, flow.median_seconds, flow.p90_seconds) == (AD, POSTCODE, 3, 4800.0, 4800.0)
    days = [(date(2026, 3, 29) - date(1970, 1, 1)).days, (date(2026, 10, 25) - date(1970, 1, 1)).days]
    assert sorted((c.day, c.customers) for c in tables.cohorts) == [(days[0], 1), (days[1], 2)]


def test_milliseconds_microseconds_and_nanoseconds_since_1970_are_told_apart_by_size(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("python", case_paths("epoch-units", tmp_path), facts)
    assert tables.problems == []
    # c1: ms then s, a minute apart; c2: µs then ns, two minutes; c3: seconds then ms in E notation, 30 s
    assert [(f.source, f.target, f.count, f.median_seconds, f.p90_seconds) for f in tables.flows] == [(AD, POSTCODE, 3, 60.0, 120.0)]
    assert tables.customers == 5  # c4 (-10^12 ms: 1938) and c5 (ms with a fraction) are good rows too


def test_a_workbook_a_gzip_or_utf_16_under_a_csv_name_is_said_to_be_one(tmp_path: Path, facts: JourneyFacts) -> None:
    said = {name: found(name, tmp_path / name, facts) for name in ("excel-workbook", "gzip-named-csv", "utf-16", "latin-1")}
    assert said == {
        "excel-workbook": [(1, 1, "encoding", "the file is not UTF-8 text: it is an Excel workbook or another zip archive")],
        "gzip-named-csv": [(1, 1, "encoding", "the file is not UTF-8 text: it is gzip-compressed")],
        "utf-16": [(1, 1, "encoding", "the file is not UTF-8 text: it is UTF-16 text (Excel's 'Unicode text')")],
        "latin-1": [(2, 28, "encoding", "the file is not UTF-8 text (byte 0xe9, which is \u00e9 in Windows-1252, as Word, Excel"
                              " and Notepad on Windows save text)")],  # no telltale start: the byte
    }
    assert found("bzip2", tmp_path / "bz", facts) == [(1, 1, "encoding", "the file is not UTF-8 text: it is bzip2-compressed")]
    assert found("xz", tmp_path / "xz", facts) == [(1, 1, "encoding", "the file is not UTF-8 text: it is xz-compressed")]


def test_a_json_array_is_one_clear_error_and_a_first_line_list_is_a_bad_line(tmp_path: Path, facts: JourneyFacts) -> None:
    for name in ("json-array", "json-array-one-line"):
        assert [(line, col, code) for line, col, code, _ in found(name, tmp_path / name, facts)] == [(1, 1, "json")]
        assert "one JSON array, not JSON lines" in found(name, tmp_path / name, facts)[0][3]
    tables = read("python", case_paths("json-first-line-a-list", tmp_path / "list"), facts)
    assert [(p.span.line, p.code) for p in tables.problems] == [(1, "json")] and tables.customers == 1


@pytest.mark.parametrize(("name", "line", "message", "hint"), [
    ("json-lines-classic-mac", 1, "the file's lines end at a lone carriage return (CR, as classic Mac OS ended them), not at a line"
     " feed (LF), which ends a JSON line, so none of its rows are read", "end its lines with LF: tr '\\r' '\\n' < FILE > NEW.jsonl converts it"),
    ("json-lines-of-arrays", 2, "no line of the file is a JSON object (line 2 is a JSON list), so it names no columns and none of it is read",
     "write one object a line, the columns named: jq -c '{customer: .[0], timestamp: .[1], touchpoint: .[2]}' FILE > NEW.jsonl,"
     " with the places of your columns"),
    ("json-lines-of-text", 1, "no line of the file is a JSON object (line 1 is not JSON), so it names no columns and none of it is read",
     "write one JSON object a line; a CSV file is read when named .csv"),
])
def test_json_lines_without_an_object_line_are_said_to_be_what_they_are(
    name: str, line: int, message: str, hint: str, tmp_path: Path, facts: JourneyFacts
) -> None:
    """Each was "the event log has no columns 'customer', 'timestamp', 'touchpoint' (its header: empty)"."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths(name, tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in tables.problems] == [
            (line, 1, "json", message, hint)], engine


def test_pretty_printed_json_is_one_clear_error(tmp_path: Path, facts: JourneyFacts) -> None:
    for name in ("json-pretty", "json-pretty-jsonl"):
        for engine in ("python", "duckdb"):
            tables = read(engine, case_paths(name, tmp_path / name / engine), facts)
            assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in tables.problems] == [(
                1, 1, "json", "the file is pretty-printed JSON, not JSON lines (one object a line), so none of its rows are read",
                "write one object a line: jq -c . events.json > events.jsonl converts it")], (name, engine)


def test_zones_as_databases_print_them_and_nanosecond_fractions_are_read(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("python", case_paths("iso-variants", tmp_path), facts)
    assert [(p.code, p.span.line, p.span.col) for p in tables.problems] == [("invalid-timestamp", 7, 4)]
    # two spaces before +02:00; ten digits; UTC unspaced; hour 24 twice
    assert "(and 4 more rows: lines 8, 11, 12, 13;" in tables.problems[0].message
    # c1: 10:00:00 then 10:01:00.123456 (UTC); c2: 15:30:00.123456 then 15:32:00.999999; c6 (BigQuery's UTC): 120 s
    assert [(f.source, f.target, f.count) for f in tables.flows] == [(AD, POSTCODE, 3)]
    assert tables.flows[0].median_seconds == pytest.approx(120.0)
    assert tables.flows[0].p90_seconds == pytest.approx(120.876543, abs=1e-5)
    assert tables.customers == 4  # c1, c2, c3 (10:00-02 is 12:00Z) and c6; c4, c5 and c7 are bad rows


def test_an_offset_after_a_space_is_read_as_snowflake_and_ruby_write_it(tmp_path: Path, facts: JourneyFacts) -> None:
    """Snowflake's '2026-09-14 08:31:00.123 -0700' was a bad timestamp on every row of its export."""
    tables = read("python", case_paths("offset-after-a-space", tmp_path), facts)
    assert [(p.code, p.span.line, p.span.col) for p in tables.problems] == [("invalid-timestamp", 7, 4)]  # a zone after the offset
    assert tables.customers == 3  # c1, c2, c3
    # c1: 15:31:00.123Z then 15:32:00Z; c2: 03:01:00Z then 03:03:00.5Z
    assert sorted((f.source, f.target, f.count) for f in tables.flows) == [(AD, POSTCODE, 2)]
    assert (tables.flows[0].median_seconds, tables.flows[0].p90_seconds) == (pytest.approx(59.877), pytest.approx(120.5))


def test_mongoexports_extended_json_is_named_with_a_jq_that_unwraps_it(tmp_path: Path, facts: JourneyFacts) -> None:
    """{"$date": ...} was "a JSON object, not text or a number" (hint: "write the value as text"), every row left out."""
    paths = case_paths("mongoexport", tmp_path)
    tables = read("python", paths, facts)
    errors = [p for p in tables.problems if p.is_error]
    assert [(p.code, p.span.line, p.span.col) for p in errors] == [("not-scalar", 1, 37), ("not-scalar", 1, 65)]
    assert errors[0].message.startswith('the customer is a JSON object {"$oid": ...} (MongoDB\'s extended JSON, as mongoexport writes it)')
    assert errors[1].message.startswith('the timestamp is a JSON object {"$date": ...}')
    assert errors[0].hint is not None and "jq -c" in errors[0].hint
    if shutil.which("jq") is None:
        return
    command = errors[0].hint.split("unwrap its values: ", 1)[1].split(" FILE > NEW")[0]
    unwrapped = tmp_path / "unwrapped.jsonl"
    unwrapped.write_bytes(subprocess.run([*shlex.split(command), str(paths[0])], capture_output=True, check=True).stdout)
    tables = read("python", [unwrapped], facts)
    assert not [p for p in tables.problems if p.is_error]
    assert (tables.customers, [(f.source, f.target, f.count) for f in tables.flows]) == (1, [(AD, POSTCODE, 1)])


@pytest.mark.parametrize(("name", "message"), [
    ("comments-above-header", "the header is line 6, not the first line: lines 1-5 above it are comments and blank lines"
     " ('# ----------------------------------------'), as analytics report exports write notes above their header; the file is not read"),
    ("bom-comments-above-header", "the header is line 4, not the first line: lines 1-3 above it are comments ('#=====')"),
    ("blank-line-above-header", "the header is line 2, not the first line: line 1 above it is blank; the file is not read"),
])
def test_lines_above_the_header_are_said_to_be_so_with_an_awk_that_deletes_them(
    name: str, message: str, tmp_path: Path, facts: JourneyFacts,
) -> None:
    """They were "the event log has no columns 'customer', 'timestamp', 'touchpoint' (its header: # ---...)"
    and a warning of an unknown column '# ---...', or "(its header: empty)"."""
    paths = case_paths(name, tmp_path)
    tables = read("python", paths, facts)
    assert [(p.code, p.span.line, p.span.col) for p in tables.problems] == [("missing-column", 1, 1)]
    assert tables.problems[0].message.startswith(message)
    hint = tables.problems[0].hint
    assert hint is not None and hint.startswith("delete the lines above the header: awk '")
    if shutil.which("awk") is None:
        return
    program = hint.split("awk ", 1)[1].split(" FILE > NEW")[0]
    text = gzip.decompress(paths[0].read_bytes()) if paths[0].suffix == ".gz" else paths[0].read_bytes()
    kept = tmp_path / "kept.csv"
    kept.write_bytes(subprocess.run(["awk", *shlex.split(program)], input=text, capture_output=True, check=True).stdout)
    tables = read("python", [kept], facts)
    assert (tables.problems, tables.customers) == ([], 1)


@pytest.mark.parametrize(("name", "names"), [("no-header-tsv", "customer\\ttimestamp\\ttouchpoint\\toutcome"),
                                             ("no-header-csv", "customer,timestamp,touchpoint")])
def test_a_log_without_a_header_is_said_to_have_none_with_the_line_to_add(
    name: str, names: str, tmp_path: Path, facts: JourneyFacts,
) -> None:
    paths = case_paths(name, tmp_path)
    tables = read("python", paths, facts)
    assert [(p.code, p.span.line, p.span.col) for p in tables.problems] == [("missing-column", 1, 1)]
    assert tables.problems[0].message.startswith("the first line is a row, not a header: its cell 2 ('2026-01-01")
    hint = tables.problems[0].hint
    assert hint is not None and f"(printf '{names}\\n'; cat FILE) > NEW" in hint
    command = hint.split(": (printf ", 1)[1].split(" > NEW")[0].replace("FILE", shlex.quote(str(paths[0])))
    written = tmp_path / ("named" + paths[0].suffix)
    written.write_bytes(subprocess.run(["sh", "-c", "(printf " + command], capture_output=True, check=True).stdout)
    tables = read("python", [written], facts)
    assert (tables.problems, tables.customers) == ([], 1)


def test_an_adobe_data_feed_is_told_its_header_is_in_column_headers_with_the_line_that_joins_them(
    tmp_path: Path, facts: JourneyFacts
) -> None:
    """Adobe Analytics' data feed delivers hit_data.tsv without a header and its columns' names in column_headers.tsv
    beside it: the hint said to write the names as its first line, in the order of its cells (a feed has hundreds)."""
    from journeymap.data.engines.rows import parse_columns

    feed = tmp_path / "feed"
    feed.mkdir()
    (feed / "column_headers.tsv").write_text("accept_language\tdate_time\tmcvisid\tpost_pagename\tvisit_num")  # no line break
    (feed / "hit_data.tsv").write_text(f"en-US\t2026-09-14 08:31:00\t0123\t{AD}\t1\n"
                                       f"en-US\t2026-09-14 08:32:00\t0123\t{POSTCODE}\t1\n")
    for engine in ("python", "duckdb"):
        (error,) = read(engine, [feed / "hit_data.tsv"], facts).problems
        assert error.code == "missing-column" and error.message.startswith("the first line is a row, not a header"), engine
        assert error.hint == ("its columns' names are in column_headers.tsv beside it, as Adobe Analytics' data feed"
                              " delivers them: awk 1 column_headers.tsv hit_data.tsv > hits.tsv writes them above its rows"), engine
    subprocess.run(["sh", "-c", error.hint.split(": ", 1)[1].split(" writes")[0]], cwd=feed, check=True)
    (error, *_) = read("python", [feed / "hits.tsv"], facts).problems
    assert error.hint is not None
    options = shlex.split(error.hint.split(" with ", 1)[1].split(", or rename", 1)[0])[1::2]
    assert options == ["customer=mcvisid", "timestamp=date_time", "touchpoint=post_pagename"]
    tables = get_engine("duckdb")[1]([feed / "hits.tsv"], facts, EngineOptions(columns=tuple(parse_columns(options).items())))
    assert (tables.customers, tables.visits) == (1, {AD: 1, POSTCODE: 1})


def test_adobes_visitor_id_in_two_columns_is_told_with_the_line_that_writes_it_as_one(tmp_path: Path, facts: JourneyFacts) -> None:
    """Adobe Analytics counts visitors by post_visid_high and post_visid_low together: a feed with both (and an empty
    mcvisid, as without the Experience Cloud ID) was told to read mcvisid as the customer, every hit one customer
    with no id, or (without mcvisid) no customer column at all. The hint writes the pair as one column and reads it."""
    from journeymap.data.engines.rows import parse_columns

    hits = tmp_path / "hits.tsv"
    hits.write_text("mcvisid\tpost_visid_high\tpost_visid_low\tdate_time\tpost_pagename\n"
                    f"\t3096576353\t10376487\t2026-09-14 08:31:00\t{AD}\n\t3096576353\t10376487\t2026-09-14 08:32:00\t{POSTCODE}\n"
                    f"\t3096576353\t99\t2026-09-14 08:33:00\t{AD}\n")
    for engine in ("python", "duckdb"):
        (error, *_) = read(engine, [hits], facts).problems
        assert error.code == "missing-column" and error.hint == (
            "Adobe Analytics' visitor is two columns, 'post_visid_high' and 'post_visid_low' (Adobe counts visitors by the"
            " pair; mcvisid is empty without the Experience Cloud ID): write them as one column, visitor, then read it with"
            " --events-column customer=visitor: awk -F'\\t' -v OFS='\\t' '{print (NR == 1 ? \"visitor\" : $2 \"_\" $3), $0}'"
            " FILE > NEW.tsv; read them with --events-column timestamp=date_time --events-column touchpoint=post_pagename,"
            " or rename the columns in the header"), engine
    command = error.hint.split(": ", 2)[2].split(";", 1)[0].replace("FILE", "hits.tsv").replace("NEW", "visitors")
    subprocess.run(["sh", "-c", command], cwd=tmp_path, check=True)
    options = ["customer=visitor", "timestamp=date_time", "touchpoint=post_pagename"]
    tables = get_engine("duckdb")[1]([tmp_path / "visitors.tsv"], facts, EngineOptions(columns=tuple(parse_columns(options).items())))
    assert (tables.customers, tables.problems[0].code) == (2, "unknown-column")
    # JSON lines and CSV are told the jq and the DuckDB line that write it
    json_hits = tmp_path / "hits.jsonl"
    json_hits.write_text(f'{{"visid_high": "1", "visid_low": "2", "date_time": "2026-09-14 08:31:00", "post_pagename": "{AD}"}}\n')
    (error, *_) = read("python", [json_hits], facts).problems
    assert error.hint is not None and "jq -c '. + {visitor: \"\\(.visid_high)_\\(.visid_low)\"}' FILE > NEW.jsonl" in error.hint


@pytest.mark.parametrize("kind", ["tsv", "jsonl"])
def test_adobes_date_time_is_told_to_be_in_the_report_suites_time_zone(kind: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """An Adobe Analytics data feed read with --events-column timestamp=date_time (the hint's guess without
    hit_time_gmt): date_time is the hit's time in the report suite's time zone, read as UTC without a word, every
    hit hours off beside any other log. One warning at the column, with the column that holds the moment in UTC."""
    from journeymap.data.engines.rows import parse_columns

    hits = tmp_path / f"hits.{kind}"
    rows = [("0123", "2026-09-14 08:31:00", "1789374660", AD), ("0123", "2026-09-14 08:32:00", "1789374720", POSTCODE)]
    if kind == "tsv":
        hits.write_text("mcvisid\tdate_time\thit_time_gmt\tpost_pagename\n" + "".join("\t".join(r) + "\n" for r in rows))
    else:
        hits.write_text("".join(json.dumps(dict(zip(("mcvisid", "date_time", "hit_time_gmt", "post_pagename"), r, strict=True))) + "\n"
                                for r in rows))
    local = EngineOptions(columns=tuple(parse_columns(["customer=mcvisid", "timestamp=date_time", "touchpoint=post_pagename"]).items()))
    told = {}
    for engine in ("python", "duckdb"):
        tables = get_engine(engine)[1]([hits], facts, local)
        told[engine] = [problem_key(p) for p in tables.problems if p.code == "report-suite-time-zone"]
        assert tables.customers == 1
    assert told["python"] == told["duckdb"]
    [(_, line, col, level, _, message, hint)] = told["python"]
    assert (line, col, level) == (1, 9 if kind == "tsv" else 1, "warning")  # after "mcvisid\t"
    assert message == ("'date_time' of an Adobe Analytics data feed is the hit's time in the report suite's time zone, not"
                       " UTC: read as UTC, every hit is off by the suite's offset from UTC")
    assert hint == "read the hit's moment in UTC, its hit_time_gmt, with --events-column timestamp=hit_time_gmt"
    utc = EngineOptions(columns=tuple(parse_columns(["customer=mcvisid", "timestamp=hit_time_gmt", "touchpoint=post_pagename"]).items()))
    assert not [p for p in get_engine("duckdb")[1]([hits], facts, utc).problems if p.code == "report-suite-time-zone"]
    # a feed without hit_time_gmt is told to add it
    feed = tmp_path / "feed.tsv"
    feed.write_text(f"mcvisid\tdate_time\tpost_pagename\n0123\t2026-09-14 08:31:00\t{AD}\n")
    [problem] = [p for p in get_engine("python")[1]([feed], facts, local).problems if p.code == "report-suite-time-zone"]
    assert problem.hint == ("add hit_time_gmt, the hit's moment in UTC (seconds since 1970), to the feed's columns and read"
                            " it with --events-column timestamp=hit_time_gmt")


def test_spaces_after_a_closing_quote_are_one_bad_row_kind_on_every_engine_with_the_sed_that_deletes_them(
    tmp_path: Path, facts: JourneyFacts
) -> None:
    """'"c1" ,': DuckDB read the row (it trims the spaces), the reference and Spark could not split it and said
    "',' expected after '\"'" with the hint that a comma must be in double quotes."""
    paths = case_paths("space-after-quote", tmp_path)
    for engine in ("python", "duckdb"):
        tables = read(engine, paths, facts)
        assert [(p.span.line, p.code, p.message) for p in tables.problems] == [
            (2, "row-shape", "this row cannot be split into cells (a closing quote is followed by spaces, not by a separator)"
             " (and 2 more rows: lines 3, 4; those rows are left out)")], engine
    hint = tables.problems[0].hint
    assert hint is not None and "sed -E" in hint
    command = "sed" + hint.split("; sed", 1)[1].split(" > NEW")[0].replace("FILE", shlex.quote(str(paths[0])))
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(subprocess.run(["sh", "-c", command], capture_output=True, check=True).stdout)
    tables = read("duckdb", [fixed], facts)
    assert (tables.problems, tables.rows, tables.customers) == ([], 4, 3)


def test_a_log_whose_lines_are_each_one_quoted_cell_is_told_with_the_sed_that_unquotes_them(
    tmp_path: Path, facts: JourneyFacts
) -> None:
    """Each line quoted whole ('"customer,timestamp,touchpoint"': a CSV pasted into one column of a sheet and saved, a
    query's lines written by a CSV writer): was "no columns 'customer', 'timestamp', 'touchpoint' (its header:
    customer,timestamp,touchpoint)", which names the very columns it says are missing."""
    path = tmp_path / "log.csv"
    path.write_text(f'"customer,timestamp,touchpoint,outcome"\r\n"c1,2026-01-01T10:00:00Z,{AD},"\r\n'
                    f'"c1,2026-01-01T10:05:00Z,""{POSTCODE}"",success"\r\n')
    for engine in ("python", "duckdb"):
        (error, *_) = read(engine, [path], facts).problems
        assert (error.code, error.span.line) == ("missing-column", 1), engine
        assert error.hint == ("each line is one quoted cell (the header is 'customer,timestamp,touchpoint,outcome'), as a sheet"
                              " saves a log pasted into one column: take the quotes around the lines off and undouble the"
                              " quotes inside, sed -E 's/^\"(.*)\"(\\r?)$/\\1\\2/; s/\"\"/\"/g' FILE > NEW"), engine
    command = "sed" + error.hint.split(", sed", 1)[1].split(" > NEW")[0].replace("FILE", shlex.quote(str(path)))
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(subprocess.run(["sh", "-c", command], capture_output=True, check=True).stdout)
    tables = read("duckdb", [fixed], facts)
    assert (tables.problems, tables.visits, tables.outcomes["success"]) == ([], {AD: 1, POSTCODE: 1}, 1)


def test_snowplows_enriched_events_are_told_where_their_header_is(tmp_path: Path, facts: JourneyFacts) -> None:
    """Snowplow's enriched TSV (no header, 131 fields: app_id, platform, etl_tstamp, collector_tstamp, ...) was told to
    have its columns' names written as its first line, in the order of its cells, with no word of what it is."""
    def line(user: str, at: str, event: str) -> str:
        cells = ["shop", "web", "2026-09-14 10:00:00.000", at, at, event, "e1", "", "cf", "js-3.0.0", "ssc-2.0.0", "snowplow-enrich-3.0.0",
                 "", "1.2.3.x", "", user, "1", "n1"]
        return "\t".join(cells + [""] * (131 - len(cells))) + "\n"

    path = tmp_path / "enriched.tsv"
    path.write_text(line("d1", "2026-09-14 08:31:00.123", "page_view") + line("d1", "2026-09-14 08:32:00.456", "struct"))
    for engine in ("python", "duckdb"):
        (error,) = read(engine, [path], facts).problems
        assert error.code == "missing-column" and error.message.startswith("the first line is a row, not a header"), engine
        assert error.hint == ("it is Snowplow's enriched events, 131 fields without a header: the page 'Enriched stream TSV file"
                              " format' of Snowplow's documentation gives the header to write as its first line (or read the"
                              " events from the warehouse's atomic.events); then read domain_userid, derived_tstamp and"
                              " event_name with --events-column"), engine


def test_quotes_escaped_with_a_backslash_are_told_with_a_sed_that_doubles_them(tmp_path: Path, facts: JourneyFacts) -> None:
    paths = case_paths("backslash-quotes", tmp_path)
    tables = read("python", paths, facts)
    [problem] = tables.problems
    assert (problem.code, problem.span.line, problem.span.col) == ("row-shape", 3, 1)
    assert problem.message == ('this row cannot be split into cells (a quote in a cell is written \\", with a backslash, where CSV'
                               ' doubles it: "") (and 1 more row: line 5; those rows are left out)')
    assert problem.hint is not None and problem.hint.startswith("MySQL's and Spark's CSV writers escape a quote so; sed ")
    if shutil.which("sed") is None:
        return
    script = shlex.split(problem.hint.split("; sed ", 1)[1].split(" FILE > NEW")[0])
    fixed = tmp_path / "fixed.csv"
    fixed.write_bytes(subprocess.run(["sed", *script, str(paths[0])], capture_output=True, check=True).stdout)
    tables = read("python", [fixed], facts)
    assert (tables.problems, tables.customers, tables.rows) == ([], 3, 5)


def test_null_marks_in_the_segment_column_are_no_segment(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("segment-null-marks", tmp_path), facts)
        assert tables.problems == [] and tables.customers == 7, engine
        # NA stays a segment (North America's)
        assert sorted((c.segment, c.customers) for c in tables.cohorts) == [("", 5), ("NA", 1), ("busy parent", 1)], engine


def test_null_marks_in_the_customer_column_are_bad_rows_not_one_customer(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("customer-null-marks", tmp_path), facts)
        assert [(p.code, p.span.line, p.span.col, p.message) for p in tables.problems] == [
            ("missing-value", 3, 1, "the customer is 'NULL', a missing value as databases and pandas write one"
                                    " (and 4 more rows: lines 4, 5, 6, 7; those rows are left out)")], engine
        assert (tables.customers, tables.flows) == (1, []), engine  # c1 alone: NULL's two steps are no flow


def test_customer_0_is_no_customer_only_where_it_has_ten_times_any_other_customers_events(tmp_path: Path, facts: JourneyFacts) -> None:
    """A logger writes 0 for a visitor without an id: 30 anonymous events were one customer, '0', whose path ran
    through every such visit, without a word. Where 0 has 10 times the events of any other customer (and 10 at least)
    its rows are bad rows, as the placeholders' are; where ids start at 0, 0 is a customer like the others."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("customer-zero-placeholder", tmp_path / engine), facts)
        assert (tables.rows, tables.customers) == (40, 5), engine
        (problem,) = tables.problems
        assert (problem.span.line, problem.span.col, problem.code, problem.level) == (12, 1, "missing-value", "error")
        assert problem.message == (
            "the customer is '0', which loggers write for a visitor without an id: this log's 0 has 10 times as many events as"
            " any other customer or more, no one person's path (and 29 more rows: lines 13, 14, 15, 16, ...; those rows are left out)")
        assert problem.hint is not None and problem.hint.startswith("a row without a customer id is in no customer's path")
        real = read(engine, case_paths("customer-zero-real", tmp_path / f"{engine}-real"), facts)
        assert (real.rows, real.customers, real.problems) == (41, 20, []), engine


def test_placeholders_analytics_tools_write_for_no_id_are_bad_rows_not_one_customer(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("customer-placeholder-ids", tmp_path / engine), facts)
        assert [(p.code, p.level, p.span.line, p.span.col, p.message, p.hint) for p in tables.problems] == [
            ("missing-value", "error", 3, 1, "the customer is '(not set)', which analytics tools write for a visitor without an id"
             " (and 8 more rows: lines 4, 5, 6, 7, ...; those rows are left out)",
             "a row without a customer id is in no customer's path; if the log has another id for every visitor"
             " (GA4's user_pseudo_id, Segment's anonymousId), read it as the customer")], engine
        # c1 and the two ids that only look like placeholders
        assert (tables.customers, tables.rows, tables.flows) == (3, 12, []), engine


def test_a_row_of_an_outcome_alone_is_told_to_lose_its_outcome(tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        [problem] = read(engine, case_paths("outcome-alone", tmp_path), facts).problems
        assert (problem.span.line, problem.message) == (3, "the touchpoint is empty (and 1 more row: line 4; those rows are left out)")
        assert problem.hint == ("every row is a visit to a touchpoint: a row of an outcome alone (line 4: success) is left out, and its"
                                " outcome with it, so its customer's path ends without one; write the outcome on the customer's last visit")


def test_a_header_naming_dates_is_a_header(tmp_path: Path, facts: JourneyFacts) -> None:
    """A pivot table's header names dates; the rows below hold counts: its missing columns, as before."""
    (log := tmp_path / "log.csv").write_text("touchpoint,2026-09-01,2026-09-02\nsee-social-ad,3,4\n")
    tables = read("python", [log], facts)
    assert tables.problems[0].message.startswith("the event log has no columns 'customer', 'timestamp' (its header:")


def test_a_column_named_hash_is_no_comment(tmp_path: Path, facts: JourneyFacts) -> None:
    """A first column '#' (a row number) is a header: its missing columns are told as before."""
    (log := tmp_path / "log.csv").write_text(f"#,user,time,page\n1,c1,2026-01-01T10:00:00Z,{AD}\n")
    tables = read("python", [log], facts)
    assert tables.problems[0].message.startswith("the event log has no columns 'customer', 'timestamp', 'touchpoint' (its header: #, user, time, page)")


def test_firestores_timestamps_are_named_with_a_jq_that_writes_their_seconds(tmp_path: Path, facts: JourneyFacts) -> None:
    paths = case_paths("firestore-timestamps", tmp_path)
    [problem] = read("python", paths, facts).problems
    assert (problem.code, problem.span.line, problem.span.col) == ("not-scalar", 1, 30)
    assert problem.message.startswith('the timestamp is a JSON object of seconds since 1970 {"_seconds": ...} (Firestore\'s')
    assert problem.hint is not None and problem.hint.startswith("write its seconds: jq -c '")
    if shutil.which("jq") is None:
        return
    command = problem.hint.split("write its seconds: ", 1)[1].split(" FILE > NEW")[0]
    unwrapped = tmp_path / "seconds.jsonl"
    unwrapped.write_bytes(subprocess.run([*shlex.split(command), str(paths[0])], capture_output=True, check=True).stdout)
    tables = read("python", [unwrapped], facts)
    assert tables.problems == [] and tables.flows[0].median_seconds == pytest.approx(59.5)


def test_timestamps_outside_the_years_1_to_9999_are_bad_rows_not_a_crash(tmp_path: Path, facts: JourneyFacts) -> None:
    paths = case_paths("timestamps-out-of-range", tmp_path)
    tables = read("python", paths, facts)
    assert [(p.code, p.span.line, p.span.col) for p in tables.problems] == [("invalid-timestamp", 3, 4)]
    assert "(and 5 more rows: lines 4, 5, 6, 7, ...; those rows are left out)" in tables.problems[0].message
    assert tables.customers == 3  # c1, and the first and last moments of the years 1 to 9999 (c8, c9)
    for engine in ("python", "duckdb"):
        for period in ("day", "week", "month", "quarter"):
            done = subprocess.run(
                [sys.executable, "-m", "journeymap", "report", str(JOURNEY), "--events", str(paths[0]), "--engine", engine,
                 "--period", period, "--format", "json"], capture_output=True, text=True, timeout=120)
            assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
            assert done.returncode in (0, 1) and '"customers": 3' in done.stdout


def edge_parquets(tmp_path: Path) -> tuple[Path, Path, Path, Path]:
    """Typed Parquet timestamps: a DOUBLE in ms, NaN and infinity, a BIGINT in µs, a TIMESTAMP past 9999,
    DATEs at infinity (on Spark: 'internal error: ... ArithmeticException: long overflow', exit 3)."""
    import duckdb

    path = tmp_path / "edges.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM (VALUES ('c1', 1767261600000.0::DOUBLE, '{AD}'), ('c1', 1767261660.0, '{POSTCODE}'),
        ('c2', 'nan'::DOUBLE, '{AD}'), ('c3', 'inf'::DOUBLE, '{AD}'), ('c4', 1e20, '{AD}'), ('c5', 1e16, '{AD}')) t(customer, timestamp, touchpoint))
        TO '{path}' (FORMAT parquet)""")
    micros = tmp_path / "micros.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM (VALUES ('c1', 1767261600000000::BIGINT, '{AD}'), ('c1', 1767261690000000, '{POSTCODE}'))
        t(customer, timestamp, touchpoint)) TO '{micros}' (FORMAT parquet)""")
    late = tmp_path / "late.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM (VALUES ('c1', TIMESTAMP '2026-01-01 10:00:00', '{AD}'), ('c2', TIMESTAMP '20000-01-01', '{AD}'),
        ('c3', 'infinity'::TIMESTAMP, '{AD}')) t(customer, timestamp, touchpoint)) TO '{late}' (FORMAT parquet)""")
    dates = tmp_path / "dates.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM (VALUES ('c1', DATE '2026-01-01', '{AD}'), ('c1', DATE '2026-01-02', '{POSTCODE}'),
        ('c2', 'infinity'::DATE, '{AD}'), ('c3', '-infinity'::DATE, '{AD}'), ('c4', DATE '9999-12-31', '{AD}'))
        t(customer, timestamp, touchpoint)) TO '{dates}' (FORMAT parquet)""")
    return path, micros, late, dates


def test_parquet_timestamps_at_the_edges_are_read_alike(tmp_path: Path, facts: JourneyFacts) -> None:
    path, micros, late, dates = edge_parquets(tmp_path)
    edges = read("duckdb", [path], facts)
    assert [(p.code, p.span.line) for p in edges.problems] == [("invalid-timestamp", 4)]
    assert "(and 2 more rows: lines 5, 6;" in edges.problems[0].message
    assert edges.customers == 2 and [(f.count, f.median_seconds) for f in edges.flows] == [(1, 60.0)]
    assert [(f.count, f.median_seconds) for f in read("duckdb", [micros], facts).flows] == [(1, 90.0)]
    later = read("duckdb", [late], facts)
    assert later.customers == 1 and [(p.code, p.span.line) for p in later.problems] == [("invalid-timestamp", 3)]
    days = read("duckdb", [dates], facts)
    assert days.customers == 2 and [(p.code, p.span.line) for p in days.problems] == [("invalid-timestamp", 4)]
    assert [(f.count, f.median_seconds) for f in days.flows] == [(1, 86400.0)]


def test_infinite_and_boolean_parquet_cells_are_shown_and_placed_as_written(tmp_path: Path, facts: JourneyFacts) -> None:
    """DuckDB's infinite TIMESTAMP came to Python as 9999-12-31T23:59:59.999999 and its infinite DATE as
    9999-12-31, a good date: the bad rows were counted but not found, and shown as '' without a line."""
    import duckdb

    path = tmp_path / "inf.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM (VALUES ('c1', DATE '2026-01-01', '{AD}', NULL), ('c2', 'infinity'::DATE, '{AD}', NULL),
        ('c3', '-infinity'::DATE, '{AD}', NULL), ('c4', DATE '2026-01-01', '{AD}', false)) t(customer, timestamp, touchpoint, outcome))
        TO '{path}' (FORMAT parquet)""")
    tables = read("duckdb", [path], facts)
    assert [(p.span.line, p.code, p.message) for p in tables.problems] == [
        (3, "invalid-timestamp", "'infinity' is not a timestamp (and 1 more row: line 4; those rows are left out)"),
        (5, "invalid-outcome", "outcome 'false' is neither success nor failure (the row is left out)"),
    ]
    assert tables.problems[-1].hint == ("leave the outcome empty, or write success or failure;"
                                        " if your log means it so: 'false' → empty (no outcome)")
    stamps = tmp_path / "stamps.parquet"
    duckdb.sql(f"""COPY (SELECT * FROM (VALUES ('c1', TIMESTAMPTZ '2026-01-01 10:00:00', '{AD}'), ('c2', 'infinity'::TIMESTAMPTZ, '{AD}'),
        ('c3', TIMESTAMPTZ '0010-01-01 (BC)', '{AD}')) t(customer, timestamp, touchpoint)) TO '{stamps}' (FORMAT parquet)""")
    assert [(p.span.line, p.message) for p in read("duckdb", [stamps], facts).problems] == [
        (3, "'infinity' is not a timestamp (and 1 more row: line 4; those rows are left out)")]


def parquet_named_twice(tmp_path: Path, twice: str = "Touchpoint", other: str = "") -> Path:
    """A Parquet log with the column 'touchpoint' and one named ``twice`` (DuckDB will not write a
    name twice: the footer's bytes are patched), with another column ``other`` in place of 'customer'."""
    import duckdb

    written = tmp_path / f"written-{twice}.parquet"
    duckdb.sql(f"COPY (SELECT 'c1' AS {other or 'customer'}, TIMESTAMP '2026-01-01 10:00:00' AS timestamp,"
               f" '{AD}' AS touchpoint, '{POSTCODE}' AS {twice[:-1]}X) TO '{written}' (FORMAT parquet)")
    path = tmp_path / f"log-{twice}{other}.parquet"
    path.write_bytes(written.read_bytes().replace(twice[:-1].encode() + b"X", twice.encode()))
    return path


def test_a_parquet_column_named_twice_is_a_duplicate_column(tmp_path: Path, facts: JourneyFacts) -> None:
    """pandas and pyarrow write 'touchpoint' next to 'Touchpoint' (or twice); DuckDB read the first and
    called the second 'touchpoint_1', an unknown column ("did you mean 'touchpoint'?"): which one was
    meant was chosen silently. A JSON line with keys in two cases is a duplicate column already."""
    import duckdb

    path = parquet_named_twice(tmp_path)
    tables = read("duckdb", [path], facts)
    assert [(p.code, p.message) for p in tables.problems] == [("duplicate-column", "column 'touchpoint' appears twice in the header")]
    assert tables.rows == 0
    nested = tmp_path / "nested.parquet"  # names inside a struct or a list are not columns of the log
    duckdb.sql(f"COPY (SELECT 'c1' AS customer, TIMESTAMP '2026-01-01 10:00:00' AS timestamp, '{AD}' AS touchpoint,"
               f" {{'touchpoint': 1, 'customer': [2]}} AS props, [{{'timestamp': 3}}] AS items) TO '{nested}' (FORMAT parquet)")
    assert [(p.code, p.message) for p in read("duckdb", [nested], facts).problems] == [
        ("unknown-column", "2 columns are not ones journeymap reads; they are ignored: 'props', 'items'")]


def test_typed_timestamps_are_written_as_duckdb_writes_them_in_every_year() -> None:
    """The Python engine reads Parquet through pyarrow, whose datetimes stop at the years 1 and 9999 (a
    timestamp past them was a traceback, an INT96 past 2262 a wrong date): it writes the counts as DuckDB does."""
    import duckdb

    from journeymap.data.engines.rows import parse_timestamp, typed_timestamp_text

    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    micros = [0, -1, 1, 1789374660_500000, -62135596800_000000, -62135596800_000001, 253402300800_000000 - 1,
              253402300800_000000, 316516204800_000120, -62451216000_000000 + 1500, 2**62, -(2**62)]
    for count in micros:
        for kind in ("TIMESTAMP", "TIMESTAMPTZ"):
            expected = con.execute(f"SELECT CAST(CAST(make_timestamp({count}) AS {kind}) AS VARCHAR)").fetchone()
            assert expected is not None
            text = typed_timestamp_text(count, "us", zone=kind == "TIMESTAMPTZ")
            assert text == expected[0]
            inside = -62135596800_000000 <= count < 253402300800_000000 - 1  # the last µs rounds to the end
            assert parse_timestamp(text) == (count / 1_000_000 if inside else None)
    assert typed_timestamp_text(1789374660500, "ms") == "2026-09-14 08:31:00.5"
    assert typed_timestamp_text(1789374660_123456789, "ns") == "2026-09-14 08:31:00.123456"
    assert typed_timestamp_text(400_000_000_000_000, "ms") == "14645-06-30 15:06:40"
    for days in (0, -1, 20_454, 2_932_896, 2_932_897, -719_162, -719_163, -800_000):
        expected = con.execute(f"SELECT CAST(DATE '1970-01-01' + {days} AS VARCHAR)").fetchone()
        assert expected is not None and typed_timestamp_text(days, "day") == expected[0]
    assert [typed_timestamp_text(n, u) for n, u in ((2**63 - 1, "us"), (-(2**63 - 1), "ns"), (2**31 - 1, "day"))] == [
        "infinity", "-infinity", "infinity"]


def test_timestamps_with_microseconds_give_the_same_seconds_on_every_engine(tmp_path: Path, facts: JourneyFacts) -> None:
    """DuckDB's epoch() is one bit off for a quarter of the moments with microseconds (what PostgreSQL,
    BigQuery and Segment export): flow times differed from the reference's in their last digits."""
    from datetime import datetime, timedelta

    import duckdb

    start = datetime(2026, 9, 14, 8, 31)
    path = tmp_path / "log.csv"
    with open(path, "w") as stream:
        stream.write(HEADER)
        for i in range(1, 41):  # moments with microseconds, a few seconds apart
            at = start + timedelta(microseconds=i * 7_919_404_554)
            stream.write(f"c{i},{at.isoformat()}Z,{AD},\nc{i},{(at + timedelta(microseconds=i * 1_374_645)).isoformat()}Z,{POSTCODE},\n")
    parquet = tmp_path / "log.parquet"
    duckdb.sql(f"COPY (SELECT customer, CAST(timestamp AS TIMESTAMPTZ) AS timestamp, touchpoint FROM read_csv('{path}'))"
               f" TO '{parquet}' (FORMAT parquet)")
    reference = read("python", [path], facts)
    assert [(f.source, f.target, f.count) for f in reference.flows] == [(AD, POSTCODE, 40)]
    assert read("duckdb", [path], facts).comparable() == reference.comparable()
    assert read("duckdb", [parquet], facts).comparable() == reference.comparable()


def test_what_spark_writes_next_to_its_parts_is_left_out_of_a_folder_or_a_glob(tmp_path: Path, facts: JourneyFacts) -> None:
    """_SUCCESS was read as an empty CSV by a glob (an error), and a _temporary/ folder's parts by both."""
    case_paths("spark-output", tmp_path)
    folder = tmp_path / "log"
    for paths in ([folder], [folder / "*"], [folder / "**" / "*.csv"]):
        for engine in ("python", "duckdb"):
            tables = read(engine, paths, facts)
            assert tables.files == [f"{folder / 'part-00000.csv'}"] and tables.problems == [] and tables.customers == 1
    asked = read("duckdb", [folder / "_*"], facts)  # a pattern that names them plainly reads them
    assert [(p.span.file, p.code, p.level) for p in asked.problems] == [(f"{folder / '_SUCCESS'}", "no-rows", "warning")]


def test_a_part_of_0_bytes_in_a_folder_is_a_warning_and_a_file_named_empty_an_error(tmp_path: Path, facts: JourneyFacts) -> None:
    """A part no rows were written to failed the run of the whole folder ('the file is empty', an error)."""
    folder = case_paths("empty-parts", tmp_path)[0]
    for engine in ("python", "duckdb"):
        tables = read(engine, [folder], facts)
        assert tables.customers == 1 and tables.rows == 2, engine
        assert [(Path(p.span.file).name, p.level, p.code, p.message) for p in tables.problems] == [
            (name, "warning", "no-rows", "the file is empty (0 bytes), as a job that wrote no rows leaves its part: it holds no rows")
            for name in ("part-0.csv", "part-9.jsonl")], engine
        for paths in ([folder / "part-9.jsonl"], [folder / "date=2026-01-01" / "hour=11" / "part-0.csv"]):  # named: an error
            assert [(p.level, p.code) for p in read(engine, paths, facts).problems] == [("error", "empty")], engine


def test_a_folder_leaves_out_the_files_beside_its_logs_with_a_warning_each(tmp_path: Path, facts: JourneyFacts) -> None:
    """A README.txt or a pretty-printed manifest.json beside an export was read as a log: missing-column
    errors, and the run failed. A Spark part-*.json of JSON lines is still read; a file named is read as before."""
    folder = case_paths("folder-with-notes", tmp_path)[0]
    for engine in ("python", "duckdb"):
        tables = read(engine, [folder], facts)
        assert tables.files == [f"{folder} (2 files)"], engine  # the folder as named (see test_a_folder_of_parts_is_named_as_given)
        assert tables.customers == 2 and tables.visits == {AD: 2, POSTCODE: 1}, engine
        assert sorted((p.span.file, p.code, p.level, p.message.split(":")[0]) for p in tables.problems) == [
            (str(folder / name), "io", "warning", "left out of the folder") for name in ("README.txt", "manifest.json", "notes.md")]
        named = read(engine, [folder / "README.txt"], facts)
        assert [p.code for p in named.problems if p.is_error] == ["missing-column"], engine


def test_a_glob_whose_wildcard_stands_for_the_suffix_leaves_out_what_a_folder_leaves_out(tmp_path: Path, facts: JourneyFacts) -> None:
    """'logs/*' read the folder's README.txt as a log (missing-column, the run failed) where the folder
    itself left it out; 'logs/*.txt' still asks for .txt files."""
    folder = case_paths("folder-with-notes", tmp_path)[0]
    for engine in ("python", "duckdb"):
        tables = read(engine, [folder / "*"], facts)
        assert tables.customers == 2 and not [p for p in tables.problems if p.is_error], engine
        assert sorted((p.span.file, p.message.split(":")[0]) for p in tables.problems) == [
            (str(folder / name), "left out of the files the pattern matches") for name in ("README.txt", "manifest.json", "notes.md")]
        asked = read(engine, [folder / "*.txt"], facts)
        assert [p.code for p in asked.problems if p.is_error] == ["missing-column"], engine


def test_a_copy_of_a_log_under_another_name_is_read_once(tmp_path: Path, facts: JourneyFacts) -> None:
    """A download saved twice ('events.csv', 'events (1).csv') or beside its gzip counted every
    customer twice when the folder was read; files in two hive partitions and empty parts are not copies."""
    text = HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc1,2026-01-01T10:05:00Z,{POSTCODE},\n"
    logs = tmp_path / "logs"
    logs.mkdir()
    for name in ("events.csv", "events (1).csv"):
        (logs / name).write_text(text)
    (logs / "events.csv.gz").write_bytes(_gzip(text))
    for part in ("part-0.csv", "part-1.csv"):  # Spark's empty parts: a header alone, one the same as the other
        (logs / part).write_text(HEADER)
    for segment in ("a", "b"):
        (tmp_path / "parts" / f"segment={segment}").mkdir(parents=True)
        (tmp_path / "parts" / f"segment={segment}" / "part-0.csv").write_text(text)
    for engine in ("python", "duckdb"):
        tables = read(engine, [logs], facts)
        assert tables.customers == 1 and tables.rows == 2, engine
        told = sorted((Path(p.span.file).name, p.code, p.message) for p in tables.problems if p.code != "no-rows")
        assert told == [(name, "duplicate-file", "the folder or pattern holds a file with the same content as events.csv"
                         " (a copy of it, or its gzip): it is read once") for name in ("events (1).csv", "events.csv.gz")], told
        named = read(engine, [logs / "events (1).csv", logs / "events.csv"], facts)
        assert named.rows == 2 and [(Path(p.span.file).name, p.message.split(" a file")[0]) for p in named.problems] == [
            ("events.csv", "--events names")], engine
        partitioned = read(engine, [tmp_path / "parts"], facts)
        assert partitioned.rows == 4 and partitioned.problems == [], engine


def test_excels_separator_line_names_the_delimiter_on_every_engine(tmp_path: Path, facts: JourneyFacts) -> None:
    """A log saved by Excel with its 'sep=;' line (and 'sep=,', 'sep=' and a tab or a pipe) was refused, one
    missing-column error: the line names the delimiter, the header is line 2 and every later place is right."""
    for delimiter in (";", ",", "\t", "|"):
        path = tmp_path / f"log{ord(delimiter)}.csv"
        rows = [HEADER.rstrip("\n"), f"c1,2026-01-01T10:00:00Z,{AD},", f"c1,yesterday,{POSTCODE},",
                f"c2,2026-01-01T11:00:00Z,{AD},WIN", f"c2,2026-01-01T11:05:00Z,{POSTCODE},"]
        # Excel writes its CSV in UTF-8 with a byte-order mark and CRLF line ends
        path.write_bytes(("\ufeffsep=" + delimiter + "\r\n" + "".join(r.replace(",", delimiter) + "\r\n" for r in rows)).encode())
        told = {}
        for engine in ("python", "duckdb"):
            tables = read(engine, [path], facts)
            told[engine] = problems(tables)
            assert [(p.span.line, p.span.col, p.code) for p in tables.problems] == [
                (4, 4, "invalid-timestamp"), (5, 39, "invalid-outcome")], (engine, delimiter)
            assert (tables.rows, tables.customers, tables.visitors) == (4, 2, {AD: 1, POSTCODE: 1}), (engine, delimiter)
        assert told["python"] == told["duckdb"]
    # a blank line and a note between it and the header: told at line 2, with the sed that keeps the separator line (the
    # header was "line 2, not the first line: line 1 above it is blank", and awk's line kept them all)
    spaced = tmp_path / "spaced.csv"
    spaced.write_text("sep=;\n\n# exported 2026-04-02\n" + HEADER.replace(",", ";") + f"c1;2026-01-01T10:00:00Z;{AD};\n")
    for engine in ("python", "duckdb"):
        assert [(p.span.line, p.code, p.message, p.hint) for p in read(engine, [spaced], facts).problems] == [
            (2, "missing-column", "the header is line 4, not line 2 below Excel's separator line: lines 2-3 above it are comments"
             " and blank lines ('# exported 2026-04-02'), as analytics report exports write notes above their header; the file"
             " is not read", "delete the lines between the separator line and the header: sed '2,3d' FILE > NEW keeps the"
             " separator line and the lines from the header on")], engine
    subprocess.run(["sed", "-i", "2,3d", str(spaced)], check=True)
    assert read("python", [spaced], facts).customers == 1
    other = tmp_path / "colons.csv"  # a delimiter no engine splits by stays an error, that says what the line is
    other.write_text("sep=:\n" + HEADER.replace(",", ":") + f"c1:2026-01-01T10:00:00Z:{AD}:\n")
    for engine in ("python", "duckdb"):
        tables = read(engine, [other], facts)
        assert [(p.span.line, p.code, p.message) for p in tables.problems] == [
            (1, "missing-column", "line 1 is Excel's separator line (sep=), not a header: the file is not read")], engine


def test_a_file_whose_name_looks_like_a_glob_is_read(tmp_path: Path, facts: JourneyFacts) -> None:
    """A download named 'events [1].csv' was taken for a pattern: "no file matches this pattern"."""
    path = tmp_path / "events [1].csv"
    path.write_text(HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\n")
    for engine in ("python", "duckdb"):
        tables = read(engine, [path], facts)
        assert tables.problems == [] and tables.files == [str(path)] and tables.customers == 1
    assert read("duckdb", [tmp_path / "events [[]1].csv"], facts).files == [str(path)]  # a pattern still


def test_a_file_reached_by_two_names_is_read_once(tmp_path: Path, facts: JourneyFacts) -> None:
    """A latest/ symlink to a partition (or a symlink loop), followed by a ** glob, read its files twice."""
    part = tmp_path / "log" / "date=2026-01-01" / "part-0.csv"
    part.parent.mkdir(parents=True)
    part.write_text(HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc1,2026-01-01T10:05:00Z,{POSTCODE},\n")
    (tmp_path / "log" / "latest").symlink_to("date=2026-01-01")
    (tmp_path / "log" / "date=2026-01-01" / "loop").symlink_to("..")
    (tmp_path / "log" / "current.csv").symlink_to(part)
    for paths in ([tmp_path / "log" / "**" / "*.csv"], [tmp_path / "log"], [tmp_path / "log", part]):
        for engine in ("python", "duckdb"):
            tables = read(engine, paths, facts)
            assert tables.files == [f"{tmp_path / 'log' / 'current.csv'}"] and tables.rows == 2, (paths, engine)


def test_a_symlink_to_nothing_in_a_folder_is_a_warning_not_silence(tmp_path: Path, facts: JourneyFacts) -> None:
    """A current.csv link to a file since deleted was left out of a folder without a word."""
    part = tmp_path / "log" / "date=2026-01-01" / "part-0.csv"
    part.parent.mkdir(parents=True)
    part.write_text(HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc1,2026-01-01T10:05:00Z,{POSTCODE},\n")
    link = tmp_path / "log" / "current.csv"
    link.symlink_to(tmp_path / "gone.csv")
    (tmp_path / "log" / "notes.md").symlink_to(tmp_path / "gone.md")  # not a log's name: not a word
    for paths in ([tmp_path / "log"], [tmp_path / "log" / "**" / "*.csv"]):
        for engine in ("python", "duckdb"):
            tables = read(engine, paths, facts)
            assert tables.files == [str(part)] and tables.rows == 2, (paths, engine)
            told = [(p.span.file, p.code, p.level, p.message) for p in tables.problems]
            assert told == [(str(link), "io", "warning",
                             f"a symbolic link to {str(tmp_path / 'gone.csv')!r}, which does not exist: not read")], told


def partitioned_by_segment(tmp_path: Path) -> Path:
    """A log as Spark's partitionBy("segment") writes it: the segment only in the folder names
    (URL-encoded), and one file that has a segment column, with an empty cell."""
    log = tmp_path / "log"
    (log / "segment=busy%20parent").mkdir(parents=True)
    (log / "segment=busy%20parent" / "part-0.csv").write_text(
        HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc1,2026-01-01T10:05:00Z,{POSTCODE},\nc2,2026-01-01T11:00:00Z,{AD},\n")
    (log / "segment=student").mkdir()
    (log / "segment=student" / "part-0.csv").write_text(
        "customer,timestamp,touchpoint,segment\n"
        f"c3,2026-01-02T10:00:00Z,{AD},own\nc4,2026-01-02T10:00:00Z,{AD},\n")
    return log


def test_a_log_partitioned_by_segment_takes_the_segment_from_its_folders(tmp_path: Path, facts: JourneyFacts) -> None:
    """partitionBy("segment") leaves the column out of the files: the segment was lost without a word
    (no segments, and --persona said the log has none). A row's own cell still comes first."""
    log = partitioned_by_segment(tmp_path)
    for engine in ("python", "duckdb"):
        tables = read(engine, [log], facts)
        assert sorted((c.segment, c.customers) for c in tables.cohorts) == [
            ("busy parent", 2), ("own", 1), ("student", 1)], engine
        chosen = get_engine(engine)[1]([log], facts, EngineOptions(segment="busy parent"))
        assert chosen.customers == 2 and not chosen.problems, engine
    # one file given by name: its folders are still its partition
    alone = read("duckdb", [log / "segment=busy%20parent" / "part-0.csv"], facts)
    assert [(c.segment, c.customers) for c in alone.cohorts] == [("busy parent", 2)]


def test_the_partition_segment_of_a_path() -> None:
    from journeymap.data.engines.rows import partition_segment

    assert partition_segment("/data/log/date=2026-10-01/segment=busy%20parent/part-0.parquet") == "busy parent"
    assert partition_segment("s3://bucket/log/Persona=student/part-0.parquet") == "student"
    assert partition_segment("/data/segment=a/persona=b/x.csv") == "b"  # a persona before a segment, as columns
    assert partition_segment("/data/segment=a/segment=b/x.csv") == "b"  # the innermost folder
    assert partition_segment("/data/date=2026-10-01/x.csv") == "" and partition_segment("x.csv") == ""
    assert partition_segment("/data/segment=__HIVE_DEFAULT_PARTITION__/x.csv") == ""  # a null segment, as Hive writes it
    assert partition_segment("/data/persona=student/segment=__HIVE_DEFAULT_PARTITION__/x.csv") == "student"


def test_a_hive_partition_of_null_segments_gives_its_rows_no_segment(tmp_path: Path, facts: JourneyFacts) -> None:
    """Spark's partitionBy("segment") writes the rows without a segment to segment=__HIVE_DEFAULT_PARTITION__:
    that was a segment of its own."""
    log = partitioned_by_segment(tmp_path)
    (log / "segment=__HIVE_DEFAULT_PARTITION__").mkdir()
    (log / "segment=__HIVE_DEFAULT_PARTITION__" / "part-0.csv").write_text(HEADER + f"c5,2026-01-03T10:00:00Z,{AD},\n")
    for engine in ("python", "duckdb"):
        tables = read(engine, [log], facts)
        assert sorted((c.segment, c.customers) for c in tables.cohorts) == [
            ("", 1), ("busy parent", 2), ("own", 1), ("student", 1)], engine


def test_duplicate_events_and_rows_out_of_order_give_the_time_ordered_path(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("python", case_paths("duplicates-and-disorder", tmp_path), facts)
    assert tables.rows == 5 and tables.customers == 2
    assert tables.visits == {AD: 2, POSTCODE: 1}  # repeated events at one touchpoint are one visit
    assert [(f.source, f.target, f.count, f.median_seconds) for f in tables.flows] == [(AD, POSTCODE, 1, 300.0)]


def test_invalid_bytes_past_the_start_are_a_bad_row_with_its_place(tmp_path: Path, facts: JourneyFacts) -> None:
    assert found("not-utf8-late", tmp_path, facts) == [
        (3002, 18, "encoding", "this row is not UTF-8 text (byte 0xe9, which is \u00e9 in Windows-1252, as Word, Excel and"
                               " Notepad on Windows save text) (the row is left out)")
    ]




@pytest.mark.parametrize("engine", ["python", "duckdb"])
@pytest.mark.parametrize("where", ["start", "late", "json", "json-first-line"])
def test_an_encoding_errors_column_counts_characters(where: str, engine: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """A row of 'Zoë' and 'café' in UTF-8 with one byte of Windows-1252 after them: the error's column counted bytes
    (36 for the 33rd character), where every other problem, and the survey reader's encoding error, counts characters.
    A JSON lines file's first line with a byte-order mark was placed three bytes early (utf-8-sig counts after it)."""
    many = [f"c{i},2026-01-01T10:00:00Z,{AD}," for i in range(3000)] if where == "late" else []
    bad = "Zoë,2026-01-01T10:00:00Z,café-".encode() + b"\x96x,\n"  # a Windows-1252 dash after 'café-'
    if where.startswith("json"):
        lines = [f'{{"customer":"c{i}","timestamp":"2026-01-01T10:00:00Z","touchpoint":"{AD}"}}' for i in range(2)]
        bad = '{"customer":"Zoë","timestamp":"2026-01-01T10:00:00Z","touchpoint":"café-'.encode() + b'\x96x"}\n'
        text = (b"\xef\xbb\xbf" + bad + "\n".join(lines).encode() + b"\n" if where == "json-first-line"
                else "\n".join(lines).encode() + b"\n" + bad)
        path = tmp_path / "log.jsonl"
        line, col = (1, 73) if where == "json-first-line" else (3, 73)
    else:
        text = (HEADER + "".join(f"{row}\n" for row in many)).encode() + bad
        path = tmp_path / "log.csv"
        line, col = len(many) + 2, 31
    path.write_bytes(text)
    told = [(p.span.line, p.span.col, p.code) for p in read(engine, [path], facts).problems if p.code == "encoding"]
    assert told == [(line, col, "encoding")]


def test_a_lone_carriage_return_in_a_cell_is_a_clear_problem_in_every_engine(tmp_path: Path, facts: JourneyFacts) -> None:
    """A lone CR (a classic-Mac line break) ends a line, as in DuckDB and Python's universal
    newlines: here it cuts a row in two, both the wrong shape. Never a traceback. DuckDB's
    strict reader stops on it (and its sniffer cannot tell the file's line breaks), so such a
    file is split by the reference reader and its rows read by DuckDB: the same answer."""
    path = tmp_path / "log.csv"
    path.write_bytes((HEADER + f"c1,2026-01-01T10:00:00Z,{AD}\r,\nc2,2026-01-01T10:00:00Z,{AD},\n").encode())
    reference = read("python", [path], facts)
    assert [(p.span.line, p.span.col, p.code, p.message) for p in reference.problems] == [
        (2, 38, "row-shape", "this row has 3 cells but the header has 4 columns (and 1 more row: line 3; those rows are left out)")
    ]
    assert reference.customers == 1
    duck = read("duckdb", [path], facts)
    assert problems(duck) == problems(reference) and duck.comparable() == reference.comparable()
    for engine in ("python", "duckdb"):
        done = subprocess.run(
            [sys.executable, "-m", "journeymap", "report", str(JOURNEY), "--events", str(path), "--engine", engine],
            capture_output=True, text=True, timeout=120,
        )
        assert "Traceback" not in done.stderr and "internal error" not in done.stderr
        assert f"{path}" in done.stderr or "log.csv" in done.stderr

def test_a_glob_that_matches_nothing_is_the_same_problem_everywhere(tmp_path: Path, facts: JourneyFacts) -> None:
    paths = [tmp_path / "*.csv"]
    assert problems(read("python", paths, facts)) == problems(read("duckdb", paths, facts))
    assert [p.message for p in read("python", paths, facts).problems] == ["no file matches this pattern"]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_million_bad_rows_of_one_kind_are_one_line(tmp_path: Path, facts: JourneyFacts, engine: str) -> None:
    path = tmp_path / "log.csv"
    count = 1_000_000 if engine == "duckdb" else 200_000
    with open(path, "w") as stream:
        stream.write(HEADER)
        stream.write(f"c0,2026-01-01T10:00:00Z,{AD},\n")
        stream.write(f"c1,someday,{AD},\n" * count)
    tables = read(engine, [path], facts)
    assert [(p.code, p.span.line, p.span.col) for p in tables.problems] == [("invalid-timestamp", 3, 4)]
    assert f"(and {count - 1:,} more rows: lines 4, 5, 6, 7, ...; those rows are left out)" in tables.problems[0].message
    assert tables.rows == count + 1 and tables.customers == 1


def test_parquet_with_a_struct_or_a_boolean_timestamp_is_a_column_type_error(tmp_path: Path, facts: JourneyFacts) -> None:
    import duckdb

    struct = tmp_path / "struct.parquet"
    duckdb.sql(f"COPY (SELECT 'c1' AS customer, '2026-01-01' AS timestamp, {{'a': 1}} AS touchpoint) TO '{struct}' (FORMAT parquet)")
    flag = tmp_path / "flag.parquet"
    duckdb.sql(f"COPY (SELECT 'c1' AS customer, true AS timestamp, 'x' AS touchpoint) TO '{flag}' (FORMAT parquet)")
    for path, words in ((struct, "column 'touchpoint' holds STRUCT values"), (flag, "column 'timestamp' holds BOOLEAN values")):
        tables = read("duckdb", [path], facts)
        assert [(p.code, p.message) for p in tables.problems] == [("column-type", words + (", not text or numbers" if "touchpoint" in words else ""))]


def float_parquets(folder: Path) -> list[Path]:
    """Two parts of a log whose timestamp column is a 32-bit FLOAT of seconds since 1970 (pandas' downcast='float',
    numpy's float32): customers' steps 60 seconds apart."""
    import duckdb

    paths = []
    for part in (1, 2):
        path = folder / "floats" / f"part-{part}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        duckdb.sql(f"COPY (SELECT 'c' || i AS customer, CAST(1775037600 + i * 600 + j * 60 AS FLOAT) AS timestamp,"
                   f" ['{AD}', '{POSTCODE}'][j + 1] AS touchpoint FROM range({part * 10}, {part * 10 + 10}) a(i), range(2) b(j))"
                   f" TO '{path}' (FORMAT parquet)")
        paths.append(path)
    return paths


def test_a_parquet_timestamp_of_32_bit_floats_is_told_to_be_rounded_to_minutes(tmp_path: Path, facts: JourneyFacts) -> None:
    """A FLOAT keeps 24 bits: 1775037600 seconds is stored as 1775037568, each time rounded to 128 seconds, and the
    report's steps of 60 seconds were 0 s, 64 s or 128 s, without a word (a Parquet schema, no row looked at)."""
    from journeymap.data.events import read_events

    paths = float_parquets(tmp_path)
    tables = read("duckdb", paths[:1], facts)
    assert tables.customers == 10 and {f.median_seconds for f in tables.flows} - {0.0, 128.0} == set()
    assert [(p.span.line, p.span.col, p.level, p.code, p.message, p.hint) for p in tables.problems] == [(
        1, 1, "warning", "rounded-timestamp",
        "column 'timestamp' holds FLOAT values, 32-bit numbers that keep about 7 digits: a time since 1970 in one is"
        " rounded to about 2 minutes (1775037600 seconds is kept as 1775037568), and the steps of a customer within"
        " that time come at one moment, their order a guess",
        "write the column from the source as a 64-bit number (BIGINT or DOUBLE) or a timestamp type: converting the"
        " floats does not bring their digits back")]
    # the parts of one export say it once
    _, _, told = read_events(paths, load(JOURNEY), engine="duckdb")
    [rounded] = [p for p in told if p.code == "rounded-timestamp"]
    assert rounded.message.endswith("their order a guess (and the same in 1 more file: part-2.parquet)")


def empty_parquet(folder: Path) -> Path:
    import duckdb

    path = folder / "empty.parquet"
    duckdb.sql(f"COPY (SELECT 'c1' AS customer, TIMESTAMPTZ '2026-01-01' AS timestamp, 'x' AS touchpoint WHERE false)"
               f" TO '{path}' (FORMAT parquet)")
    return path


def test_a_parquet_file_without_rows_is_a_warning_like_a_header_without_rows(tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("duckdb", [empty_parquet(tmp_path)], facts)
    assert [(p.level, p.code, p.message) for p in tables.problems] == [
        ("warning", "no-rows", "the event log has columns but no rows")]
    assert tables.customers == 0 and tables.rows == 0


# Spark: one session for the module; the cases that exercise each of its readers.

class _Sessions:
    """One Spark session at a time, started afresh every :data:`CASES_PER_SESSION` uses: sixty
    cases in one 2 GB driver ran it out of memory near the end of a full run ("not enough memory
    to build and broadcast the table"), one aggregate per process being what the command does."""

    CASES_PER_SESSION = 20

    def __init__(self) -> None:
        from spark_helpers import start_spark

        self.session, self.uses = start_spark(), 0

    def next(self) -> object:
        from spark_helpers import start_spark

        self.uses += 1
        if self.uses % self.CASES_PER_SESSION == 0:
            self.session.stop()
            self.session = start_spark()
        return self.session


@pytest.fixture(scope="module")
def spark_sessions() -> Iterator[_Sessions]:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java (Debian: openjdk-17-jre-headless)")
    sessions = _Sessions()
    yield sessions
    sessions.session.stop()  # type: ignore[attr-defined]


@pytest.fixture
def spark(spark_sessions: _Sessions) -> object:
    return spark_sessions.next()


@pytest.mark.parametrize("name", [n for n in SPARK_CASES if n in broken_logs()])
def test_spark_reads_broken_logs_as_the_reference_does(name: str, tmp_path: Path, spark: object) -> None:
    """Each case's events, rows, problems and names as read, before any aggregate: the aggregates are
    the same SQL on every engine, held to the reference on generated logs (tests/test_spark.py) and on
    :data:`SPARK_AGGREGATE_CASES` here. Spark plans and runs a dozen queries for them, ~10 s a case."""
    from journeymap.data.encoding import read_as
    from journeymap.data.engines import python
    from journeymap.data.engines import spark as on_spark

    paths = case_paths(name, tmp_path)
    with read_as(None):  # as every engine reads: a damaged gzip's rows before the damage from one copy of them
        events, rows, found, names = on_spark.checked_events(paths, EngineOptions())
        reference_events, reference_rows, reference_found, reference_names = python.checked_events(paths)
    assert sorted(map(problem_key, found)) == sorted(map(problem_key, reference_found))
    assert sorted(events, key=repr) == sorted(reference_events, key=repr)
    assert (rows, names) == (reference_rows, reference_names)
    if name == "gzip-cut-short":  # it was none of its rows, without a place, on every engine
        assert rows == 295 and [(p.span.line, p.span.col, p.code) for p in found] == [(297, 37, "cut-short")]


SPARK_AGGREGATE_CASES = ["duplicates-and-disorder", "hive-bad-partition", "mixed-folder", "customer-ids-written-two-ways"]
"""Broken logs read by Spark to the end, aggregates and all (ties in time, segments from folders, files of two formats,
the queries that tell ids written two ways)."""


def spark_reads_as_duckdb(paths: list[Path], facts: JourneyFacts, options: EngineOptions | None = None) -> EventTables:
    """DuckDB's tables for ``paths``, having checked that Spark reads the same events, rows, problems
    and names as DuckDB does before any aggregate (see the test above)."""
    from journeymap.data.engines import duckdb
    from journeymap.data.engines import spark as on_spark
    from journeymap.data.engines.rows import columns_named

    options = options or EngineOptions()
    tables = get_engine("duckdb")[1](paths, facts, options)
    with columns_named(dict(options.columns)):
        events, rows, found, names = on_spark.checked_events(paths, options)
        duck_events, duck_rows, duck_found, duck_names = duckdb.checked_events(paths, facts, options)
    assert sorted(map(problem_key, found)) == sorted(map(problem_key, duck_found)) == problems(tables)
    assert sorted(events, key=repr) == sorted(duck_events, key=repr)
    assert (rows, names) == (duck_rows, duck_names) == (tables.rows, tables.files)
    return tables


@pytest.mark.parametrize("name", SPARK_AGGREGATE_CASES)
def test_spark_agrees_on_broken_logs(name: str, tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    paths = case_paths(name, tmp_path)
    reference = read("python", paths, facts)
    on_spark = read("spark", paths, facts)
    assert problems(on_spark) == problems(reference)
    assert on_spark.comparable() == reference.comparable()


def test_spark_reads_parquet_timestamps_at_the_edges_as_duckdb_does(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    for path in edge_parquets(tmp_path):
        spark_reads_as_duckdb([path], facts)


def test_spark_names_a_binary_or_nested_column_as_duckdb_does(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    """BINARY, BLOB and binary; MAP<STRING, STRING ('SEGMENT')> and MAP(VARCHAR, VARCHAR): one column, three names."""
    import duckdb

    binary = tmp_path / "binary.parquet"
    duckdb.sql(f"COPY (SELECT 'c1'::BLOB AS customer, '2026-01-01' AS timestamp, 'x' AS touchpoint) TO '{binary}' (FORMAT parquet)")
    nested = tmp_path / "nested.parquet"
    duckdb.sql(f"COPY (SELECT 'c1' AS customer, '2026-01-01' AS timestamp, ['x'] AS touchpoint) TO '{nested}' (FORMAT parquet)")
    for path, words in ((binary, "column 'customer' holds BINARY values"), (nested, "column 'touchpoint' holds LIST values")):
        duck, on_spark = read("duckdb", [path], facts), read("spark", [path], facts)
        assert problems(on_spark) == problems(duck)
        assert [p.message for p in duck.problems] == [words + ", not text or numbers"]
    assert duck.problems[0].hint == ("a touchpoint is one text or number a row: write one of its items as the column, e.g. with DuckDB:"
                                     " COPY (SELECT * REPLACE (touchpoint[1] AS touchpoint) FROM 'FILE') TO 'flat.parquet'")
    assert "cast it to string" in (read("duckdb", [binary], facts).problems[0].hint or "")


def test_spark_calls_a_parquet_column_named_twice_a_duplicate_column(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    """Spark refused such a file with its own words ('io: ... [COLUMN_ALREADY_EXISTS]')."""
    for path in (parquet_named_twice(tmp_path), parquet_named_twice(tmp_path, "touchpoint"),
                 parquet_named_twice(tmp_path, other="client")):
        duck, on_spark = read("duckdb", [path], facts), read("spark", [path], facts)
        assert problems(on_spark) == problems(duck) and on_spark.rows == duck.rows == 0, path.name
        assert "duplicate-column" in [p.code for p in on_spark.problems]


def test_spark_takes_the_segment_from_a_partitioned_logs_folders(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    log = partitioned_by_segment(tmp_path)
    assert {c.segment for c in spark_reads_as_duckdb([log], facts).cohorts} == {"busy parent", "own", "student"}


def test_spark_tells_a_parquet_timestamp_of_32_bit_floats_as_duckdb_does(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    assert [p.code for p in spark_reads_as_duckdb(float_parquets(tmp_path), facts).problems] == ["rounded-timestamp"] * 2


def test_spark_tells_adobes_date_time_as_duckdb_does(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    from journeymap.data.engines.rows import parse_columns

    hits = tmp_path / "hits.tsv"
    hits.write_text(f"mcvisid\tdate_time\tpost_pagename\n0123\t2026-09-14 08:31:00\t{AD}\n0123\t2026-09-14 08:32:00\t{POSTCODE}\n")
    local = EngineOptions(columns=tuple(parse_columns(["customer=mcvisid", "timestamp=date_time", "touchpoint=post_pagename"]).items()))
    assert [p.code for p in spark_reads_as_duckdb([hits], facts, local).problems] == ["report-suite-time-zone"]


def test_spark_warns_of_a_parquet_file_without_rows(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    assert [p.code for p in spark_reads_as_duckdb([empty_parquet(tmp_path)], facts).problems] == ["no-rows"]


def test_spark_keeps_the_terminal_quiet(tmp_path: Path) -> None:
    """A new JVM writes nothing to the terminal: no log4j banner, no progress bar, only journeymap's problems."""
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("Spark needs Java")
    path = tmp_path / "log.csv"
    path.write_text(HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\nc2,soon,{AD},\n")
    proc = subprocess.run(
        [sys.executable, "-m", "journeymap", "report", str(JOURNEY), "--events", str(path), "--engine", "spark"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"{path}:3:4: error[invalid-timestamp]: 'soon' is not a timestamp (the row is left out)",
        "  hint: write ISO 8601 as YYYY-MM-DDTHH:MM:SS with Z or a UTC offset under 18 hours, such as +02:00 (2026-09-14T08:31:00Z), or seconds since 1970",
    ] or [line for line in proc.stderr.splitlines() if line.strip()][0].startswith(f"{path}:3:4: error[invalid-timestamp]")
    assert "log4j" not in proc.stderr and "Stage" not in proc.stderr and "WARN" not in proc.stderr


@pytest.mark.parametrize("kind", ["csv", "csv-spaced", "json", "parquet"])
def test_spark_reads_a_renamed_log_as_duckdb_does(kind: str, tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    """``--events-column``: the other tool's column names, a decoy 'customer' among them."""
    from tests.test_events_columns import XES, both

    canonical, renamed = both(tmp_path, kind)
    options = EngineOptions(columns=tuple(XES.items()))
    assert spark_reads_as_duckdb([renamed], facts, options).comparable() == read("duckdb", [canonical], facts).comparable()


@pytest.mark.parametrize("name", ["xes", "xes-gzip"])
def test_an_xes_log_is_one_error_whose_hint_converts_it(name: str, tmp_path: Path, facts: JourneyFacts) -> None:
    tables = read("duckdb", case_paths(name, tmp_path), facts)
    assert [(p.code, p.span.line) for p in tables.problems] == [("xml", 1)]
    assert tables.problems[0].hint is not None and "pm4py.read_xes" in tables.problems[0].hint
    assert "--events-column customer=case:concept:name" in tables.problems[0].hint


def test_a_persona_no_row_has_is_a_warning_naming_the_log_s_segments(tmp_path: Path, facts: JourneyFacts) -> None:
    """The hint was "did you mean 'Busy Prents'?", the log's segment offered as the persona to ask for, which
    --persona refuses (an unknown persona): it now says the log may write the persona so, and what to write."""
    log = tmp_path / "log.csv"
    log.write_text(HEADER.replace("\n", ",segment\n") + f"c1,2026-01-01T10:00:00Z,{AD},,Busy Prents\n"
                   f"c2,2026-01-01T10:00:00Z,{AD},,Busy Prents\nc3,2026-01-01T10:00:00Z,{AD},,student-flatshare\n")
    for engine in ("python", "duckdb"):
        tables = get_engine(engine)[1]([log], facts, EngineOptions(segment="busy-parent"))
        assert tables.customers == 0
        assert [(p.code, p.level, p.message, p.hint) for p in tables.problems] == [(
            "no-such-segment", "warning",
            "no customer in the event log has the segment 'busy-parent', so the report for it has no customers;"
            " the log's segments (customers): 'Busy Prents' (2), 'student-flatshare' (1)",
            "is 'Busy Prents' the log's spelling of 'busy-parent'? Write the persona's id there, in the log's segment"
            " (or persona) column",
        )]
        assert not get_engine(engine)[1]([log], facts, EngineOptions(segment="student-flatshare")).problems


def test_a_segment_written_as_the_persona_s_label_or_name_is_that_persona(tmp_path: Path) -> None:
    """A CRM or BI export writes a segment as its label ('Busy Parent', 'busy_parent') or as the persona's
    name ('Busy parent'): --persona busy-parent chose nobody, with a no-such-segment warning, where a survey
    file's persona column read them as the persona. Every engine chooses the same customers, and the map's
    persona filter (one reading for all personas on DuckDB) reads them too; the plural of its name ('Busy
    Parents') is the persona with a persona-plural warning, as in a survey."""
    from journeymap.data import MetricData, add_persona_events
    from journeymap.data.events import read_events

    journey = load(JOURNEY)
    log = tmp_path / "log.csv"
    log.write_text(HEADER.replace("\n", ",segment\n") + f"c1,2026-01-01T10:00:00Z,{AD},,Busy Parent\n"
                   f"c2,2026-01-01T10:00:00Z,{AD},,busy_parent\nc3,2026-01-01T10:00:00Z,{AD},,Busy parent\n"
                   f"c4,2026-01-01T10:00:00Z,{AD},,BUSY-PARENT\nc5,2026-01-01T10:00:00Z,{AD},,Work-from-home professional\n"
                   f"c6,2026-01-01T10:00:00Z,{AD},,Busy Parents\n")
    for engine in ("python", "duckdb"):
        # 'Busy Parents', the plural of its name, is the persona too, with a warning (as in a survey file)
        _, busy, told = read_events([log], journey, engine=engine, options=EngineOptions(segment="busy-parent"))
        assert (busy.customers, [p.code for p in told if p.code.endswith("segment")]) == (5, []), engine
        assert [p.message for p in told if p.code == "persona-plural"] == [
            "the log's segment 'Busy Parents' (1 customer) is read as the plural of persona 'busy-parent'"]
        _, wfh, _ = read_events([log], journey, engine=engine, options=EngineOptions(segment="wfh-professional"))
        assert wfh.customers == 1, engine
        data = MetricData()
        data.events = read_events([log], journey, engine=engine)[1]
        add_persona_events(data, journey, [log], engine=engine)
        assert {p: s.customers for p, s in data.persona_events.items() if s.customers} == {"busy-parent": 5, "wfh-professional": 1}
        assert [p.code for p in data.problems] == ["persona-plural"]


def test_a_folder_of_parts_is_named_as_given_in_messages_about_the_whole_log(tmp_path: Path, facts: JourneyFacts) -> None:
    """300 Spark parts in a folder put every part's name (19,600 characters) into each log-wide warning,
    the JSON's problem file and each "Volume 91 from ..." line: the folder or glob is named as given."""
    from journeymap.data.events import summary_of

    folder = tmp_path / "parts"
    folder.mkdir()
    for i in range(3):
        (folder / f"part-0000{i}.csv").write_text(HEADER + f"c{i},2026-01-01T10:00:00Z,{AD},\nc{i},2026-01-01T10:05:00Z,store-visit,\n")
    single = tmp_path / "more.csv"
    single.write_text(HEADER + f"c9,2026-01-01T10:00:00Z,{AD},\n")
    journey = load(JOURNEY)
    for paths, names in (([folder], [f"{folder} (3 files)"]), ([folder / "*.csv", single], [f"{folder / '*.csv'} (3 files)", str(single)]),
                         ([folder / "part-00001.csv"], [str(folder / "part-00001.csv")]),
                         ([folder / "*1.csv"], [str(folder / "part-00001.csv")])):  # a glob of one file: that file
        for engine in ("python", "duckdb"):
            tables = read(engine, paths, facts)
            assert tables.files == names, (paths, engine)
            points, summary, told = summary_of(tables, journey)
            assert summary.files == names and {p.source for p in points} == {", ".join(names)}
            assert [(p.span.file, p.code) for p in told] == [(", ".join(names), "unknown-touchpoint")]


def test_unknown_columns_are_one_warning_as_the_header_writes_them(tmp_path: Path, facts: JourneyFacts) -> None:
    """A GA4 export's twenty columns journeymap does not read were twenty warnings, each lower-cased
    ('anonymousid' for anonymousId): one warning names them as written; a column that looks like one of
    journeymap's keeps a warning of its own, with its guess."""
    columns = [f"Param_{i}" for i in range(10)]
    log = tmp_path / "ga4.csv"
    log.write_text(f"customer,timestamp,touchpoint,Outcomes,{','.join(columns)},Export From CRM\n"
                   f"c1,2026-01-01T10:00:00Z,{AD},,{','.join('x' * len(columns))},\n")
    for engine in ("python", "duckdb"):
        told = sorted((p.level, p.message, p.hint) for p in read(engine, [log], facts).problems)
        assert told == [
            ("warning", "11 columns are not ones journeymap reads; they are ignored: 'Param_0', 'Param_1', 'Param_2',"
                        " 'Param_3', 'Param_4', 'Param_5', 'Param_6', 'Param_7' and 3 more",
             "known columns: customer, timestamp, touchpoint, outcome, segment, persona"),
            ("warning", "column 'Outcomes' is not one journeymap reads; it is ignored", "did you mean 'outcome'?"),
        ], engine


def test_a_log_named_twice_is_read_once_with_a_warning_as_a_survey_file_is(tmp_path: Path, facts: JourneyFacts) -> None:
    """--events base.csv --events ./base.csv --events /full/base.csv read it once without a word;
    --responses said duplicate-file."""
    log = tmp_path / "log.csv"
    log.write_text(HEADER + f"c1,2026-01-01T10:00:00Z,{AD},\n")
    (tmp_path / "link.csv").symlink_to(log)
    (tmp_path / "sub").mkdir()
    for engine in ("python", "duckdb"):
        tables = read(engine, [log, tmp_path / "sub" / ".." / "log.csv", tmp_path / "link.csv"], facts)
        assert tables.rows == 1 and tables.files == [str(log)], engine
        assert [(p.span.file, p.code, p.level, p.message) for p in tables.problems] == [
            (str(tmp_path / "sub" / ".." / "log.csv"), "duplicate-file", "warning", "--events names this file twice: it is read once"),
            (str(tmp_path / "link.csv"), "duplicate-file", "warning", "--events names this file twice (as log.csv): it is read once"),
        ], engine


@pytest.mark.parametrize("name", ["utf-16", "utf-16-le-no-bom", "utf-16-be-no-bom"])
def test_utf_16_with_or_without_a_byte_order_mark_is_said_so(name: str, tmp_path: Path, facts: JourneyFacts) -> None:
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths(name, tmp_path), facts)
        assert [(p.span.line, p.code, p.message) for p in tables.problems] == [
            (1, "encoding", "the file is not UTF-8 text: it is UTF-16 text" + " (Excel's 'Unicode text')" * (name == "utf-16"))], engine


@pytest.mark.parametrize(("name", "what", "hint"), [
    ("utf-32", "it is UTF-32 text", "save it as UTF-8: iconv -f UTF-32 -t UTF-8 FILE > NEW converts it"),
    ("utf-32-le-no-bom", "it is UTF-32 text", "save it as UTF-8: iconv -f UTF-32LE -t UTF-8 FILE > NEW converts it"),
    ("utf-32-be-no-bom", "it is UTF-32 text", "save it as UTF-8: iconv -f UTF-32BE -t UTF-8 FILE > NEW converts it"),
    ("sqlite-named-csv", "it is an SQLite database", "export the data as CSV (UTF-8) instead"),
    ("binary", "it is a PNG image", "export the data as CSV (UTF-8) instead"),  # was "byte 0x89", and iconv from cp1252
    ("gzip-in-gzip", "it is gzip-compressed twice (a gzip file inside another)", "decompress it once: gzip -dc FILE.csv.gz > NEW.csv.gz"),
    ("parquet-in-gzip", "it is a gzip-compressed Parquet file, which is read uncompressed (Parquet compresses its own pages)",
     "decompress it: gzip -dc FILE.gz > NEW.parquet"),
])
def test_a_file_that_is_not_utf_8_text_is_named_for_what_it_is_with_its_fix(
    name: str, what: str, hint: str, tmp_path: Path, facts: JourneyFacts
) -> None:
    """UTF-32 was told UTF-16 (or read as columns '\\x00\\x00\\x00c'), an SQLite database had a header of NULs,
    a PNG was to be converted from a Windows code page, and a .csv.gz holding a gzip or a Parquet file was
    to be named .csv.gz or .parquet, which it was or which would not read it."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths(name, tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.code, p.message, p.hint) for p in tables.problems] == [
            (1, 1, "encoding", f"the file is not UTF-8 text: {what}", hint)], engine


@pytest.mark.parametrize(("name", "where"), [("nul-bytes", ""), ("nul-bytes-jsonl", " (its first 64 KiB at least)")])
def test_a_file_of_nul_bytes_is_said_to_be_one(name: str, where: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """It was a header of one column '\\x00\\x00...' (CSV), or "its header: empty" (JSON lines)."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths(name, tmp_path / engine), facts)
        assert [(p.span.line, p.code, p.message, p.hint) for p in tables.problems] == [
            (1, "encoding", f"the file is NUL bytes (zeros) only{where}, not text: a write or a copy that never finished"
                            " leaves such a file", "copy or export the log again")], engine


@pytest.mark.parametrize(("name", "message", "hint"), [
    ("csv-named-parquet", "the file is CSV text (its first line is a header), not Parquet, so none of it is read",
     "name it .csv to have it read as such"),
    ("jsonl-named-parquet", "the file is JSON lines text (its first line is a JSON object), not Parquet, so none of it is read",
     "name it .jsonl to have it read as such"),
    ("gzip-csv-named-parquet", "the file is gzip-compressed CSV text (its first line is a header), not Parquet, so none of it is read",
     "name it .csv.gz to have it read as such"),
    ("gzip-parquet", "the file is a gzip-compressed Parquet file, which is read uncompressed (Parquet compresses its own pages),"
                     " so none of it is read", "decompress it: gzip -dc FILE > NEW.parquet"),
    ("nul-bytes-parquet", "the file is NUL bytes (zeros) only, not Parquet: a write or a copy that never finished leaves such a file",
     "copy or export the log again"),
    ("png-named-parquet", "the file is not a Parquet file: it is a PNG image", "export the data as CSV (UTF-8) instead"),
])
def test_a_file_named_parquet_that_is_not_is_said_to_be_what_it_is(
    name: str, message: str, hint: str, tmp_path: Path, facts: JourneyFacts
) -> None:
    """It was "the file is damaged (cut short, or changed after it was written)" on DuckDB (and Spark), and
    "reading Parquet needs pyarrow" on the reference, which reads no Parquet file without it."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths(name, tmp_path / engine), facts)
        assert [(p.span.line, p.span.col, p.message, p.hint) for p in tables.problems] == [(1, 1, message, hint)], engine


def damaged_parts(tmp_path: Path) -> Path:
    """A folder of three Parquet parts: one whole, one cut short (no footer), one with bytes changed mid-file."""
    import duckdb

    folder = tmp_path / "parts"
    folder.mkdir()
    for i in range(3):
        duckdb.sql(f"COPY (SELECT 'p{i}c' || (n // 2) AS customer, TIMESTAMP '2026-01-01 10:00:00' + INTERVAL (n) MINUTE AS timestamp,"
                   f" CASE WHEN n % 2 = 0 THEN '{AD}' ELSE '{POSTCODE}' END AS touchpoint"
                   f" FROM range(4000) t(n)) TO '{folder / f'part-{i}.parquet'}' (FORMAT parquet, COMPRESSION snappy)")
    cut = folder / "part-1.parquet"
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    changed = folder / "part-2.parquet"
    data = bytearray(changed.read_bytes())
    for at in range(200, 600):  # in the first page of customers: it no longer decompresses
        data[at] ^= 0xFF
    changed.write_bytes(bytes(data))
    return folder


def test_a_damaged_part_of_a_folder_is_told_and_the_other_parts_are_read(tmp_path: Path, facts: JourneyFacts) -> None:
    """One damaged Parquet part made DuckDB read none of the folder ("cannot read the event log: ... Snappy
    decompression failure", on the folder); a part cut short was left out with its error. Now both are."""
    folder = damaged_parts(tmp_path)
    tables = read("duckdb", [folder], facts)
    assert tables.customers == 2000 and tables.rows == 4000
    assert sorted((Path(p.span.file).name, p.code, p.hint) for p in tables.problems) == [
        (f"part-{i}.parquet", "io", "the file is damaged (cut short, or changed after it was written): export it again") for i in (1, 2)]


def test_spark_tells_a_damaged_parquet_part_and_reads_the_others(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    """A Parquet file cut short or changed mid-file was "internal error: Py4JJavaError ... a bug in journeymap" on Spark."""
    from journeymap.data.engines import duckdb
    from journeymap.data.engines import spark as on_spark

    folder = damaged_parts(tmp_path)
    events, rows, found, _ = on_spark.checked_events([folder], EngineOptions())
    duck_events, duck_rows, duck_found, _ = duckdb.checked_events([folder], facts, EngineOptions())
    assert sorted(events, key=repr) == sorted(duck_events, key=repr) and rows == duck_rows > 0
    assert sorted((p.span.file, p.code, p.hint) for p in found) == sorted((p.span.file, p.code, p.hint) for p in duck_found)
    single = on_spark.checked_events([folder / "part-1.parquet"], EngineOptions())[2]
    assert [(p.code, p.message.split(":")[0]) for p in single] == [("io", "cannot read the parquet file")]


def test_spark_reads_nanosecond_parquet_timestamps_as_duckdb_does(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    """pandas' and pyarrow's timestamps (TIMESTAMP(NANOS)) were refused by Spark ("Illegal Parquet type"):
    0 customers, where DuckDB read them all; a folder mixing them gave other figures on each engine."""
    import duckdb

    path = tmp_path / "log.parquet"
    duckdb.sql(f"COPY (SELECT 'c' || (n // 2) AS customer,"
               f" CAST(TIMESTAMP '2026-01-01 10:00:00' + INTERVAL (n * 37) SECOND AS TIMESTAMP_NS) + INTERVAL (n * 1234) MICROSECOND"
               f" AS timestamp, CASE WHEN n % 2 = 0 THEN '{AD}' ELSE '{POSTCODE}' END AS touchpoint FROM range(40) t(n))"
               f" TO '{path}' (FORMAT parquet)")
    assert duckdb.sql(f"SELECT typeof(timestamp) FROM '{path}' LIMIT 1").fetchall() == [("TIMESTAMP_NS",)]
    duck = spark_reads_as_duckdb([path], facts)
    assert duck.customers == 20 and duck.problems == []


def test_spark_writes_ids_held_as_doubles_as_duckdb_does(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    """A pandas id column with a NaN in it is float64: DuckDB wrote 12345678.0 and 1.2e+21, Spark
    1.2345678E7 and 1.2E21, so the example customers and the segments' names differed."""
    import duckdb

    path = tmp_path / "log.parquet"
    duckdb.sql(f"COPY (SELECT CAST(id AS DOUBLE) AS customer, TIMESTAMP '2026-01-01 10:00:00' + INTERVAL (n) MINUTE AS timestamp,"
               f" '{AD}' AS touchpoint, CAST(seg AS DOUBLE) AS segment"
               f" FROM (VALUES (0, 12345678, 20000000), (1, 1.2e21, 0.1), (2, 0.30000000000000004, 2.5), (3, 1e16, 1e-7))"
               f" t(n, id, seg)) TO '{path}' (FORMAT parquet)")
    duck = spark_reads_as_duckdb([path], facts)
    assert sorted(c.segment for c in duck.cohorts) == sorted(repr(x) for x in (20000000.0, 0.1, 2.5, 1e-07))


def test_a_log_of_dates_only_is_told_its_order_within_a_day_is_a_guess(tmp_path: Path) -> None:
    """Timestamps cut to their day made 21% of customers out of sequence and 46 undeclared flows
    (from the order of touchpoint ids within a day), without a word."""
    from journeymap.data.events import read_events

    paths = case_paths("dates-only", tmp_path)
    for engine in ("python", "duckdb"):
        tables = read(engine, paths, JourneyFacts.of(load(JOURNEY)))
        assert sum(f.ties for f in tables.flows) == sum(f.count for f in tables.flows) == 60, engine
        _, _, told = read_events(paths, load(JOURNEY), engine=engine)
        [same] = [p for p in told if p.code == "same-moment"]
        assert same.level == "warning" and same.message.startswith(
            "60 of 60 steps between touchpoints (100%) happen at the same moment as the step before"), engine
    timed = tmp_path / "timed.csv"
    timed.write_text(HEADER + "".join(f"c{i},2026-01-01T10:{i:02d}:00Z,{AD},\nc{i},2026-01-01T10:{i:02d}:30Z,{POSTCODE},\n"
                                      for i in range(30)))
    assert not [p for p in read_events([timed], load(JOURNEY), engine="duckdb")[2] if p.code == "same-moment"]


def test_a_windows_code_page_file_is_told_how_to_convert_it(tmp_path: Path, facts: JourneyFacts) -> None:
    """A cp1252 export was told only "save it as UTF-8": from a script or a server there is no Excel to save it with."""
    paths = case_paths("latin-1", tmp_path)
    for engine in ("python", "duckdb"):
        [problem] = [p for p in read(engine, paths, facts).problems if p.code == "encoding"]
        assert problem.hint == ("save it as UTF-8 (in Excel: 'CSV UTF-8'); a Windows or Latin-1 file converts with"
                                " iconv -f WINDOWS-1252 -t UTF-8 FILE > NEW, or is read as it is with --data-encoding"
                                " windows-1252 (EngineOptions(encoding='windows-1252') in Python)"), engine


def test_a_header_repeated_mid_file_is_told_as_the_header_again(tmp_path: Path, facts: JourneyFacts) -> None:
    """`cat a.csv b.csv` repeats the header: 'timestamp' is not a timestamp and 'outcome' no outcome,
    with hints about ISO 8601 and outcome words that did not say what the row was."""
    path = tmp_path / "log.csv"
    path.write_text("customer,timestamp,touchpoint,outcome\n" + f"c1,2026-01-01T10:00:00Z,{AD},\n"
                    "customer,timestamp,touchpoint,outcome\n" + f"c2,2026-01-01T11:00:00Z,{AD},\n")
    for engine in ("python", "duckdb"):
        tables = read(engine, [path], facts)
        assert tables.customers == 2, engine
        told = sorted((p.span.line, p.code, p.hint) for p in tables.problems)
        assert [(line, code) for line, code, _ in told] == [(3, "invalid-outcome"), (3, "invalid-timestamp")], engine
        assert {hint for _, _, hint in told} == {"the row repeats the header: files joined with their headers (cat a.csv b.csv)?"
                                                 " Delete it, or join them with the header once (tail -n +2 b.csv >> a.csv)"}


def test_a_date_that_reads_both_ways_is_told_its_order_when_another_row_of_the_file_reads_one_way(
    tmp_path: Path, facts: JourneyFacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A US export ('09/10/2026 3:50 PM', Salesforce's and Zendesk's) was told "is day first (2026-10-09...) or
    month first (2026-09-10...)" though line 11's '09/13/2026' has no month 13: the file's own dates say which."""
    from journeymap.data.engines import rows

    paths = case_paths("us-dates", tmp_path)
    for engine in ("python", "duckdb"):
        (problem,) = read(engine, paths, facts).problems
        assert (problem.span.line, problem.code) == (2, "invalid-timestamp"), engine
        assert problem.hint == ("'09/10/2026 3:50 PM' is month first (2026-09-10T15:50:00), as line 11's '09/13/2026 3:59 PM'"
                                " shows (there is no month 13): write the dates as year-month-day (ISO 8601, with Z or a UTC offset;"
                                " no zone means UTC)"), engine
    day_first = tmp_path / "day-first.csv"
    day_first.write_text(HEADER + f"c1,10/09/2026 15:51,{AD},\nc2,11/09/2026,{AD},\nc3,2026-09-12T10:00:00Z,{AD},\nc4,13/09/2026,{AD},\n")
    for engine in ("python", "duckdb"):
        (problem,) = read(engine, [day_first], facts).problems
        assert problem.hint is not None and problem.hint.startswith(
            "'10/09/2026 15:51' is day first (2026-09-10T15:51:00), as line 5's '13/09/2026' shows (there is no month 13)"), engine
    # only the bad timestamps of the first ORDER_LINES lines are looked through, by every engine alike: then both readings
    monkeypatch.setattr(rows, "ORDER_LINES", 10)
    for engine in ("python", "duckdb"):
        (problem,) = read(engine, paths, facts).problems
        assert problem.hint is not None and problem.hint.startswith(
            "'09/10/2026 3:50 PM' is day first (2026-10-09T15:50:00) or month first (2026-09-10T15:50:00)"), engine


def test_an_api_answer_is_told_with_the_jq_that_writes_its_list_one_object_a_line(tmp_path: Path, facts: JourneyFacts) -> None:
    """Zendesk's, HubSpot's and Stripe's APIs answer with one object holding the events in a list: on one line
    it was "no columns 'customer', ... (its header: ticket_events, next_page, ...)" with 'did you mean' warnings of
    its keys, pretty-printed 'jq -c . converts it', which writes the answer again on one line. A row whose cell is a
    list of objects (GA4's event_params) keeps its own hints."""
    for case, code, said, hint in (
        ("api-answer-line", "missing-column", ": line 1 is an API's answer whose list 'ticket_events' holds 1 object, the rows,"
         " not a row", "jq -c '.ticket_events[]' FILE > NEW.jsonl"),
        ("api-answer-pretty", "json", "the file is pretty-printed JSON, an API's answer whose objects are in its list 'results',"
         " not JSON lines", "jq -c '.results[]' FILE > NEW.jsonl"),
    ):
        paths = case_paths(case, tmp_path / case)
        for engine in ("python", "duckdb"):
            (problem,) = read(engine, paths, facts).problems
            assert (problem.code, problem.span.line) == (code, 1), (case, engine)
            assert said in problem.message and problem.hint == f"write the objects one a line: {hint}", (case, engine)
    ga4 = tmp_path / "ga4.json"
    ga4.write_text('{"event_name": "page_view", "event_params": [{"key": "page", "value": {"string_value": "/"}}],'
                   ' "event_timestamp": 1789000000000000, "user_pseudo_id": "u1"}\n')
    error = next(p for p in read("python", [ga4], facts).problems if p.code == "missing-column")
    assert "API" not in error.message and error.hint is not None and "--events-column customer=user_pseudo_id" in error.hint
    ga4.write_text('{\n  "user_pseudo_id": "u1",\n  "event_params": [\n    {"key": "page"}\n  ],\n  "event_name": "x"\n}\n')
    (pretty,) = read("python", [ga4], facts).problems
    assert pretty.hint == "write one object a line: jq -c . events.json > events.jsonl converts it"


def test_timestamps_that_excel_wrote_with_an_exponent_are_said_to_be_rounded(tmp_path: Path, facts: JourneyFacts) -> None:
    """Milliseconds since 1970 saved from Excel as it shows them, '1.78906E+12', keep six digits: every step within
    2.8 hours came at one moment, told only by a same-moment warning that spoke of a log of dates. A number with
    an exponent that Excel does not write (Python's '1.789055460123456e+18' nanoseconds, '1.7e9', nine digits) is no such case."""
    paths = case_paths("excel-exponent-timestamps", tmp_path)
    for engine in ("python", "duckdb"):
        tables = read(engine, paths, facts)
        assert tables.customers == 10 and tables.rows == 20, engine
        (rounded,) = [p for p in tables.problems if p.code == "rounded-timestamp"]
        assert (rounded.span.line, rounded.span.col, rounded.level) == (2, 4, "warning"), engine
        assert rounded.message == ("timestamps are numbers written with an exponent ('1.78906E+12'), as Excel shows a long number"
                                   " and saves it in a CSV file: each keeps only its first digits, so it is rounded to 2.8 hours,"
                                   " and the steps of a customer within that time come at one moment, their order a guess")
    precise = tmp_path / "precise.jsonl"
    precise.write_text(f'{{"customer": "c1", "timestamp": "1.789055460123456e+18", "touchpoint": "{AD}"}}\n'
                       f'{{"customer": "c1", "timestamp": "1.7e9", "touchpoint": "{POSTCODE}"}}\n'
                       f'{{"customer": "c1", "timestamp": "1.76726163E+12", "touchpoint": "{POSTCODE}"}}\n')
    rounded_json = tmp_path / "rounded.jsonl"
    rounded_json.write_text(f'{{"customer": "c1", "timestamp": "2026-01-01T10:00:00Z", "touchpoint": "{AD}"}}\n'
                            f'{{"customer": "c1", "timestamp": "1.78906E+09", "touchpoint": "{POSTCODE}"}}\n')
    for engine in ("python", "duckdb"):
        assert not [p for p in read(engine, [precise], facts).problems if p.code == "rounded-timestamp"], engine
        (rounded,) = [p for p in read(engine, [rounded_json], facts).problems if p.code == "rounded-timestamp"]
        assert (rounded.span.line, "rounded to 2.8 hours" in rounded.message) == (2, True), engine


def test_an_avro_or_orc_file_is_said_to_be_one_with_how_to_convert_it(tmp_path: Path, facts: JourneyFacts) -> None:
    """BigQuery exports GA4's nested events_* tables as Avro, Hive and Spark write ORC: by name an Avro file was "not
    UTF-8 text (byte 0x80)" with iconv's cp1252 line, an ORC file "a binary file"; in a folder each was left out with
    "give the file to --events by name to read it", which refused it."""
    avro = tmp_path / "events.avro"
    avro.write_bytes(b"Obj\x01\x04\x14avro.codec\x0cdeflate\x16avro.schema\x0e{\"a\":1}\x00" + bytes(range(256)))
    orc = tmp_path / "part-00000.orc"
    orc.write_bytes(b"ORC\x0a\x00" + bytes(range(256)))
    for engine in ("python", "duckdb"):
        told = {Path(p.span.file).name: (p.code, p.message, p.hint) for p in read(engine, [avro, orc], facts).problems}
        assert told["events.avro"][:2] == ("encoding", "the file is not UTF-8 text: it is an Avro file (as BigQuery exports a"
                                           " table with nested columns, GA4's events_*, and as Kafka's connectors write)"), engine
        assert "bq extract --destination_format=PARQUET" in (told["events.avro"][2] or ""), engine
        assert told["part-00000.orc"][:2] == ("encoding", "the file is not UTF-8 text: it is an ORC file (as Hive and Spark write a table)")
        assert told["part-00000.orc"][2] == "convert it to Parquet: spark.read.orc('FILE').write.parquet('NEW'), or write the table as Parquet"
    from journeymap.data.engines.sources import resolve

    left = {Path(p.span.file).name: (p.message, p.hint) for p in resolve([tmp_path]).problems if p.level == "warning"}
    assert left["events.avro"][0] == "left out of the folder: it is an Avro file, which is not read"
    assert left["part-00000.orc"][0] == "left out of the folder: it is an ORC file, which is not read"
    assert "by name" not in str(left)


def test_a_header_that_ends_with_its_separator_is_told_to_lose_it(tmp_path: Path, facts: JourneyFacts) -> None:
    """'customer,timestamp,touchpoint,outcome,' over rows without the last comma: every row was 'this row has 4 cells
    but the header has 5 columns' with the hint about commas in double quotes; the whole log was left out."""
    import subprocess

    paths = case_paths("header-ends-with-separator", tmp_path)
    for engine in ("python", "duckdb"):
        (shape,) = [p for p in read(engine, paths, facts).problems if p.code == "row-shape"]
        assert shape.message == ("this row has 4 cells but the header has 5 columns (and 1 more row: line 3; those rows are"
                                 " left out)"), engine
        assert shape.hint == ("the header ends with a comma, which gives it a last column without a name that the rows do not"
                              " have: delete it (sed -E '1s/,(\\r?)$/\\1/' FILE > NEW, GNU sed), and every row is read"), engine
    sed = shape.hint.split("(", 1)[1].split(" FILE", 1)[0]
    if shutil.which("sed") and subprocess.run(["sed", "--version"], capture_output=True).returncode == 0:  # GNU sed
        fixed = tmp_path / "fixed.csv"
        fixed.write_bytes(subprocess.run([*shlex.split(sed), str(paths[0])], capture_output=True, check=True).stdout)
        tables = read("duckdb", [fixed], facts)
        assert (tables.rows, [p.code for p in tables.problems]) == (2, [])
    # rows short of another column keep the row-shape hint
    other = tmp_path / "other.csv"
    other.write_text(HEADER.replace("\n", ",\n") + f"c1,2026-01-01T10:00:00Z,{AD}\n")
    (shape,) = [p for p in read("python", [other], facts).problems if p.code == "row-shape"]
    assert shape.hint is not None and shape.hint.startswith("a cell holding a comma")


def test_a_row_of_empty_cells_is_told_to_be_one_with_the_grep_that_deletes_such_rows(tmp_path: Path, facts: JourneyFacts) -> None:
    """Excel saves rows whose cells were cleared as ',,,': each was 'the customer is empty', 'the timestamp is empty' and
    'the touchpoint is empty' without a hint. A row with a cell of its own keeps the plain words."""
    paths = case_paths("blank-cells-row", tmp_path)
    hint = ("line 2 is a row of empty cells, as Excel saves rows whose cells were cleared: delete such rows"
            " (grep -vE '^[,;|[:space:]]*$' FILE > NEW)")
    for engine in ("python", "duckdb"):
        told = [(p.span.line, p.code, p.hint) for p in read(engine, paths, facts).problems]
        assert told == [(2, "missing-value", hint)] * 3, engine
    other = tmp_path / "other.csv"
    other.write_text(HEADER + f",,{AD},\n")
    for engine in ("python", "duckdb"):
        assert [p.hint for p in read(engine, [other], facts).problems] == [
            "a row without a customer id is in no customer's path; if the log has another id for every visitor (GA4's"
            " user_pseudo_id, Segment's anonymousId), read it as the customer", "every row needs the moment of its event: "
            + TIMESTAMP_HINT], engine


def test_an_empty_timestamp_or_touchpoint_is_told_what_to_write(tmp_path: Path, facts: JourneyFacts) -> None:
    """'the timestamp is empty' and 'the touchpoint is empty' (or NaT, NULL) had no hint: each now says what the row needs."""
    path = tmp_path / "log.csv"
    path.write_text(HEADER + f"c1,,{AD},\nc1,NaT,{AD},\nc1,2026-01-01T10:00:00Z,,\nc2,2026-01-01T10:00:00Z,NULL,\n"
                    f"c2,2026-01-01T10:05:00Z,{AD},\n")
    for engine in ("python", "duckdb"):
        assert [(p.span.line, p.span.col, p.message, p.hint) for p in read(engine, [path], facts).problems] == [
            (2, 4, "the timestamp is empty (and 1 more row: line 3; those rows are left out)",
             "every row needs the moment of its event: " + TIMESTAMP_HINT),
            (4, 25, "the touchpoint is empty (and 1 more row: line 5; those rows are left out)",
             "every row is a visit to a touchpoint: write the touchpoint's id (the journey's, or another for an ad hoc step)"),
        ], engine


def test_a_report_footer_after_the_last_row_is_told_with_the_line_that_keeps_the_rows(tmp_path: Path, facts: JourneyFacts) -> None:
    """Salesforce's report exports end with notes of one cell each ('Confidential Information - Do Not
    Distribute'): they were "this row has 1 cells but the header has 4 columns", with a hint about commas in
    double quotes. One-cell rows with rows after them, and a row cut short at the end, keep the row-shape words."""
    paths = case_paths("report-footer", tmp_path)
    for engine in ("python", "duckdb"):
        tables = read(engine, paths, facts)
        assert tables.customers == 1, engine
        assert [(p.span.line, p.span.col, p.level, p.code, p.message, p.hint) for p in tables.problems] == [
            (6, 1, "error", "row-shape", "the 6 lines after the last row are not rows but text ('Acme Corp'), as a report's footer is"
             " (they are left out)", "head -n 3 FILE > NEW keeps the header and the rows (Salesforce's and other report exports"
             " end with such notes; export the report's details only, or delete them)")], engine
    rows = f"c1,2026-01-01T10:00:00Z,{AD},\n"
    for text, said in ((HEADER + rows + "Acme Corp\n" + rows, "this row has 1 cell but the header has 4 columns"),
                       (HEADER + rows + "c2,2026-01\n", "this row has 2 cells but the header has 4 columns"),
                       (HEADER + "Acme Corp\n", "this row has 1 cell but the header has 4 columns")):
        (tmp_path / "other.csv").write_text(text)
        for engine in ("python", "duckdb"):
            told = [(p.code, p.message) for p in read(engine, [tmp_path / "other.csv"], facts).problems if p.code == "row-shape"]
            assert told == [("row-shape", said + " (the row is left out)")], (engine, text)


def test_what_a_folder_or_a_glob_cannot_read_is_told_and_a_folder_a_glob_matches_is_read(
    tmp_path: Path, facts: JourneyFacts, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A FIFO, a link to a device, a symlink loop and a folder that cannot be listed were left out of a folder
    in silence, and a glob matching partition folders ('logs/dt=2026-10-0*') said 'no file matches'."""
    import os

    from journeymap.data.engines.sources import resolve

    logs = tmp_path / "logs"
    for day, customer in (("dt=2026-10-01", "c1"), ("dt=2026-10-02", "c2"), ("dt=2026-10-03", "c3")):
        (logs / day).mkdir(parents=True)
        (logs / day / "part.csv").write_text(HEADER + f"{customer},2026-10-01T10:00:00Z,{AD},\n")
    os.mkfifo(logs / "pipe.csv")
    (logs / "null.csv").symlink_to("/dev/null")
    (logs / "loop.csv").symlink_to("loop.csv")
    locked = logs / "dt=2026-10-03"
    scandir = os.scandir

    def refuse(path):  # as a folder of another user's, without read permission, refuses (tests may run as root)
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied")
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    told = {(Path(p.span.file).name, p.message) for p in resolve([logs]).problems}
    assert told == {
        ("dt=2026-10-03", "cannot read the folder: Permission denied: not read"),
        ("pipe.csv", "not a regular file (a FIFO, a device or a socket): not read"),
        ("null.csv", "not a regular file (a FIFO, a device or a socket): not read"),
        ("loop.csv", "a symbolic link to 'loop.csv', which leads round in a loop: not read"),
    }
    monkeypatch.setattr(os, "scandir", scandir)
    days = resolve([Path(f"{logs}/dt=2026-10-0[12]")])
    assert sorted(f.parent.name for f in days.files["csv"]) == ["dt=2026-10-01", "dt=2026-10-02"] and not days.problems
    assert read("duckdb", [Path(f"{logs}/dt=2026-10-0*")], facts).customers == 3


def test_outcome_cells_of_several_kinds_are_all_named_with_what_the_usual_words_mean(tmp_path: Path, facts: JourneyFacts) -> None:
    """A CRM export's 'converted' and 'abandoned' were told as "outcome 'converted' ... (and 1 more
    row: line 3)", as if line 3 said 'converted' too; the hint did not say what such words mean."""
    log = tmp_path / "crm.csv"
    log.write_text("customer,timestamp,touchpoint,outcome\n"
                   f"c1,2026-09-01T10:00:00Z,{AD},converted\nc2,2026-09-01T10:00:00Z,{AD},Abandoned\n"
                   f"c3,2026-09-01T10:00:00Z,{AD},converted\nc4,2026-09-01T10:00:00Z,{AD},\x1b[31mpending\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        (problem,) = read(engine, [log], facts).problems
        assert (problem.span.line, problem.code) == (2, "invalid-outcome")
        assert problem.message == ("outcomes 'converted', 'Abandoned' and '\\x1b[31mpending' are neither success nor failure"
                                   " (and 3 more rows: lines 3, 4, 5; those rows are left out)")
        assert problem.hint == ("leave the outcome empty, or write success or failure;"
                                " if your log means them so: 'converted' → success, 'Abandoned' → failure")
    log.write_text(f"customer,timestamp,touchpoint,outcome\nc1,2026-09-01T10:00:00Z,{AD},pending\n", encoding="utf-8")
    (problem,) = read("duckdb", [log], facts).problems
    assert problem.hint == "leave the outcome empty, or write success or failure"


def test_a_comma_before_the_fraction_of_a_second_is_read_as_iso_8601_allows(tmp_path: Path, facts: JourneyFacts) -> None:
    """Python's logging writes '2026-09-01 10:00:00,123': every row of such a log was a bad row."""
    for engine in ("python", "duckdb"):
        tables = read(engine, case_paths("comma-fractions", tmp_path), facts)
        assert [(p.code, p.span.line, p.span.col) for p in tables.problems] == [("invalid-timestamp", 6, 4), ("no-zone", 2, 4)], engine
        assert "(and 1 more row: line 7;" in tables.problems[0].message
        assert tables.customers == 2 and [(f.source, f.target, f.count) for f in tables.flows] == [(AD, POSTCODE, 2)]
        # c1: 120.5 s; c2: 10:00:00.5Z to 10:02:00.25Z, 119.75 s
        assert (tables.flows[0].median_seconds, tables.flows[0].p90_seconds) == (pytest.approx(119.75), pytest.approx(120.5))


def _zone_known(zone: str) -> bool:
    from zoneinfo import ZoneInfo

    try:
        ZoneInfo(zone)
    except (KeyError, OSError, ValueError):
        return False
    return True


@pytest.mark.parametrize(("written", "hint"), [
    ("09/01/2026 10:00", "'09/01/2026 10:00' is day first (2026-01-09T10:00:00) or month first (2026-09-01T10:00:00),"
                         " as the export's locale wrote it: write the dates as year-month-day"),
    ("25/09/2026", "'25/09/2026' reads only as 2026-09-25: write it so"),
    # a date with dots is day first whatever time follows it (Excel's German 'TT.MM.JJJJ hh:mm AM/PM')
    ("05.01.2026 9:14 PM", "'05.01.2026 9:14 PM' reads only as 2026-01-05T21:14:00: write it so"),
    ("2026/9/1 7:05:03 +02:00", "write the date with dashes: 2026-09-01T07:05:03+02:00"),
    ("20260901T100000Z", "write ISO 8601's extended form: 2026-09-01T10:00:00Z"),
    ("Sep 1, 2026 10:05", "write the month as a number: 2026-09-01T10:05:00"),
    ("2026-09-01T10:00:00+02:00[Europe/Paris]", "write it without the zone's name (its offset says the moment): 2026-09-01T10:00:00+02:00"),
    # each was told only the general hint: Go's time.String(), .NET's and PowerShell's Export-Csv (12-hour clock),
    # SQL Server's default, e-mail's and HTTP's dates, JavaScript's and Java's Date.toString(), a zone's abbreviation
    ("2026-09-01 10:00:00.123456789 +0000 UTC m=+0.001", "write it without the zone's name (its offset says the moment): 2026-09-01 10:00:00.123456789 +0000"),
    ("9/14/2026 8:31:00 PM", "'9/14/2026 8:31:00 PM' reads only as 2026-09-14T20:31:00: write it so"),
    ("2026-09-14 12:31:00 AM", "write the time on a 24-hour clock: 2026-09-14T00:31:00"),
    ("Sep 14 2026  8:31AM", "write the month as a number: 2026-09-14T08:31:00"),
    ("Mon, 14 Sep 2026 08:31:00 GMT", "write it as 2026-09-14T08:31:00Z"),
    ("Mon Sep 14 2026 08:31:00 GMT+0200 (Central European Summer Time)", "write it as 2026-09-14T08:31:00+02:00"),
    ("Mon Sep 14 08:31:00 UTC 2026", "write it as 2026-09-14T08:31:00Z"),
    ("2026-09-14T08:31:00.000 GMT", "write the zone as Z, right after the time: 2026-09-14T08:31:00.000Z"),
    ("2026-09-14 08:31:00 CEST", "write the zone as an offset from UTC, right after the time ('CEST' names none journeymap reads): 2026-09-14 08:31:00+HH:MM"),
    # a count with Excel's thousands separators, a zone's IANA name after the time: each was told only the general hint
    ("1,767,261,600", "write the number without thousands separators: 1767261600"),
    ("1.767.261.600.000", "write the number without thousands separators: 1767261600000"),
    pytest.param("2026-09-14 08:31:00 Europe/Berlin", "write the zone as its offset from UTC then, right after the time: 2026-09-14T08:31:00+02:00",
                 marks=pytest.mark.skipif(not _zone_known("Europe/Berlin"), reason="no time-zone database")),
    # Excel's yyyy-m-d h:mm: each was told only the general hint
    ("2026-09-14 8:31", "write each part with two digits: 2026-09-14T08:31:00"),
    ("2026-9-4", "write each part with two digits: 2026-09-04"),
    # Oracle's default NLS formats (SQL Developer's CSV export), Excel's d-mmm-yyyy and m/d/yy, Kibana's, DB2's
    ("10-SEP-26 03.51.00.000000 PM", "write the month as a number and the year whole: 2026-09-10T15:51:00.000000"),
    ("10-Sep-2026 15:51", "write the month as a number: 2026-09-10T15:51:00"),
    ("10-Sep-2026", "write the month as a number: 2026-09-10"),
    ("9/29/26 3:05 PM", "write the year whole (is '26' 2026?); '9/29/2026 3:05 PM' reads only as 2026-09-29T15:05:00: write it so"),
    ("10/09/26", "write the year whole (is '26' 2026?); '10/09/2026' is day first (2026-09-10) or month first (2026-10-09),"
                 " as the export's locale wrote it: write the dates as year-month-day"),
    ("Sep 10, 2026 @ 15:51:00.123", "write it as 2026-09-10T15:51:00.123 (Kibana's date format: set its dateFormat to ISO 8601"
                                    " before exporting)"),
    ("2026-09-10-15.51.00.000000", "write it as 2026-09-10T15:51:00.000000 (DB2's form has dots and a dash in the time)"),
    # a web server's access-log time (Apache's and nginx's $time_local), and ISO 8601's end of a day, 24:00, which
    # PostgreSQL writes: each was told only the general hint
    ("14/Sep/2026:08:31:00 +0200", "write it as 2026-09-14T08:31:00+02:00 (a web server's access-log time)"),
    ("[14/Sep/2026:08:31:00 +0000]", "write it as 2026-09-14T08:31:00+00:00 (a web server's access-log time)"),
    ("2026-09-14T24:00:00Z", "24:00 is the end of 2026-09-14, the start of the next day: write 2026-09-15T00:00:00Z"),
    ("2026-12-31 24:00", "24:00 is the end of 2026-12-31, the start of the next day: write 2027-01-01T00:00:00"),
    # a day its month has not, in another form: it was told to be written so ('write the month as a number: 2026-04-31')
    ("Apr 31, 2026 10:05", "there is no day 31 in 2026-04: it has days 01 to 30"),
    ("2026/2/30 7:05:03 +02:00", "there is no day 30 in 2026-02: it has days 01 to 28"),
])
def test_a_timestamp_in_a_common_other_form_is_told_its_iso_8601_form(
        written: str, hint: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """Excel's and other locales' dates were told only the general ISO 8601 hint; a date that reads two
    ways is told both, never guessed."""
    log = tmp_path / "log.csv"
    log.write_text(f'customer,timestamp,touchpoint\nc1,"{written}",{AD}\n', encoding="utf-8")
    for engine in ("python", "duckdb"):
        (problem,) = read(engine, [log], facts).problems
        assert problem.code == "invalid-timestamp" and problem.hint == f"{hint} (ISO 8601, with Z or a UTC offset; no zone means UTC)"
    log.write_text(f"customer,timestamp,touchpoint\nc1,yesterday,{AD}\n", encoding="utf-8")
    (problem,) = read("duckdb", [log], facts).problems
    assert problem.hint is not None and problem.hint.startswith("write ISO 8601 as YYYY-MM-DDTHH:MM:SS")


def test_dates_with_dots_are_read_day_first_as_in_survey_files(tmp_path: Path, facts: JourneyFacts) -> None:
    """A German, Swiss, Russian or Polish export writes 05.01.2026 09:14: it was told 'day first or month first',
    every row left out, though no locale writes month.day.year with dots; survey files read it day first. The same
    rules on every engine: impossible dates and times are bad rows, told why."""
    paths = case_paths("dotted-dates", tmp_path)
    found = {}
    for engine in ("python", "duckdb"):
        tables = read(engine, paths, facts)
        found[engine] = tables
        assert (tables.rows, tables.customers) == (14, 5), engine
        assert [(f.source, f.target, f.count, f.median_seconds) for f in tables.flows if f.count] == [(AD, POSTCODE, 1, 360.0)]
        assert sorted((c.day, c.customers) for c in tables.cohorts) == [(20458, 4), (20458 + 9, 1)]  # 2026-01-05, 2026-01-14
        (problem,) = tables.problems
        assert (problem.span.line, problem.span.col, problem.code) == (4, 4, "invalid-timestamp")
        assert problem.message == ("'31.02.2026' is not a timestamp (and 7 more rows: lines 5, 6, 8, 9, ...; those rows are"
                                   " left out)")
        assert problem.hint == "a date with dots is day.month.year, and 2026-02 has no day 31"
    assert found["python"].comparable() == found["duckdb"].comparable()


@pytest.mark.parametrize(("written", "hint"), [
    ("05.13.2026", "a date with dots is day.month.year, and there is no month 13: if '05.13.2026' is month first, it is"
                   " 2026-05-13; write the dates as year-month-day"),
    ("05.01.95", "write the year whole (is '95' 1995 or 2095?): a date with dots is day.month.year, and a two-digit year is"
                 " read from 00 to 29 only (2000 to 2029)"),
    ("05.01.2026 25:00", "'05.01.2026' is 2026-01-05 (a date with dots is day.month.year), but '25:00' is no time of day"),
    ("05.01.2026 24:00", "'05.01.2026' is 2026-01-05 (a date with dots is day.month.year), but '24:00' is no time of day"),
    ("05.01.2026 09:14:00+01:00", "write it as 2026-01-05T09:14:00+01:00 (a date with dots is day.month.year; its time is"
                                  " read so only without a zone)"),
])
def test_a_date_with_dots_that_names_no_moment_is_told_why(written: str, hint: str, tmp_path: Path, facts: JourneyFacts) -> None:
    log = tmp_path / "log.csv"
    log.write_text(f"customer,timestamp,touchpoint\nc1,{written},{AD}\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        (problem,) = read(engine, [log], facts).problems
        assert (problem.code, problem.hint) == ("invalid-timestamp", hint), engine


@pytest.mark.parametrize(("written", "hint"), [
    ("2016-12-31T23:59:60Z", "23:59:60 is a leap second, which seconds since 1970 do not count: write 23:59:59"),
    ("2026-02-29 10:00 UTC", "there is no day 29 in 2026-02: it has days 01 to 28"),
    ("2026-13-01T10:00:00Z", "there is no month 13: months are 01 to 12 (is it year-day-month? Write it year-month-day)"),
    ("2026-09-14T10:61", "minutes and seconds are 00 to 59"),
])
def test_a_timestamp_in_iso_8601s_form_that_names_no_moment_is_told_why(
        written: str, hint: str, tmp_path: Path, facts: JourneyFacts) -> None:
    """Its hint was the value itself: 'write the zone as Z, right after the time: 2016-12-31T23:59:60Z' of a leap second."""
    log = tmp_path / "log.csv"
    log.write_text(f"customer,timestamp,touchpoint\nc1,{written},{AD}\n", encoding="utf-8")
    for engine in ("python", "duckdb"):
        (problem,) = read(engine, [log], facts).problems
        assert (problem.code, problem.hint) == ("invalid-timestamp", hint), engine


def test_a_zstd_or_zip_file_in_a_folder_is_left_out_with_how_to_have_it_read(tmp_path: Path, facts: JourneyFacts) -> None:
    """A day's log.csv.zst beside the gzipped ones was told to be given by name, where it is refused too."""
    import gzip

    folder = tmp_path / "logs"
    folder.mkdir()
    with gzip.open(folder / "a.csv.gz", "wt", encoding="utf-8") as out:
        out.write(f"customer,timestamp,touchpoint\nc1,2026-01-01T10:00:00Z,{AD}\n")
    (folder / "b.csv.zst").write_bytes(b"\x28\xb5\x2f\xfd" + b"\x00" * 16)
    (folder / "c.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 16)
    for engine in ("python", "duckdb"):
        tables = read(engine, [folder], facts)
        assert tables.customers == 1
        assert sorted((Path(p.span.file).name, p.level, p.message, p.hint) for p in tables.problems) == [
            ("b.csv.zst", "warning", "left out of the folder: it is zstd-compressed, which is not read",
             "decompress it, or gzip it instead: a .csv.gz or .jsonl.gz in the folder is read"),
            ("c.zip", "warning", "left out of the folder: it is a zip archive, which is not read",
             "decompress it, or gzip it instead: a .csv.gz or .jsonl.gz in the folder is read"),
        ], engine


def test_spark_skips_segments_calls_as_duckdb_does(tmp_path: Path, facts: JourneyFacts, spark: object) -> None:
    """Segment's identify, page and screen calls are no events on Spark too, nor a tool's own $identify events: the
    same rows, problems and figures."""
    import json

    log = tmp_path / "segment.jsonl"
    log.write_text("".join(json.dumps(row) + "\n" for row in [
        {"type": "identify", "anonymousId": "a1", "timestamp": "2026-01-01T09:59:00Z", "traits": {"plan": "pro"}},
        {"type": "page", "anonymousId": "a1", "name": "Home", "timestamp": "2026-01-01T09:59:30Z"},
        {"type": "track", "event": AD, "anonymousId": "a1", "timestamp": "2026-01-01T10:00:00Z"},
        {"type": "track", "event": "$identify", "anonymousId": "a1", "timestamp": "2026-01-01T10:02:00Z"},
        {"type": "track", "event": POSTCODE, "anonymousId": "a1", "timestamp": "2026-01-01T10:05:00Z"}]))
    tables = spark_reads_as_duckdb([log], facts, EngineOptions(columns=(("customer", "anonymousId"), ("touchpoint", "event"))))
    assert (tables.rows, tables.customers) == (2, 1)
    assert [p.code for p in tables.problems if p.code in ("skipped-call", "tool-event")] == ["skipped-call", "tool-event"]

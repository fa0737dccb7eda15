"""Reading a data table (CSV, or Parquet when pyarrow is installed) into rows with positions.

Every cell keeps the place it came from: the CSV line of its row and the
character column where the cell starts, so that a problem with a value points
at it (``metrics.csv:12:18``). Reading never raises for a bad file; it returns
problems.
"""

from __future__ import annotations

import csv
import difflib
import gc
import io
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..files import read_bytes
from ..problems import Problem, Span, did_you_mean
from .engines.rows import (
    SEGMENT_NAMES,
    column_key,
    is_replaced,
    named_columns,
    named_said,
    optional_named_missing,
    replaced_name,
    replaced_warning,
    squeezed,
    unnamed_columns,
)
from .engines.rows import shown as _shown

if TYPE_CHECKING:
    from .engines.locate import Padding

PARQUET_SUFFIXES = (".parquet", ".pq")


@dataclass
class Row:
    """One data row: its cells by column name, and where each cell starts."""

    file: str
    line: int
    cells: dict[str, str]
    columns: dict[str, int] = field(default_factory=dict)
    # The raw line and where each known column sits in it: cell columns are worked out
    # only when a problem needs one (a million good rows need none).
    _text: str | None = field(default=None, repr=False, compare=False)
    _delimiter: str = field(default=",", repr=False, compare=False)
    _index: dict[str, int] | None = field(default=None, repr=False, compare=False)
    # Lines after ``line`` where a cell starts, for a row that spans lines (none: 0).
    offsets: dict[str, int] = field(default_factory=dict, compare=False)

    def get(self, column: str) -> str:
        return self.cells.get(column, "")

    def span(self, column: str | None = None) -> Span:
        """The place of a cell (or of the row, at column 1)."""
        if column and column not in self.columns and self._text is not None and self._index is not None:
            places = cell_places(self._text, self._delimiter)
            self.columns = {name: places[i][1] if i < len(places) else 1 for name, i in self._index.items()}
            self.offsets = {name: places[i][0] for name, i in self._index.items() if i < len(places) and places[i][0]}
            self._text = None
        if not column:
            return Span(self.file, self.line, 1)
        return Span(self.file, self.line + self.offsets.get(column, 0), self.columns.get(column, 1))


class Table:
    """A read table: its file, its normalised header, and its rows (made on first use)."""

    def __init__(
        self,
        file: str,
        header: list[str],
        records: list[tuple[int, list[str], list[int] | str]],
        index: dict[str, int],
        delimiter: str = ",",
    ) -> None:
        self.file = file
        self.header = header
        self.records = records
        """``(line, cells, cell columns or the raw line)`` of each row, checked for shape."""
        self.index = index
        """Column name -> its position in ``cells``, for the columns journeymap reads."""
        self.delimiter = delimiter
        self._rows: list[Row] | None = None

    def row(self, record: tuple[int, list[str], list[int] | str]) -> Row:
        """The :class:`Row` of one record (cells stripped, positions worked out on demand)."""
        line, cells, where_cells = record
        count = len(cells)
        by_name = {column: cells[i].strip() if i < count else "" for column, i in self.index.items()}
        if isinstance(where_cells, str):
            return Row(self.file, line, by_name, {}, where_cells, self.delimiter, self.index)
        where = {column: where_cells[i] if i < len(where_cells) else 1 for column, i in self.index.items()}
        return Row(self.file, line, by_name, where)

    @property
    def rows(self) -> list[Row]:
        if self._rows is None:
            self._rows = [self.row(record) for record in self.records]
        return self._rows


def read_table(
    path: str | Path,
    required: Sequence[str],
    optional: Sequence[str] = (),
    *,
    name: str | None = None,
    kind: str = "data",
    whole: Callable[[Mapping[str, str], str], bool] | None = None,
) -> tuple[Table | None, list[Problem]]:
    """Read a table whose columns must include ``required`` and may include ``optional``.

    Column names are matched case-insensitively and without surrounding
    spaces; unknown columns are a warning (they are ignored). ``kind`` names
    the table in messages ("metrics table"). ``whole``: whether a short last row's last cell
    (its cells by column, and that cell's column) is a whole value, so that the row is no file cut short.
    """
    path = Path(path)
    name = name or _display(path)
    delimiter = ","
    with bulk():
        if path.suffix.lower() in PARQUET_SUFFIXES:
            records, problems = _read_parquet(path, name)
        else:
            records, problems, delimiter = _read_csv(path, name, whole, kind)
    if records is None:
        if problems and problems[0].code == "parquet" and (header := _parquet_header(path)) is not None:
            # Without pyarrow, a header DuckDB reads (and found wrong: its engine gave the file to this reader)
            # is told as a CSV file's is: its 'Rating' column was "reading Parquet needs pyarrow: use --engine
            # duckdb", DuckDB being the engine
            known = list(required) + list(optional)
            told = _check_header(name, 1, [column_key(h) for h in header], required, known, kind, header)
            if any(p.is_error for p in told):
                return None, told
        return None, problems
    header_line, header, rows, header_text = records
    known = list(required) + list(optional)
    normalised = [column_key(h) for h in header]
    # the rows' own problems (a quote never closed, bytes that are not UTF-8) leave the others to read
    header_problems = _check_header(name, header_line, normalised, required, known, kind, header,
                                    cell_places(header_text, delimiter) if header_text is not None else ())
    if header_text is not None and any(p.code == "missing-column" and "separator line" not in p.message for p in header_problems) and (
            below := _header_below(name, header_line, header_text, rows[:_TITLE_LINES], required, known, kind)) is not None:
        return None, [*problems, below]
    if kind == "responses table" and len(rows) >= 2 and any(p.code == "missing-column" for p in header_problems):
        header_problems = [_qualtrics_questions(p, header, normalised, rows[0][1], rows[1][1], required)
                           if p.code == "missing-column" else p for p in header_problems]
    if kind == "responses table" and any(p.code == "missing-column" and _ONE_SURVEY in (p.hint or "") for p in header_problems):
        header_problems = _one_survey_statement(header_problems, header, normalised, [cells for _line, cells, _at in rows],
                                                known)
    if any(p.code == "missing-column" and "all_varchar=true)" in (p.hint or "") for p in header_problems):
        header_problems = _reads_as_written(path, header_line, header_problems)
    if rows and markdown_table(delimiter, header, rows[0][1]):
        # a table copied from a wiki or a chat: its line of dashes was an answer of touchpoint '---', and the '|' at the
        # lines' ends two columns without a name, told with it
        header_problems = [p for p in header_problems if not (p.code == "unknown-column" and p.message.startswith(
            f"2 columns of the header have no name (columns 1, {len(header)})"))]
        header_problems.append(Problem(
            Span(name, rows[0][0], 1), "markdown-table",
            "the file is a Markdown table (as a wiki, a chat or a README writes one): its line of dashes under the header is"
            " no row, and is skipped, and the '|' at each line's ends make two columns without a name",
            f"nothing is lost; to write it as CSV: sed -e {rows[0][0]}d -e 's/^ *| *//' -e 's/ *| *$//' -e 's/ *| */,/g' FILE > NEW.csv"
            " (a cell holding a comma needs quotes then)", level="warning"))
        rows = rows[1:]
    problems += header_problems
    if any(p.is_error for p in header_problems):
        return None, problems
    table_rows: list[tuple[int, list[str], list[int] | str]] = []
    index = {column: i for i, column in enumerate(normalised) if column in known}
    width = len(normalised)
    short: list[int] = []  # lines of rows with fewer cells than the header
    # the header's columns to its last name: separators after it ('score,,,', a sheet's formatted empty columns) name
    # nothing a row need hold (told once, unknown-column)
    named = width
    while named and not header[named - 1].strip():
        named -= 1
    for line, cells, where_cells in rows:
        if not "".join(cells).strip():
            continue  # a line of blanks
        if len(cells) > width and not any(cells[width:]):
            cells = cells[:width]  # empty cells past the last column hold nothing (DuckDB drops them too)
        if len(cells) > width:
            places = cell_places(where_cells, delimiter) if isinstance(where_cells, str) else [(0, c) for c in where_cells]
            offset, column = places[width] if len(places) > width else (0, 1)
            said = _DELIMITER_NAMES.get(delimiter, repr(delimiter))
            hint = f"a cell holding {said} must be in double quotes"
            text = where_cells if isinstance(where_cells, str) else ""
            spaced = re.search(re.escape(delimiter) + r'[ \t]+"[^"]*"', text)
            if spaced is not None and delimiter in spaced.group().lstrip(delimiter):
                # ', "fine, really"': quoted, after a space, which makes its quotes part of the text
                quote = spaced.start() + spaced.group().index('"')
                offset = text.count("\n", 0, quote)
                column = quote - (text.rfind("\n", 0, quote) + 1) + 1
                hint = (f"a quote after a space begins no quoted cell ('{_shown(spaced.group())}'): write it right after"
                        f" the {said.removeprefix('a ')}, with no space before it")
            problems.append(
                Problem(
                    Span(name, line + offset, column),
                    "row-shape",
                    f"this row has {len(cells)} cells but the header has {len(normalised)} columns",
                    hint,
                )
            )
            continue
        if len(cells) < named and (len(cells) > 1 or cells[0].strip("\x00")):  # read with the missing cells empty, and said
            short.append(line)  # once below; a line of NULs alone is told for what it is
        table_rows.append((line, cells, where_cells))
    if short:
        lines = ", ".join(str(n) for n in short[:5]) + (f" and {len(short) - 5:,} more" if len(short) > 5 else "")
        problems.append(Problem(
            Span(name, short[0], 1), "short-row",
            f"{'a row has' if len(short) == 1 else f'{len(short):,} rows have'} fewer cells than the header's"
            f" {width} columns (line{'s' * (len(short) > 1)} {lines}): the missing cells are read as empty",
            "a line break inside a cell (a comment) must be in double quotes; a row that ends early is missing its last cells",
            level="warning",
        ))
    if not table_rows and not any("".join(cells).strip() for _line, cells, _where in rows):  # not rows all told as errors
        problems.append(Problem(Span(name, header_line, 1), "no-rows", f"the {kind} has a header but no rows", level="warning"))
    return Table(name, normalised, table_rows, index, delimiter), problems


_MARKDOWN_RULE = re.compile(r"\s*:?-{2,}:?\s*")


def markdown_table(delimiter: str, header: Sequence[str], first: Sequence[str]) -> bool:
    """Whether a table is a Markdown table (``| a | b |`` over ``|---|---|``): separated by pipes, its header's first and
    last cells empty (the '|' at the line's ends) and its first row's other cells dashes, as Markdown's rule writes them."""
    return (delimiter == "|" and len(header) >= 3 and not header[0].strip() and not header[-1].strip()
            and len(first) == len(header) and not first[0].strip() and not first[-1].strip()
            and all(_MARKDOWN_RULE.fullmatch(cell) for cell in first[1:-1]))


_TITLE_LINES = 20
"""The rows looked through below a first line that is no header for the header (a report's title and notes above it)."""


def _header_below(name: str, first: int, title: str, rows: Sequence[tuple[int, list[str], list[int] | str]],
                  required: Sequence[str], known: Sequence[str], kind: str) -> Problem | None:
    """The one error for a table whose header is below a report's title or notes ('CSAT by touchpoint', 'Generated
    2026-01-05', Google Analytics' '# Start date: 20260101'), where the first line was taken for the header: it was told
    "rename 'CSAT by touchpoint' to 'touchpoint'; the header must also name the columns metric, value"."""
    import csv

    for line, cells, where in rows:
        if isinstance(where, str):  # the raw line: split by its own delimiter (the title's may be another)
            # a row's raw text holds each of its lines (a quoted comment of two lines): read as one line, it was an
            # internal error
            text = where.rstrip("\r\n")
            cells = next(csv.reader(io.StringIO(text), delimiter=_delimiter(text)), [])
        if len(cells) < len(required):
            continue
        told = _check_header(name, line, [column_key(c) for c in cells], required, known, kind, cells)
        lines = f"line {first}" if line == first + 1 else f"lines {first}-{line - 1}"
        if any(p.is_error for p in told):
            if line == first + 1 and (names := _names_row(cells, required, known)):
                # Medallia's export: the questions' texts, then a row of their short names ('LTR', 'LTR Comment'); the
                # short names were never looked at, and the texts were told to be renamed
                missing = next(p for p in told if p.is_error)
                return Problem(
                    Span(name, first, 1), "missing-column",
                    f"the header is line {line}, not line {first}: line {first} above it ('{_shown(title.strip())}') holds"
                    f" the questions' texts, and line {line} their names ({names}); the file is not read",
                    f"delete line {first}: sed {first}d FILE > NEW.csv; then, for its names: {missing.hint}",
                )
            continue
        return Problem(
            Span(name, first, 1), "missing-column",
            f"the header is line {line}, not line {first}: {lines} above it ('{_shown(title.strip())}')"
            f" {'holds' if line == first + 1 else 'hold'} a report's title or notes, not the names of the columns; the file is not read",
            f"delete the lines above the header: tail -n +{line} FILE > NEW keeps the lines from the header on",
        )
    return None


def _names_row(cells: Sequence[str], required: Sequence[str], known: Sequence[str]) -> str | None:
    """The row's cells, quoted, when they are a header of names under a line of question texts: every cell a name
    (no number, no sentence: a short name, journeymap's or a survey tool's) and the required columns all named,
    some in a survey tool's words ('LTR' for the score); else None."""
    written = [c.strip() for c in cells if c.strip()]
    if not written or any(len(c) > 40 or c.endswith("?") or _NUMBER_CELL.fullmatch(c) for c in written):
        return None
    names = {column_key(c) if column_key(c) in known else _survey_name(c) for c in written}
    if not set(required) <= names:
        return None
    return ", ".join(f"'{_shown(c)}'" for c in written[:8]) + (f" and {len(written) - 8} more" if len(written) > 8 else "")


_NUMBER_CELL = re.compile(r"[-+]?[0-9][0-9.,]*")


def _read_by_option(
    header: Sequence[str], known: Sequence[str], seen: Mapping[str, int], missing: Sequence[str], option: str | None
) -> list[tuple[str, str]]:
    """(journeymap's column, the header's column) for the columns the header names in a survey tool's words
    ('Created At', 'Kommentar') for an optional column it lacks, the first such column for each: the missing-column
    error's command line reads them too, with ``option``."""
    if not option:
        return []
    found: dict[str, str] = {}  # the first of two candidates ('Created', 'Submitted At'): the other keeps its warning
    for column in dict.fromkeys(header):
        if column and column not in known and not is_replaced(column):
            meant = _survey_name_beside(column, header)
            if (meant is not None and meant in known and meant not in seen and meant not in missing
                    and not _segment_taken(meant, seen)):
                found.setdefault(meant, column)
    return [(meant, column) for meant, column in found.items()]


def _segment_taken(meant: str | None, seen: Container[str]) -> bool:
    """Whether ``meant``, journeymap's column a header cell names in a tool's words, is the persona (or segment) and the
    header already has one of the two: 'Customer type' beside 'Segment' is a second persona column, and reading it as
    the persona with an option would replace the one the file has."""
    return meant in ("persona", "segment") and ("persona" in seen or "segment" in seen)


def _display(path: Path) -> str:
    from ..loader import display_name
    from .encoding import original_name
    from .workbooks import copy_name

    # a sheet's CSV copy, or a UTF-8 copy read in a file's place: the file's name
    return copy_name(path) or display_name(original_name(Path(path)) or path)


def _check_header(
    name: str, line: int, header: list[str], required: Sequence[str], known: Sequence[str], kind: str,
    written: Sequence[str] | None = None, places: Sequence[tuple[int, int]] = (),
) -> list[Problem]:
    """The problems of a header whose names are read (:func:`~.engines.rows.column_key`): with
    columns named by an option (``--responses-column``), a named column the file lacks and a
    column the option replaces are said in the option's words."""
    from .engines.rows import excel_separator_line, header_cell

    if (excel := excel_separator_line(name, line, written if written is not None else header)) is not None:
        return [excel]
    named = named_columns()
    problems = []
    seen: dict[str, int] = {}
    # the header as the file writes it (``written``, else as read), for messages
    as_header = ", ".join(_shown(c.strip().lstrip("\ufeff")) for c in written) if written is not None else None
    written_as = dict(zip(header, (c.strip().lstrip("\ufeff") for c in written), strict=True)) if written is not None else {}
    replaced: list[tuple[str, str | None]] = []  # columns called by one of journeymap's names that the option replaces (as written)
    for index, column in enumerate(header):
        if is_replaced(column):
            replaced.append((replaced_name(column), written_as.get(column)))
            continue
        if column in seen and column and column not in known:  # a column not read, twice: neither is read
            problems.append(
                Problem(header_cell(name, line, places, index), "duplicate-column",
                        f"column '{_shown(written_as.get(column, column))}' appears twice in the header; it is not one"
                        " journeymap reads, so neither is read",
                        "two questions of a form with one title (Google Forms, Excel) are two columns of one name: name"
                        " them apart to read one with an option", level="warning")
            )
        elif column in seen and column:  # columns without a name are told once, below
            problems.append(
                Problem(header_cell(name, line, places, index), "duplicate-column",
                        f"column '{_shown(written_as.get(column, column))}' appears twice in the header",
                        "which of the two to read cannot be told: rename the other one, or leave it out")
            )
        seen.setdefault(column, index)
    if (unnamed := unnamed_columns(name, line, header)) is not None:
        problems.append(unnamed)
    if kind == "responses table" and "score" in seen and written_as.get("score", "").upper().endswith("_NPS_GROUP"):
        # Qualtrics' group of an NPS answer, 1 detractor, 2 passive, 3 promoter, beside the answer: read as the score,
        # every answer was a detractor, NPS -100 without a word
        group = written_as["score"]
        answers = group[: -len("_NPS_GROUP")]
        from .engines.rows import column_option

        problems.append(Problem(
            header_cell(name, line, places, seen["score"]), "nps-group",
            f"column '{_shown(group)}' holds Qualtrics' NPS groups (1 detractor, 2 passive, 3 promoter), not the answers"
            " 0..10: read as scores, every answer is a detractor; the file is not read",
            f"read the answers' column: {column_option('score', answers)}" if answers in written_as.values()
            else "read the column of the answers 0..10 as the score"))
    missing = [c for c in required if c not in seen]
    if (kind == "responses table" and set(missing) == {"metric", "score"} and "comment" in seen and "touchpoint" in seen
            and not any(_answer_metric(written_as.get(c, c)) for c in header if c not in known)):
        # a file of comments alone (a helpdesk's or an app store's texts): each row holds only a comment; not when a
        # column holds a metric's answers ('NPS'), a wide survey export whose scores were ignored with a warning
        missing = []
    error_at: int | None = None  # the missing-column error's place in ``problems``: the file is not read
    if missing and any(c in named.by_name or c in named.by_file for c in missing):
        said = ", ".join(named_said(c) for c in missing)
        error_at = len(problems)
        from .engines.rows import column_option

        # the option's column missing where the file has journeymap's own (two exports, one with 'Rating'): the header
        # was told to name the columns it names
        own = [(c, shown_as or c) for c, shown_as in replaced if c in missing and c in named.by_name]
        problems.append(Problem(
            Span(name, line, 1), "missing-column",
            f"the {kind} has no column{'s' * (len(missing) > 1)} {said}"
            f" (its header: {as_header or ', '.join(_shown(c) for c in header if not is_replaced(c)) or 'empty'})",
            f"{column_option(own[0][0], named.as_named[own[0][0]])} names the column of every file given; this one calls it"
            f" '{_shown(own[0][1])}': rename it to '{_shown(named.as_named[own[0][0]])}' here, or"
            f" '{_shown(named.as_named[own[0][0]])}' to '{own[0][0]}' in the others and leave the option out" if own
            else f"the header must name the columns {', '.join(required)}",
        ))
        missing = []
    problems += optional_named_missing(name, line, kind, [c for c in known if c not in required], seen)
    first_written: dict[str, str | None] = {}
    for column, shown_as in replaced:
        first_written.setdefault(column, shown_as)
    problems += [replaced_warning(name, line, column, shown_as) for column, shown_as in first_written.items()]
    if missing:
        unknown = [c for c in header if c not in known and not is_replaced(c)]
        from .engines.rows import shell_quoted

        option = {"responses table": "--responses-column", "metrics table": "--metrics-column"}.get(kind)
        hints = []
        rest = []  # the missing columns no hint names
        read: list[tuple[str, str]] = []  # (missing column, the header's column for it) the option reads
        for c in missing:
            usual = [u for u in unknown if _survey_name(u) == c] if option else []
            if usual:  # a survey tool's own name for it ('Rating', 'Created At')
                column = written_as.get(usual[0], usual[0])
                read.append((c, column))
                hints.append(f"read it with {option} {shell_quoted(f'{c}={column}')}, or rename '{_shown(column)}' to '{c}'")
                continue
            rest.append(c)
            # a near name that is nearer another of journeymap's columns, or a tool's name for one, is not this one
            # ('Comentario', a comment, was "rename 'Comentario' to 'metric'")
            if (close := difflib.get_close_matches(c, unknown, n=1, cutoff=0.6)) and (
                    _survey_name(close[0]) not in (None, c) or (did_you_mean(close[0], known) or f"'{c}'").split("'")[1] != c):
                close = []
            if close:
                rest.pop()
                column = written_as.get(close[0], close[0])
                # the same name written otherwise ('Touch Point'): the option reads it as it is; a typo is renamed
                same = option and squeezed(close[0]) == squeezed(c)
                if same:
                    read.append((c, column))
                hints.append((f"read it with {option} {shell_quoted(f'{c}={column}')}, or " if same else "")
                             + f"rename '{_shown(column)}' to '{c}'")
        # with them, the columns the header names in a survey tool's words that are not missing ('Datum' beside
        # 'Bewertung'): one command line reads the whole file (they were a warning each, with an option of its own)
        read += [(meant, written_as.get(column, column)) for meant, column in _read_by_option(header, known, seen, missing, option)
                 if read]
        if len(read) > 1:  # one command line for all of them (a header in German: 'read it with' three times)
            singly = [f"read it with {option} {shell_quoted(f'{c}={column}')}, or rename '{_shown(column)}' to '{c}'"
                    for c, column in read]
            hints = [h for h in hints if h not in singly]
            options = " ".join(f"{option} {shell_quoted(c + '=' + column)}" for c, column in read)
            renames = ", ".join(f"'{_shown(column)}' to '{c}'" for c, column in read)
            hints.insert(0, f"read them with {options}, or rename {renames}")
        error_at = len(problems)
        problems.append(
            Problem(
                Span(name, line, 1),
                "missing-column",
                f"the {kind} has no column{'s' * (len(missing) > 1)} {', '.join(repr(c) for c in missing)}"
                f" (its header: {as_header or ', '.join(header) or 'empty'})",
                _wide_answers(name, kind, missing, unknown, written_as)
                or _grid(name, kind, missing, header, unknown, written_as)
                or "; ".join(hints + ([_one_survey(kind, rest, seen, unknown) or "the header must also name the column"
                                    + "s" * (len(rest) > 1) + " " + ", ".join(rest)] if rest and len(rest) < len(missing) else []))
                if hints else _wide_answers(name, kind, missing, unknown, written_as)
                or _other_kind(kind, missing, seen) or _wide(name, kind, missing, header, unknown, written_as)
                or _wide_metrics(name, kind, missing, unknown, written_as)
                or _one_survey(kind, missing, seen, unknown)
                or f"the header must name the columns {', '.join(known)}",
            )
        )
    if "persona" in seen and "segment" in seen and "segment" in known:
        problems.append(
            Problem(
                Span(name, line, 1),
                "unknown-column",
                "column 'segment' is ignored: the 'persona' column names each row's persona",
                "keep one of the two columns: both name the persona a row is for",
                level="warning",
            )
        )
    if "period" in seen and "date" in seen and "date" in known:
        # a row's period wins over its date, and --period buckets dates only: a file with both
        # columns (a date and the month it was filed under) was read by its periods without a word
        problems.append(
            Problem(
                Span(name, line, 1),
                "period-and-date",
                "column 'date' is read only where a row's 'period' is empty: a period written wins over a date,"
                " and --period buckets only the dates",
                "keep one of the two columns: to bucket the dates with --period, leave out the 'period' column",
                level="warning",
            )
        )
    from .engines.rows import ignored_columns

    # Columns journeymap does not read, as the header writes them: one warning for all (a survey
    # export has dozens), and one of its own for a column that looks like one of journeymap's.
    ignored: list[str] = []
    guessed: list[tuple[str, str]] = []  # (column as written, guess): a warning of its own, for a column like one of ours
    option = {"responses table": "--responses-column", "metrics table": "--metrics-column"}.get(kind)
    # each column's first header cell, as the header writes it: where its warning points
    cell = {written_as.get(c, c): header_cell(name, line, places, i) for i, c in reversed(list(enumerate(header)))}
    for column in dict.fromkeys(header):
        if column not in known and column and not is_replaced(column):
            as_written = written_as.get(column, column)
            beside = _time_of_day(as_written, [written_as.get(c, c) for c in header]) if option else None
            meant = _survey_name(column) or _lesser_date(column, header) if option and beside is None else None
            if beside is not None and "date" in known:
                # 'Submitted Time' beside 'Submitted Date': not the date ("it looks like the date column"), nor the
                # respondent ('Response Time': "did you mean 'respondent'?")
                guessed.append((as_written, f"it is a time, not the answers' date, which is the column '{_shown(beside)}':"
                                            " it is not read"))
            elif meant in known and meant not in seen and meant not in missing and not _segment_taken(meant, seen):
                # a survey tool's name for the answer's date ('Created At', 'Timestamp'): ignored in silence,
                # among a dozen other columns, the answers had no period and no trend
                from .engines.rows import shell_quoted

                as_written = written_as.get(column, column)
                guessed.append((as_written, f"it looks like the {meant} column: read it with"
                                            f" {option} {shell_quoted(f'{meant}={as_written}')}"))
            elif option and meant in ("persona", "segment") and "persona" in known and (
                    segment_read := next((c for c in ("persona", "segment") if c in seen), None)):
                # a second segment column beside the one read (a CRM's 'Customer type' beside 'Segment'): it was
                # "did you mean 'segment'?", a name that makes two, or one of the ignored columns
                from .engines.rows import shell_quoted

                as_written = written_as.get(column, column)
                guessed.append((as_written, f"it looks like a second persona column: each row's persona is read from the"
                                            f" '{_shown(written_as.get(segment_read, segment_read))}' column; keep one of the two, or read"
                                            f" this one instead with {option} {shell_quoted(f'persona={as_written}')}"))
            elif option and "date" in known and (hint := _changed_at_hint(column, header, seen, written_as, option)):
                guessed.append((written_as.get(column, column), hint))
            elif kind == "responses table" and "comment" in seen and _second_comment(column):
                # 'Comment 2', 'Comments' beside the comment column: "did you mean 'comment'?", which the file has
                guessed.append((written_as.get(column, column), _second_comment_hint(
                    name, written_as.get("comment", "comment"), written_as.get(column, column))))
            elif meant not in missing and (hint := _column_guess(column, known)):  # 'Response', the score the error names: not 'respondent'
                guessed.append((written_as.get(column, column), hint))
            else:
                ignored.append(written_as.get(column, column))
    if error_at is not None:
        # The file is not read: its columns are in the error's header, and a column its hint names (the option to read
        # it) needs no word more; they were an unknown-column warning each besides ('Touch Point': did you mean
        # 'touchpoint'?, said twice), and the others one more. A guess the hint does not give keeps its warning.
        told = problems[error_at].hint or ""
        guessed = [(column, hint) for column, hint in guessed if f"'{_shown(column)}'" not in told and f"={column}" not in told
                   and f"{_sql_name(column)} AS " not in told  # named by the hint's statement ('"Created At" AS date')
                   # a second column for one the statement names ('Comments' beside 'Why did you give that score?'): read
                   # with its option after the statement, it would replace that one
                   and not ((looks := re.match(r"it looks like the (\w+) column", hint)) and f" AS {looks[1]}," in told)]
        ignored = []
    problems += [ignored_columns(name, line, [column], hint, cell[column]) for column, hint in guessed]
    if ignored:
        problems.append(ignored_columns(name, line, ignored, f"known columns: {', '.join(known)}", cell[ignored[0]]))
    return problems



#: Survey and BI tools' own names for journeymap's columns (spaces, underscores, hyphens left out, lower-cased):
#: Google Forms' 'Timestamp', Typeform's 'Submitted At', Delighted's 'Created At', Qualtrics'
#: 'RecordedDate', SurveyMonkey's 'Respondent ID', LimeSurvey's 'submitdate'; Typeform's 'Submit Date (UTC)',
#: Trustpilot's 'Review stars' and 'Review Content', Intercom's 'Conversation rating' and 'Rating remark', Zendesk's
#: 'Satisfaction Score', an app store's 'Star Rating' and 'Review Text'; AskNicely's 'person_id', 'answer' and
#: 'responded', Medallia's 'LTR' and 'LTR Comment', a form's 'Response' (each was "did you mean" another column:
#: 'person_id' persona, 'Response' and 'responded' respondent).
_SURVEY_NAMES = {
    **dict.fromkeys(("timestamp", "createdat", "submittedat", "recordeddate", "enddate", "datesubmitted", "submissiondate",
                     "submitdate", "responsedate", "completedat", "completiondate", "surveydate", "reviewcreated",
                     "reviewdate", "ratedat", "ratedon", "reviewsubmitdate", "responded", "respondedat", "answeredat",
                     # Microsoft Forms' 'Completion time', SurveySparrow's 'Submitted Time', Zoho's 'Date Created'
                     "completiontime", "submittedtime", "submissiontime", "datecreated", "createddate",
                     # a date beside its time of day in a column of its own ('Submitted Date' and 'Submitted Time')
                     "submitteddate", "completeddate", "datecompleted", "respondeddate", "dateresponded", "answereddate",
                     "feedbackdate", "ratingdate",
                     # Delighted's 'Response timestamp', Zendesk Explore's 'Ticket created - Date', 'Rating updated - Date',
                     # Google Play Console's 'Review Submit Date and Time'
                     "responsetimestamp", "ticketcreateddate", "ticketsolveddate", "satisfactionratingupdateddate",
                     "ratingupdateddate", "updateddate", "reviewsubmitdateandtime",
                     # Delighted's 'Created' (seconds since 1970)
                     "created"), "date"),
    # Typeform's '#', its response's token
    **dict.fromkeys(("respondentid", "responseid", "customerid", "userid", "contactid", "reviewid", "personid", "#"), "respondent"),
    **dict.fromkeys(("rating", "npsscore", "csatscore", "cesscore", "likelihoodtorecommend", "stars", "reviewstars", "starrating",
                     "satisfactionscore", "satisfactionrating", "conversationrating", "answer", "answervalue", "response",
                     "responsevalue", "scorevalue", "ltr", "npsrating", "csatrating",
                     # Salesforce's NumberValue beside its ResponseValue (a text: a comment's answer too)
                     "numbervalue", "numericvalue", "numericanswer", "numberanswer", "numericresponse",
                     # a reviews export's 'Review Score' and 'Review Rating' (as 'Review Stars')
                     "reviewscore", "reviewrating"), "score"),
    **dict.fromkeys(("feedback", "comments", "verbatim", "reason", "npscomment", "csatcomment", "reviewcontent", "reviewtext",
                     "reviewbody", "review", "ratingremark", "satisfactioncomment", "ltrcomment", "npsreason", "answercomment",
                     "openendedresponse", "responsetext", "freetext",
                     # a helpdesk's or form's 'text' (the customer's words), 'Comment Text', 'Remarks', 'Verbatims'
                     "text", "commenttext", "feedbacktext", "remarks", "remark", "verbatims",
                     # Medallia's comment beside its 'Likelihood to Recommend' (was read as the score's column) and 'OSAT'
                     "likelihoodtorecommendcomment", "ltrcomments", "osatcomment", "osatcomments",
                     # Intercom's remark beside its conversation rating, Hotjar's feedback message
                     "conversationratingremark", "ratingremarks", "message", "feedbackmessage"), "comment"),
    "emotion": "score",  # Hotjar's feedback rating, 1..5
    # a BI tool's metrics table: 'Month' and 'Responses' were ignored, and its months were "a second row" each
    **dict.fromkeys(("month", "quarter", "week", "wave", "fiscalmonth", "reportingperiod", "timeperiod"), "period"),
    **dict.fromkeys(("responses", "count", "samplesize", "base", "respondents", "numberofresponses", "responsecount",
                     "totalresponses"), "n"),
    # Tableau's view of its measures, long: 'Measure Names' and 'Measure Values'
    "measurenames": "metric", "measurevalues": "value",
    # Looker's, Power BI's and Metabase's names for a metrics table's columns, and an Excel pivot's 'Average of value' and
    # 'Sum of n' ('Metric Value' was "did you mean 'metric'?", and 'Sum of n' ignored among the rest)
    **dict.fromkeys(("touchpointname", "touchpointid", "touchpointlabel"), "touchpoint"),
    **dict.fromkeys(("metricname", "metricid", "kpi", "kpiname", "measure", "measurename"), "metric"),
    **dict.fromkeys(("metricvalue", "kpivalue", "measurevalue", "averageofvalue", "avgvalue", "averagevalue", "avgofvalue"),
                    "value"),
    **dict.fromkeys(("sumofn", "sumofresponses", "sumofcount"), "n"),
    # German, French and Spanish names, as a survey tool or a spreadsheet in that language writes them ('Bewertung',
    # 'commentaire', 'puntuación'; Google Forms' 'Zeitstempel', 'Horodateur', 'Marca temporal'): the missing-column error
    # said only that the header must name the columns, and 'Kommentar' was ignored without a guess
    **dict.fromkeys(("kontaktpunkt", "berührungspunkt", "beruehrungspunkt", "pointdecontact", "puntodecontacto"), "touchpoint"),
    **dict.fromkeys(("kennzahl", "metrik", "indicateur", "métrique", "metrique", "métrica", "metrica", "indicador"), "metric"),
    **dict.fromkeys(("bewertung", "punktzahl", "punkte", "wertung", "note", "évaluation", "notation", "puntuación",
                     "puntuacion", "puntaje", "calificación", "calificacion", "valoración", "valoracion", "nota"), "score"),
    **dict.fromkeys(("kommentar", "kommentare", "anmerkung", "anmerkungen", "bemerkung", "bemerkungen", "freitext",
                     "begründung", "begruendung", "commentaire", "commentaires", "remarque", "remarques", "comentario",
                     "comentarios", "observaciones", "observación", "observacion"), "comment"),
    **dict.fromkeys(("datum", "zeitstempel", "erstelltam", "antwortdatum", "horodateur", "horodatage", "datederéponse",
                     "datedereponse", "fecha", "marcatemporal", "fechaderespuesta",
                     # Microsoft Forms' 'Completion time' in German, French and Spanish; Typeform's 'Submit Date' in
                     # Spanish and French
                     "fertigstellungszeit", "heuredefin", "horadefinalización", "horadefinalizacion", "fechadeenvío",
                     "fechadeenvio", "datedesoumission", "datedenvoi", "eingereichtam", "absendedatum"), "date"),
    **dict.fromkeys(("befragter", "befragte", "teilnehmer", "teilnehmerid", "kundennummer", "kundenid", "antwortid",
                     "répondant", "repondant", "idrépondant", "idrepondant", "encuestado", "idencuestado",
                     "idderespuesta"), "respondent"),
    **dict.fromkeys(("monat", "quartal", "zeitraum", "woche", "mois", "trimestre", "période", "periode", "semaine", "mes",
                     "periodo", "período", "semana"), "period"),
    **dict.fromkeys(("wert", "valeur", "valor"), "value"),
    "segmento": "segment",
    # a segment column as CRMs, survey tools and BI exports name it ('Customer type', 'persona_id'), as an event log's
    **dict.fromkeys(SEGMENT_NAMES, "persona"),
}


#: A column of scores named for its metric or question, often with its scale: 'CSAT (1-5)', 'NPS',
#: 'Likelihood to recommend (0-10)', Google Forms' 'How likely are you to recommend us to a friend?'.
#: Typeform's NPS question starts with its scale ('On a scale from 0 to 10, how likely ...'); Hotjar asks 'How would you
#: rate your experience?'; Medallia puts a clause first ('Based on your experience, how likely ...', 'Overall, how
#: satisfied ...').
_SCORE_HEADER = re.compile(r"(?:on a scale (?:of|from) \d+ ?(?:to|-) ?\d+,? |(?:based on|thinking (?:of|about)|considering|overall)"
                           r"[^,?]{0,60}, )?"
                           r"(?:nps|csat|osat|ces|net promoter|(?:customer|overall) satisfaction|customer effort"
                           r"|likelihood to recommend"
                           r"|how likely|how satisfied|how easy|how would you rate)\b.*", re.IGNORECASE)
#: A column of comments named for its question: SurveyMonkey's and Hotjar's 'What's the main reason for your score?'.
_COMMENT_HEADER = re.compile(r"(?:what(?:'s|\u2019s| is| was) the (?:main )?reason for your (?:score|rating)"
                             r"|why did you give (?:us )?(?:this|that|a) (?:score|rating)"
                             # SurveyMonkey's and Google Forms' closing question: 'Any other comments?'
                             r"|(?:any|other|additional|further)(?: other| further| additional)? (?:comments?|feedback)"
                             # Typeform's closing question: 'Anything else you'd like to tell us?'
                             r"|(?:is there )?anything else (?:you(?:'d|\u2019d| would) like to (?:tell|share with) us|to add)"
                             # a form's open questions: 'What did you like most?', 'What could we improve?'
                             r"|what (?:did|do) you (?:like|love|enjoy|dislike)(?: most| least)?(?: about [^?]{1,40})?"
                             r"|(?:what|how) (?:could|can|should) we (?:do better|improve|have done better|do to improve)"
                             r"(?: [^?]{1,40})?|(?:please )?tell us (?:more|why)(?: [^?]{1,40})?)\??",
                             re.IGNORECASE)


#: A question's number before its text, as a form or an on-page survey numbers them: 'Q1: How likely ...?' (Qualaroo),
#: '1. How satisfied ...?', 'Q2) ...'.
_QUESTION_NUMBER = re.compile(r"(?:q|question\s*)?\d{1,3}[a-z]?\s*[.:)]\s*(?=\S)", re.IGNORECASE)

#: A rating question asked in German, French, Spanish, Dutch, Italian or Portuguese, by the words of its metric
#: ('Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?', '¿Qué tan satisfecho está?', 'Recommandation (0-10)'),
#: each was "the header must name the columns ..." or, for '¿Qué probabilidad hay de que nos recomiende?', "rename
#: 'Comentario' to 'metric'".
_FOREIGN_QUESTION = (
    # not English's own words ('recommend', 'satisfaction', 'facilities'), which an English header uses otherwise
    (re.compile(r"empfehl|recommand|recomend|recomiend|raccomand|consiglier|aanbevel|aanraden", re.IGNORECASE), "nps"),
    (re.compile(r"zufrieden|satisfait|satisfecho|satisfeit|satisfacci|satisfa[c\u00e7][a\u00e3]o|tevreden|soddisf",
                re.IGNORECASE), "csat"),
    (re.compile(r"aufwand|einfach|m\u00fchelos|esfuerzo|f[a\u00e1]cil\b|facile|eenvoudig|makkelijk|moeite", re.IGNORECASE), "ces"),
)
#: Words of a question about a comment or its reason, not a rating ('Warum?', 'Pourquoi ...', 'Kommentar zur Empfehlung').
_NOT_A_RATING = re.compile(r"warum|weshalb|wieso|pourquoi|por ?qu[e\u00e9]|perch[e\u00e9]|waarom|porque|kommentar|commentaire"
                           r"|comentario|coment\u00e1rio|commento|opmerking|grund|raison|raz[o\u00f3]n|motiv|begr\u00fcnd"
                           r"|anmerk|remarque|observa|toelicht|why|comment|reason", re.IGNORECASE)


def _question(column: str) -> str:
    """A column's name without a question's number before it ('Q1: How likely ...?' is 'How likely ...?')."""
    text = column.strip()
    return text[m.end():] if (m := _QUESTION_NUMBER.match(text)) is not None else text


def _foreign_question(column: str) -> str | None:
    """The metric a rating question asked in another language than English asks for (:data:`_FOREIGN_QUESTION`), or
    None (a question about a comment or its reason, :data:`_NOT_A_RATING`, is none)."""
    text = _question(column)
    if _NOT_A_RATING.search(text) or len(text) > 160:
        return None
    return next((metric for pattern, metric in _FOREIGN_QUESTION if pattern.search(text)), None)


def _survey_name(column: str) -> str | None:
    """journeymap's column a survey tool's header cell (lower-cased) names, where it is one of :data:`_SURVEY_NAMES`
    or a score column named for its metric (:data:`_SCORE_HEADER`), or a name with a note after it ('score (0-10)',
    'Comment (optional)', 'Score' and '(0-10)' on two lines of the cell): the name, lower-cased (the caller
    checks it is one of its columns); else None."""
    bare = _ZONE_NOTE.sub("", column) or column  # Typeform's 'Submit Date (UTC)', Trustpilot's 'Review Created (UTC)'
    found = (_SURVEY_NAMES.get(squeezed(bare).lower()) or _named_after(squeezed(bare).lower())
             or ("score" if _SCORE_HEADER.fullmatch(_question(column)) else None)
             or ("comment" if _COMMENT_HEADER.fullmatch(_question(column)) else None)
             or ("score" if _foreign_question(column) is not None else None)
             or ("period" if _DATE_PART.fullmatch(column.strip()) else None))
    if found is None and (noted := _NOTE.sub("", column).strip()) and noted != column.strip():
        found = _SURVEY_NAMES.get(squeezed(noted).lower()) or " ".join(noted.split()).lower()
    if found is None and (qualified := _QUALIFIER.fullmatch(column.strip())) is not None:  # 'Comment, optional'
        found = _SURVEY_NAMES.get(squeezed(qualified[1]).lower()) or " ".join(qualified[1].split()).lower()
    return found


#: Survey tools' long names for the answer and the comment (:data:`_SURVEY_NAMES`' of 12 letters or more, longest
#: first), which a longer name may end with: Zendesk Explore's 'Ticket satisfaction rating' and 'Ticket satisfaction
#: comment' (:func:`_named_after`).
_LONG_NAMES = tuple(sorted((key for key, meant in _SURVEY_NAMES.items() if meant in ("score", "comment") and len(key) >= 12),
                           key=len, reverse=True))


#: Tools' names for when an answer was given (:data:`_SURVEY_NAMES`' dates of 7 letters or more, longest first), which a
#: name of the answer may come before (:data:`_ANSWER_WORDS`): Intercom's 'Conversation rated at'.
_WHEN_NAMES = tuple(sorted((key for key, meant in _SURVEY_NAMES.items() if meant == "date" and len(key) >= 7 and key.isascii()),
                           key=len, reverse=True))
#: Words naming the answer itself, before a name for when it was given: not a contact's or a ticket's 'Created At',
#: when the contact or the ticket was made.
_ANSWER_WORDS = ("conversation", "survey", "surveyresponse", "response", "feedback", "rating", "review", "answer", "nps", "csat",
                 "ces")


#: A name for when a customer answered: a verb of answering before a word of a moment ('Scored Datetime', 'Rated Date',
#: 'Answered On'), not of sending ('Sent Datetime', when the survey went out).
_ANSWERED_AT = re.compile(r"(?:scored|rated|answered|submitted|responded|completed|reviewed)"
                          r"(?:date|datetime|dateandtime|on|at|timestamp)")


def _named_after(name: str) -> str | None:
    """'score' or 'comment' for a (squeezed, lower-cased) name that ends in a tool's long name for it
    (:data:`_LONG_NAMES`: 'ticketsatisfactionrating' ends in 'satisfactionrating'), 'date' for a name of the answer
    before a tool's name for when it was given ('conversationratedat': :data:`_WHEN_NAMES`); else None. Such a file
    was told only "the header must name the columns ...", or its answers were in no period."""
    if len(name) > 60:
        return None
    found = next((_SURVEY_NAMES[key] for key in _LONG_NAMES if name.endswith(key) and name != key), None)
    if found is None and _ANSWERED_AT.fullmatch(name):  # Gorgias' 'Scored Datetime', 'Rated Date', 'Answered On'
        found = "date"
    if found is None and name.startswith(_ANSWER_WORDS) and name not in _CHANGED_AT:
        found = next((_SURVEY_NAMES[key] for key in _WHEN_NAMES if name.endswith(key) and name[:-len(key)] in _ANSWER_WORDS),
                     None)
    return found


#: A column name's word for the time of day ('Submitted Time', 'Response Time', German 'Uhrzeit', French 'Heure',
#: Spanish 'Hora'), and one for a day ('Date', 'Timestamp', 'Datum', 'Fecha'): a name with the first and not the second
#: is a time of day's column when the header has a date column beside it (:func:`_time_of_day`).
_TIME_WORD = re.compile(r"(?<![a-z])(?:time|uhrzeit|heure|hora)(?![a-z])")
_DAY_WORD = re.compile(r"date|stamp|datum|fecha|jour|tag")


def _time_of_day(column: str, header: Iterable[str]) -> str | None:
    """The header's date column (as written) when ``column`` holds the time of day beside it, as exports write an
    answer's date and time in two columns (SurveySparrow's 'Submitted Date' and 'Submitted Time', a helpdesk's
    'Response Date' and 'Response Time', 'Datum' and 'Uhrzeit'); else None. Such a column, a tool's name for the date
    ('Submitted Time'), was told to be read as the date (each answer then an invalid date, the date's column ignored),
    or "did you mean 'respondent'?" ('Response Time'). Microsoft Forms' 'Start time' and 'Completion time', with no
    date column beside them, are dates and times."""
    name = column.strip().lower()
    if not _TIME_WORD.search(name) or _DAY_WORD.search(name):
        return None
    for other in header:
        written = other.strip().lower()
        if (other != column and not _TIME_WORD.search(written)
                and (squeezed(written) in ("date", "datum", "fecha") or _survey_name(other) == "date")):
            return other.strip()
    return None


def _survey_name_beside(column: str, header: Iterable[str]) -> str | None:
    """:func:`_survey_name` of a column among the header's others: a time of day's column beside the date's
    (:func:`_time_of_day`) names none of journeymap's, though its name is a tool's for the date ('Submitted Time');
    a time near the answer's (:data:`_LESSER_DATES`) is the date where no better name is there."""
    header = list(header)
    return None if _time_of_day(column, header) is not None else _survey_name(column) or _lesser_date(column, header)


#: Names of a time near when an answer was given, the answers' date only where the header has no better one (the date
#: column, a tool's name for when the answer was given): LiveChat's 'Chat start date', its rating given at the chat's end.
_LESSER_DATES = frozenset(("chatstartdate",))


def _lesser_date(column: str, header: Sequence[str]) -> str | None:
    """'date' for a column of :data:`_LESSER_DATES` where no other column of the header names the date; else None."""
    if squeezed(_ZONE_NOTE.sub("", column) or column).lower() not in _LESSER_DATES:
        return None
    better = any(other != column and (squeezed(other).lower() in ("date", "datum", "fecha") or _survey_name(other) == "date")
                 for other in header)
    return None if better else "date"


#: A column's name and a qualifier after a comma or a dash, as a form's question writes it: 'Comment, optional',
#: 'Score - 0 to 10', 'Comment – if any'.
_QUALIFIER = re.compile(r"(\w[\w ]{0,30}?)\s*(?:,|\s[-–—])\s*[^,]{1,30}")


def _asked_comment(column: str) -> bool:
    """Whether a column is a comment question's, named for what it asks ('Why did you give that score?'): the comment
    column before one named 'Comments', which in an Alchemer export is its own notes' column, often empty."""
    return _COMMENT_HEADER.fullmatch(_question(column)) is not None


def _second_comment(column: str) -> bool:
    """Whether a column (its key) is a second column of comments: 'Comment 2', 'comments', 'Comment (2)', 'Kommentar'."""
    bare = re.sub(r"[\s_.:#()-]*[0-9]+[)]?$", "", column.strip())
    return bare.lower() in ("comment", "comments") or _survey_name(column) == "comment" or _survey_name(bare) == "comment"


def _second_comment_hint(name: str, comment: str, other: str) -> str:
    """The hint for a second column of comments beside the comment column, which is not read: the statement that joins
    them into one."""
    from .engines.rows import shell_quoted

    both = f"{_sql_name(comment)}, {_sql_name(other)}"
    joined = f"COPY (SELECT * EXCLUDE ({both}), concat_ws(' / ', {both}) AS comment FROM {_sql_source(name)}) TO 'joined.csv'"
    return (f"a second column of comments: only '{_shown(comment)}' is read as the comment, so the texts in this one are"
            f" not among the verbatims; join the two into one column to read both (with DuckDB: {joined}), or read this"
            f" one instead with --responses-column {shell_quoted('comment=' + other)}")


#: A note after a column's name, in brackets: its scale ('(0-10)', '[1-5]'), '(optional)', a unit ('(%)').
_NOTE = re.compile(r"\s*[(\[][^()\[\]]{0,40}[)\]]\s*$")


#: Tableau's name for a date's part, after its field: 'Month of Date', 'Quarter of Order Date', 'Week of Survey Date'.
_DATE_PART = re.compile(r"(?:month|quarter|week) of \S.*", re.IGNORECASE)


def _qualtrics_questions(problem: Problem, header: Sequence[str], normalised: Sequence[str], texts: Sequence[str],
                         ids: Sequence[str], required: Sequence[str]) -> Problem:
    """``problem`` (a responses table's missing columns) with the hint a Qualtrics export needs, when its second line
    holds question texts and its third import ids: which of its Q1, Q2, ... columns hold scores ('How likely ...?', or
    a question with its _NPS_GROUP column beside it) and comments ('What is the main reason for your score?')."""
    from dataclasses import replace

    if "score" in normalised or not any(cell.lstrip().startswith('{"ImportId"') for cell in ids):
        return problem
    names = [column.strip().lstrip("\ufeff") for column in header]
    groups = {name[: -len("_NPS_GROUP")] for name in names if name.upper().endswith("_NPS_GROUP")}
    scores: list[tuple[str, str]] = []  # (column, as told)
    comments: list[tuple[str, str]] = []
    asked: list[tuple[str, str | None]] = []  # (column, the metric its question asks)
    for index, name in enumerate(names):
        text = texts[index].strip() if index < len(texts) else ""
        if name.upper().endswith("_NPS_GROUP"):
            continue
        if name in groups or _SCORE_HEADER.fullmatch(text):
            scores.append((name, f"{_shown(name)} '{_shown(text)}'" + (f" (an NPS: {_shown(name)}_NPS_GROUP)" if name in groups else "")))
            asked.append((name, "nps" if name in groups else _answer_metric(text)))
        elif _COMMENT_HEADER.fullmatch(text):
            comments.append((name, f"{_shown(name)} '{_shown(text)}'"))
    if not scores:
        return problem
    from .engines.rows import shell_quoted

    option = f"--responses-column {shell_quoted(f'score={scores[0][0]}')}"
    read = f" --responses-column {shell_quoted(f'comment={comments[0][0]}')}" if comments else ""
    if "ResponseId" in names:  # a respondent's comment, on each of their answers' rows, counts once
        read += " --responses-column respondent=ResponseId"
    missing = [c for c in required if c not in normalised]
    said = (f"a Qualtrics export names its questions Q1, Q2, ...; its second line gives their texts:"
            f" {', '.join(told for _name, told in scores)} hold{'s' * (len(scores) == 1)} scores"
            + (f" and {', '.join(told for _name, told in comments)} comments" if comments else ""))
    metrics = [metric for _name, metric in asked]
    if len(asked) >= 2 and None not in metrics and len(set(metrics)) == len(metrics) and "metric" in missing:
        # reading one question at a time, as the hint said, left the others out
        statement = _unpivot_answers(problem.span.file, [(n, m) for n, m in asked if m], "touchpoint" in missing, skip=2)
        return replace(problem, hint=(
            f"{said}: write them long, a row an answer with its metric ({', '.join(f'{n} {m}' for n, m in asked)}), without"
            f" the lines of texts and import ids (with DuckDB: {statement})" + (f"; then read it with{read}" if read else "")))
    rest = _one_survey("responses table", missing, {"score": 0}, [])
    return replace(problem, hint=f"{said}: read one question at a time, {option}{read.split(' --responses-column respondent')[0]}"
                   + (f"; {rest}" if rest else ""))


#: A column of when a row was last changed, which an export writes beside when it was given (Delighted's 'Updated'
#: beside 'Created', a CRM's 'Last Modified' or 'Date Modified'): no answer's date ('Updated' was "did you mean
#: 'date'?" for the letters they share).
_CHANGED_AT = frozenset(("updated", "updatedat", "updatedon", "lastupdated", "lastupdate", "lastupdatedat", "modified",
                         "modifiedat", "modifiedon", "lastmodified", "lastmodifiedat", "datemodified", "modifieddate",
                         "lastmodifieddate", "dateupdated", "lastupdateddate", "edited", "editedat", "lastedited",
                         "changed", "changedat", "lastchanged"))


def _changed_at_hint(column: str, header: Sequence[str], seen: Mapping[str, int], written_as: Mapping[str, str],
                     option: str) -> str | None:
    """The hint for a column of when each row was last changed (:data:`_CHANGED_AT`): the column of the answers' date
    when the header has one ('date', or a survey tool's 'Created', 'Submitted At'), else the option that reads it, if
    it is when each answer was given; None for other columns."""
    from .engines.rows import shell_quoted

    if squeezed(_ZONE_NOTE.sub("", column) or column).lower() not in _CHANGED_AT:
        return None
    said = "it is when each row was last changed, not when the answer was given"
    if "date" in seen:
        read = header[seen["date"]]
        return f"{said}: the answers' date is read from '{_shown(written_as.get(read, read))}'"
    for other in dict.fromkeys(header):
        if other != column and _survey_name(other) == "date":
            return f"{said}: the answers' date is '{_shown(written_as.get(other, other))}'"
    as_written = written_as.get(column, column)
    return (f"if it is when each answer was given, read it as the date with {option} {shell_quoted(f'date={as_written}')};"
            f" an export's '{_shown(as_written)}' is often when a row was last changed")


def _column_guess(column: str, known: Sequence[str]) -> str | None:
    """"did you mean" for a column journeymap does not read: a near spelling of one of ``known`` ('scroe', 'StartDate',
    Spanish 'Comentario'), not a word that only shares letters with one: an app store's 'Version' is no 'persona'. A
    misspelling keeps its first letter, or most of its letters."""
    hint = did_you_mean(column, known)
    if hint is None:
        return None
    meant = hint.split("'")[1]
    if meant == "respondent" and "reply" in column.lower():  # a company's reply (Trustpilot's 'Reply Content'), not who answered
        return None
    if meant in column or difflib.SequenceMatcher(None, column, meant).ratio() >= 0.8 or typo_of(column, meant):
        return hint
    return None


def typo_of(written: str, name: str) -> bool:
    """Whether ``written`` is ``name`` with a slip of the keys: a letter wrong, missing, added or two swapped, as many
    slips as one in four of the name's letters (at least one), spaces, '_' and '-' aside ('dtae', 'respondant'), not
    another word that shares letters with it ('Duplicate' and 'date', 'Response Status' and 'respondent' shared their
    first letter, which was enough for a "did you mean").

    >>> typo_of("dtae", "date"), typo_of("Respondant", "respondent"), typo_of("Duplicate", "date")
    (True, True, False)"""
    a, b = re.sub(r"[\s_-]+", "", written.lower()), re.sub(r"[\s_-]+", "", name.lower())
    most = max(1, len(b) // 4)
    if abs(len(a) - len(b)) > most:
        return False
    # optimal string alignment distance (Levenshtein with a swap of two neighbours as one slip)
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1] <= most


#: A column name's note of its zone, as Typeform and Trustpilot write it after a date's name.
_ZONE_NOTE = re.compile(r"\s*[(\[]\s*(?:utc|gmt|local(?: time)?|[A-Z]{3,4})\s*[)\]]\s*$", re.IGNORECASE)


#: The words :func:`_one_survey`'s hint starts with, which :func:`_one_survey_statement` replaces by the statement.
_ONE_SURVEY = "an export of one survey's answers names no "

#: The categories an NPS tool writes beside each answer (SurveySparrow's 'NPS Category', Retently's 'Type', Satismeter's
#: 'Category', HubSpot's 'Sentiment'): a column of them says the answers beside it are an NPS.
_NPS_CATEGORIES = frozenset(("promoter", "passive", "detractor", "promoters", "passives", "detractors", "neutral"))


def _score_metric(column: str) -> str | None:
    """The metric a one-question export's score column is named for: 'NPS Rating', Pendo's 'NPS Score', Jotform's 'Net
    Promoter Score', 'CSAT Rating', 'Effort Score'; a star rating (Trustpilot's 'Review Stars', an app store's 'Star
    Rating', a reviews export's 'Review Score') is a CSAT, 4 and 5 stars satisfied. None for a name that says no metric ('Score', 'Rating', 'Answer')."""
    if (metric := _answer_metric(column)) is not None:
        return metric
    words = " ".join(re.findall(r"[a-z]+", column.lower()))
    for pattern, metric in ((r"\b(?:nps|net promoter|promoter score|recommend\w*)\b", "nps"),
                            (r"\b(?:csat|osat|satisf\w*|stars?|review (?:score|rating))\b", "csat"), (r"\b(?:ces|effort)\b", "ces")):
        if re.search(pattern, words):
            return metric
    return None


def _one_survey_statement(problems: list[Problem], header: Sequence[str], normalised: Sequence[str],
                          rows: Sequence[Sequence[str]], known: Sequence[str]) -> list[Problem]:
    """``problems`` with a one-question export's missing-column error given the statement that writes the file as
    journeymap reads it (:func:`_one_survey_hint`), and without the warnings of the columns the statement names: each
    said to read its column with an option, or, for a column of NPS categories (HubSpot's 'Sentiment'), "did you mean
    'segment'?"."""
    told: list[Problem] = []
    named: list[str] = []
    for problem in problems:
        if problem.code == "missing-column" and _ONE_SURVEY in (problem.hint or ""):
            problem, more = _one_survey_hint(problem, header, normalised, rows, known)
            named += more
        told.append(problem)
    return [p for p in told if not (p.code == "unknown-column" and p.level == "warning" and any(
        p.message.startswith(f"column '{_shown(name)}' is not one journeymap reads") for name in named))]


def _one_survey_hint(problem: Problem, header: Sequence[str], normalised: Sequence[str], rows: Sequence[Sequence[str]],
                     known: Sequence[str]) -> tuple[Problem, list[str]]:
    """``problem`` (a one-question export's missing touchpoint and metric, :func:`_one_survey`) with the DuckDB statement
    that writes the file as journeymap reads it: the touchpoint and the metric on each row, and the columns the header
    names in a survey tool's words ('Answer', 'Responded', 'Feedback') under journeymap's names, where it said only to
    add the columns (AskNicely's, Retently's, Pendo's, Trustpilot's exports: a user's own script to write). The metric
    is the score column's ('NPS Rating'), or an NPS where a column beside it holds NPS categories (Retently's 'Type':
    Promoter, Passive, Detractor) or its answers go above 7, CES's top (Satismeter's 'Rating' 0..10); else METRIC."""
    from dataclasses import replace

    names = [column.strip().lstrip("\ufeff") for column in header]
    missing = [c for c in ("touchpoint", "metric") if c not in normalised]
    if "metric" not in missing:
        return problem, []
    renames: list[tuple[str, str]] = []  # (the file's column, journeymap's name)
    for index, key in enumerate(normalised):
        if key in known and key not in missing and names[index].lower() != key:
            renames.append((names[index], key))
    taken = {key for _name, key in renames} | {key for key in normalised if key in known}
    numeric = {index for index in range(len(names)) if _numbers_only(rows, index)}
    # a comment question before a tool's own 'Comments'; of two columns named for the answer, a number's before a text's
    # (Salesforce's 'Number Value' before 'Response Value', whose texts are comments too)
    for index, key in sorted(enumerate(normalised), key=lambda item: (not _asked_comment(names[item[0]]), item[0] not in numeric)):
        meant = _survey_name_beside(names[index], names) if key not in known else None
        if meant is not None and meant in known and meant not in taken and meant not in missing and not _segment_taken(meant, taken):
            renames.append((names[index], meant))
            taken.add(meant)
    renames.sort(key=lambda rename: names.index(rename[0]))  # in the header's order
    score = next((name for name, key in renames if key == "score"), None)
    if score is None:
        if "score" not in normalised:
            return problem, []
        score = names[normalised.index("score")]
    at = names.index(score)
    metric = _score_metric(score)
    why = f"its column '{_shown(score)}' holds the answers to {metric}" if metric else ""
    categories = None  # a column of NPS categories beside the answers: told here, not "did you mean 'segment'?"
    for index, name in enumerate(names):
        values = {row[index].strip().lower() for row in rows if index < len(row) and row[index].strip()}
        if index != at and values and values <= _NPS_CATEGORIES and len(values) >= 2:
            categories = name
            if metric is None:
                metric = "nps"
                why = (f"its column '{_shown(score)}' holds NPS answers: the column '{_shown(name)}' beside it names them"
                       f" {', '.join(sorted({v.rstrip('s').capitalize() for v in values}))}")
            break
    if metric is None:
        answers = [int(m[0]) for row in rows if at < len(row) and (m := re.match(r"\s*(\d{1,2})\b", row[at]))]
        if answers and max(answers) > 7 and max(answers) <= 10:
            metric = "nps"
            why = (f"its column '{_shown(score)}' holds answers up to {max(answers)}, on NPS's scale 0..10 (CSAT's is 1..5,"
                   " CES's 1..7)")
    columns = [f"{_sql_name(name)} AS {key}" for name, key in renames]
    named_metric = f"'{metric or 'METRIC'}' AS metric"
    excluded = [name for name, _key in renames]
    where = ""
    asked = _question_column(names, normalised, rows, known, {name for name, _key in renames})
    if asked is not None:
        # a long export, a row an answer, its question's text in a column (Salesforce's): each row's metric is its
        # question's, and the comment question's answer the comment
        question, ratings, comments, others = asked
        q = _sql_name(question)
        named_metric = "CASE " + q + " " + " ".join(f"WHEN {_sql_text(t)} THEN '{m}'" for t, m in ratings) + " END AS metric"
        if at not in numeric:  # the answers' column holds the comments' texts too
            columns = [f"CASE WHEN {q} IN ({', '.join(_sql_text(t) for t, _m in ratings)}) THEN {_sql_name(score)} END AS score"
                       if key == "score" else f"{_sql_name(name)} AS {key}" for name, key in renames]
        text = next((name for index, name in enumerate(names) if index not in numeric and index != at
                     and _survey_name(name) == "score"), score)
        if comments and "comment" not in taken:
            said_comments = (f"{q} = {_sql_text(comments[0])}" if len(comments) == 1
                             else f"{q} IN ({', '.join(_sql_text(t) for t in comments)})")
            columns.append(f"CASE WHEN {said_comments} THEN {_sql_name(text)} END AS comment")
            excluded += [text] if text not in excluded else []
        excluded.append(question)
        if others:
            where = f" WHERE {q} IN ({', '.join(_sql_text(t) for t, _m in ratings)}{''.join(', ' + _sql_text(t) for t in comments)})"
        metrics_said = " and ".join(m for _t, m in ratings) if len(ratings) <= 2 else ", ".join(m for _t, m in ratings)
        why = (f"its column '{_shown(question)}' names each row's question ({len(ratings)} rating{'s' * (len(ratings) > 1)},"
               f" {metrics_said}" + (f", and {'a comment' if len(comments) == 1 else f'{len(comments)} comments'}" if comments
                                     else "")
               + (f"; {len(others)} other question{'s' * (len(others) > 1)} left out" if others else "") + ")")
    select = ", ".join([*(["'TOUCHPOINT' AS touchpoint"] if "touchpoint" in missing else []), named_metric, *columns]
                       + ([f"* EXCLUDE ({', '.join(_sql_name(name) for name in excluded)})"] if excluded else ["*"]))
    fill = [*(["the touchpoint's id for TOUCHPOINT"] if "touchpoint" in missing else []),
            *([] if metric or asked else ["the metric its answers are to, nps, csat or ces, for METRIC"])]
    said = " and ".join(repr(c) for c in missing)
    left = (f"; '{_shown(categories)}' is not read: an NPS answer's category is worked out from its score"
            if categories is not None else "")
    return replace(problem, hint=(
        (f"an export of survey answers a row an answer names no {' nor '.join(missing)}" if asked is not None
         else f"{_ONE_SURVEY}{' nor '.join(missing)}") + (f"; {why}" if why else "")
        + f": write it with {said} on each row"
        + (", and its columns under journeymap's names" if renames else "")
        + f" (with DuckDB: COPY (SELECT {select} FROM {_sql_source(problem.span.file)}{where}) TO 'long.csv'"
        + (f", with {' and '.join(fill)}" if fill else "") + ")" + left)), [
        name for name, _key in renames] + ([categories] if categories is not None else [])


_WHOLE_ANSWER = re.compile(r"[0-9]{1,2}(?:\.0+)?")


def _numbers_only(rows: Sequence[Sequence[str]], index: int) -> bool:
    """Whether a column's cells, blanks aside, are all whole numbers of a scale's size ('9', '9.00'), some of them."""
    cells = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
    return bool(cells) and all(_WHOLE_ANSWER.fullmatch(cell) for cell in cells)


#: The most distinct questions a column of a long export's question texts holds (:func:`_question_column`).
_MOST_QUESTIONS = 50


def _question_column(names: Sequence[str], normalised: Sequence[str], rows: Sequence[Sequence[str]], known: Sequence[str],
                     renamed: set[str]) -> tuple[str, list[tuple[str, str]], list[str], list[str]] | None:
    """The column of a long export that names each row's question by its text (Salesforce's 'Question', a row an
    answer), with its rating questions and their metrics (each metric's once), its comment questions and its other
    questions, in the order first seen; None when no column holds the texts of at least two questions, one a rating, of
    distinct metrics, each text on two rows on average at least. Such an export was taken for one question's answers, every row one metric's."""
    for index, name in enumerate(names):
        if normalised[index] in known or name in renamed:
            continue
        cells = [row[index].strip() for row in rows if index < len(row) and row[index].strip()]
        texts = list(dict.fromkeys(cells))
        # (a long export names its questions on every respondent's rows: texts that each come once are notes)
        if not 2 <= len(texts) <= _MOST_QUESTIONS or len(texts) * 2 > len(cells):
            continue
        ratings = [(text, metric) for text in texts if (metric := _answer_metric(text)) is not None]
        comments = [text for text in texts if _answer_metric(text) is None and _asked_comment(text)]
        metrics = [metric for _text, metric in ratings]
        if ratings and len(ratings) + len(comments) >= 2 and len(set(metrics)) == len(metrics):
            return name, ratings, comments, [t for t in texts if t not in dict(ratings) and t not in comments]
    return None


def _sql_text(text: str) -> str:
    """A text as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _one_survey(kind: str, missing: Sequence[str], seen: Mapping[str, int], unknown: Sequence[str]) -> str | None:
    """The hint for an export of one survey's answers (Delighted's, Hotjar's, an NPS tool's: 'Score',
    'Comment', 'Created At'), which names no metric: the column to add."""
    if kind != "responses table" or "metric" not in missing:
        return None
    if "score" not in seen and not any(_survey_name(u) == "score" for u in unknown):
        return None
    if "touchpoint" in missing:
        return ("an export of one survey's answers names no touchpoint nor metric: add a column 'touchpoint' holding the"
                " touchpoint's id and a column 'metric' holding nps, csat or ces, on each row")
    return "an export of one survey's answers names no metric: add a column 'metric' that names it on each row: nps, csat or ces"


def _other_kind(kind: str, missing: Sequence[str], seen: Mapping[str, int]) -> str | None:
    """The hint for survey answers given as a metrics table (a ``score`` column where ``value`` is
    missing), or a metrics table given as survey answers: the option that reads it."""
    if kind == "metrics table" and list(missing) == ["value"] and "score" in seen:
        return "its 'score' column holds survey answers, not metric values: give the file with --responses"
    if kind == "responses table" and list(missing) == ["score"] and "value" in seen:
        return "its 'value' column holds metric values, not survey answers: give the file with --metrics"
    return None


def _wide(name: str, kind: str, missing: Sequence[str], header: Sequence[str], unknown: Sequence[str],
          written_as: Mapping[str, str]) -> str | None:
    """The hint for a metrics table written wide, a column a period, as a BI tool's pivot or a dashboard
    exports it ('touchpoint,metric,2026-01,2026-02,2026-03'): the statement that writes it long."""
    from .summary import _PERIOD_FORMS, LABEL_FORMS, canonical_period, period_key

    if kind != "metrics table" or list(missing) != ["value"] or "period" in header or "date" in header:
        return None

    def is_period(column: str) -> bool:
        label, why = canonical_period(written_as.get(column, column))
        key = period_key(label)
        return why is not None or any(form.fullmatch(key) for form in LABEL_FORMS) or (
            len(key) > 10 and any(form.fullmatch(key[:10]) for form in _PERIOD_FORMS))

    periods = [c for c in unknown if is_period(c)]
    if len(periods) < 2:
        return None
    kept = ", ".join('"' + written_as.get(c, c).replace('"', '""') + '"' for c in header if c not in periods)
    shown = ", ".join(f"'{_shown(written_as.get(c, c))}'" for c in periods[:3]) + (", ..." if len(periods) > 3 else "")
    source = _sql_source(name)
    return (f"its columns {shown} are periods: the table is wide, a column a period; write it long, a row a touchpoint,"
            " metric and period, with the period in a 'period' column and the number in a 'value' column (with DuckDB:"
            f" COPY (UNPIVOT {source} ON COLUMNS(* EXCLUDE ({kept})) INTO NAME period"
            " VALUE value) TO 'long.csv')")


def _wide_metrics(name: str, kind: str, missing: Sequence[str], unknown: Sequence[str], written_as: Mapping[str, str]) -> str | None:
    """The hint for a metrics table written wide, a column a metric, as Looker and Power BI export a touchpoint's measures
    ('Touchpoint,Avg CSAT,NPS,Responses'): the statement that writes it long, each column named as its metric's id."""
    from . import metric_of_column

    if kind != "metrics table" or sorted(missing) != ["metric", "value"]:
        return None
    named = [(written_as.get(c, c), metric) for c in unknown if (metric := metric_of_column(written_as.get(c, c))) is not None]
    # a column with a unit in its name ('Response time (min)') would lose it with the name: 5 minutes read as 5 seconds
    metrics = [(column, metric) for column, metric in named if not _NOTE.search(column)]
    if not metrics:
        return None
    noted = [column for column, _metric in named if _NOTE.search(column)]
    shown = ", ".join(f"'{_shown(column)}'" for column, _metric in metrics)
    on = ", ".join(_sql_name(column) + f" AS {metric}" for column, metric in metrics)
    source = _sql_source(name)
    if noted:
        source = f"(SELECT * EXCLUDE ({', '.join(_sql_name(column) for column in noted)}) FROM {source})"
    left = ", ".join(f"'{_shown(column)}'" for column in noted)
    return (f"its columns {shown} are metrics: the table is wide, a column a metric; write it long, a row a touchpoint and"
            " metric, with the metric's id in a 'metric' column and the number in a 'value' column (with DuckDB:"
            f" COPY (UNPIVOT {source} ON {on} INTO NAME metric VALUE value) TO 'long.csv')"
            + (f"; {left} {'is' if len(noted) == 1 else 'are'} left out: the unit in a column's name would be lost with it;"
               " write such numbers with their unit (5m, 72%) in rows of their own" if noted else ""))


def _answer_metric(column: str) -> str | None:
    """The metric whose answers a survey export's column holds, named for it ('NPS', 'CSAT Score', Medallia's 'LTR' and
    'OSAT') or as its question ('How likely are you to recommend us?'), or None."""
    from . import metric_of_column

    if _survey_name(column) == "comment":  # Medallia's 'Likelihood to Recommend Comment'
        return None
    if (metric := metric_of_column(column)) in ("nps", "csat", "ces"):
        return metric
    key = squeezed(column).lower()
    if key in ("ltr", "likelihoodtorecommend"):
        return "nps"
    if key == "osat":
        return "csat"
    if (foreign := _foreign_question(column)) is not None:
        return foreign
    if _SCORE_HEADER.fullmatch(_question(column)):
        text = column.lower()
        for word, metric in (("recommend", "nps"), ("satisf", "csat"), ("effort", "ces"), ("easy", "ces")):
            if word in text:
                return metric
    return None


def _wide_answers(name: str, kind: str, missing: Sequence[str], unknown: Sequence[str],
                  written_as: Mapping[str, str]) -> str | None:
    """The hint for survey answers exported wide, a row a respondent and a column a question ('NPS', 'CSAT', or the
    questions' texts), as survey tools export them: the statement that writes them long, a row an answer, each column
    named as its metric's id. It was told to read one of them as the score, which lost the others."""
    if kind != "responses table" or "metric" not in missing or "score" not in missing:
        return None
    questions = [(written_as.get(c, c), metric) for c in unknown if (metric := _answer_metric(written_as.get(c, c)))]
    metrics = [metric for _column, metric in questions]
    if not questions or len(set(metrics)) < len(metrics):  # two columns of one metric: touchpoints of their own
        return None
    said = (f"its columns {', '.join(repr(_shown(column)) for column, _metric in questions)} are answers to the metrics"
            f" {', '.join(metrics)}: the file is wide, a column a question; write it long")
    if len(questions) == 1:
        if _survey_name(questions[0][0]) == "score":  # 'NPS', 'Rating': told the option that reads it as the score
            return None
        said = (f"its column '{_shown(questions[0][0])}' holds answers to the metric {metrics[0]}, and no column names the"
                " metric: write the file long")
    renames: dict[str, str] = {}  # journeymap's column: the export's column for it ('Completion time' the date)
    for column in sorted(unknown, key=lambda c: not _asked_comment(written_as.get(c, c))):
        meant = _survey_name_beside(written_as.get(column, column), [written_as.get(c, c) for c in unknown])
        if (meant in ("respondent", "date", "comment") and meant not in renames and meant not in written_as
                and written_as.get(column, column) not in dict(questions)):
            renames[meant] = written_as.get(column, column)
    order = [written_as.get(c, c) for c in unknown]
    renames = dict(sorted(renames.items(), key=lambda item: order.index(item[1])))  # in the header's order
    # each row's comment is on each of its answers' rows: with no respondent column, its row number is the respondent
    numbered = (len(questions) > 1 and ("comment" in renames or "comment" in written_as) and "respondent" not in renames
                and "respondent" not in written_as)
    return (f"{said}, a row an answer, with the metric's id in a 'metric' column and the answer in a 'score' column"
            f" (with DuckDB: {_unpivot_answers(name, questions, 'touchpoint' in missing, renames=renames, numbered=numbered)})")


def _reads_as_written(path: Path, header_line: int, problems: list[Problem]) -> list[Problem]:
    """``problems`` with the DuckDB statements their hints give (a wide file's UNPIVOT) reading the file as journeymap
    does: a UTF-16 export ('Unicode Text') with its encoding, which DuckDB does not find alone ("It was not possible to
    automatically detect the CSV parsing dialect"), Excel's 'sep=;' line above the header skipped, which DuckDB
    took for the header, and a file in a code page (``--data-encoding``) converted to UTF-8 first, which DuckDB
    refused ("Invalid unicode")."""
    from dataclasses import replace

    from .encoding import utf8_for_duckdb
    from .engines.rows import utf16_bom

    if (converted := utf8_for_duckdb(path)) is not None:  # --data-encoding: read through a copy, DuckDB reads the file
        line, utf8, encoding = converted
        name = _display(path)
        problems = [replace(p, hint=p.hint.replace(_sql_source(name), _sql_source(utf8)).replace(
            "(with DuckDB: ", f"(convert the file to UTF-8 first, as DuckDB does not read {encoding}: {line}; then with"
            " DuckDB: ")) if p.code == "missing-column" and p.hint else p for p in problems]
    options = []
    if path.suffix.lower() != ".gz":
        with open(path, "rb") as file:
            if utf16_bom(file.read(4)) is not None:
                options.append("encoding='utf-16'")
    if header_line > 1:
        options.append(f"skip={header_line - 1}")
    if not options:
        return problems
    reads = ", ".join(["all_varchar=true", *options]) + ")"
    return [replace(p, hint=p.hint.replace("all_varchar=true)", reads)) if p.code == "missing-column" and p.hint else p
            for p in problems]


def _unpivot_answers(name: str, questions: Sequence[tuple[str, str]], touchpoint: bool, skip: int = 0, *,
                     renames: Mapping[str, str] | None = None, numbered: bool = False) -> str:
    """The DuckDB statement that writes a wide survey export long (:func:`_wide_answers`): each of its ``questions``'
    columns (column, metric) a row with the metric's id, with a touchpoint column to fill in when ``touchpoint``, and
    the ``skip`` rows under the header (a Qualtrics export's question texts and import ids) left out. ``renames``
    (journeymap's column: the export's) names the export's respondent, date and comment columns as journeymap's
    (Microsoft Forms' 'Completion time'), which the written file needed an option each to read; ``numbered``: each
    row's number is its respondent (an export with comments and no respondent column: a comment, on each of its
    answers' rows, counted once a question, 16 comments for 8)."""
    on = ", ".join(_sql_name(column) + f" AS {metric}" for column, metric in questions)
    source = _sql_source(name)
    if skip:
        source = f"(SELECT * FROM {source} OFFSET {skip})"
    if numbered:
        source = f"(SELECT row_number() OVER () AS respondent, * FROM {source})"
    unpivot = f"UNPIVOT {source} ON {on} INTO NAME metric VALUE score"
    named = list((renames or {}).items())
    columns = [*(["'TOUCHPOINT' AS touchpoint"] if touchpoint else []),
               *(f"{_sql_name(column)} AS {meant}" for meant, column in named)]
    if not columns:
        return f"COPY ({unpivot}) TO 'long.csv'"
    rest = f"* EXCLUDE ({', '.join(_sql_name(column) for _meant, column in named)})" if named else "*"
    return (f"COPY (SELECT {', '.join(columns)}, {rest} FROM ({unpivot})) TO 'long.csv'"
            + (", with the touchpoint's id for TOUCHPOINT" if touchpoint else ""))


def _sql_name(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _sql_source(name: str) -> str:
    """The file ``name`` as the source of a hint's DuckDB statement: a Parquet file as it is, a CSV file read with every
    cell as text (as journeymap reads it), the name quoted as an SQL string."""
    quoted = "'" + name.replace("'", "''") + "'"
    return quoted if name.lower().endswith(".parquet") else f"read_csv({quoted}, all_varchar=true)"


#: A grid question's column, as Google Forms writes one a row of the grid: 'How satisfied were you? [Checkout]'.
_GRID_COLUMN = re.compile(r"(.*\S)\s*\[([^\]]+)\]\s*")


def _grid(name: str, kind: str, missing: Sequence[str], header: Sequence[str], unknown: Sequence[str],
          written_as: Mapping[str, str]) -> str | None:
    """The hint for survey answers exported as a grid question (Google Forms' multiple-choice grid: a column a row
    of the grid, 'How satisfied were you with each step? [Checkout]', several touchpoints on a row): the statement
    that writes it long, a row an answer. It was told to read one of the grid's columns as the score."""
    if kind != "responses table" or "touchpoint" not in missing or "score" not in missing:
        return None
    questions: dict[str, list[str]] = {}
    for column in unknown:
        if (grid := _GRID_COLUMN.fullmatch(written_as.get(column, column))) is not None:
            questions.setdefault(grid[1], []).append(column)
    columns = max(questions.values(), key=len, default=[])
    if len(columns) < 2:
        return None
    shown = ", ".join(f"'{_shown(written_as.get(c, c))}'" for c in columns[:2]) + (", ..." if len(columns) > 2 else "")
    source = _sql_source(name)
    return (f"its columns {shown} are a grid question's, a column a touchpoint: write it long, a row an answer with its"
            " touchpoint, metric and score (with DuckDB: COPY (SELECT regexp_extract(touchpoint, '\\[([^\\]]*)\\]\\s*$', 1)"
            " AS touchpoint, 'csat' AS metric, * EXCLUDE (touchpoint) FROM (UNPIVOT"
            f" {source} ON COLUMNS('\\]\\s*$') INTO NAME touchpoint VALUE score)) TO 'long.csv'; then"
            " write each touchpoint's id for its label in brackets, and the grid's metric, nps, csat or ces, for 'csat')")


# Each row: its line, its cells, and where the cells start (a list) or the raw line to work that out from.
_Records = tuple[int, list[str], list[tuple[int, list[str], list[int] | str]], str | None]
"""(the header's line, its cells, the rows, the header's text as written: None for Parquet)."""


def _read_csv(path: Path, name: str, whole: Callable[[Mapping[str, str], str], bool] | None = None,
              kind: str = "data") -> tuple[_Records | None, list[Problem], str]:
    try:
        raw = read_bytes(path)
    except FileNotFoundError:
        return None, [Problem(Span(name), "io", "file not found")], ","
    except IsADirectoryError:
        return None, [Problem(Span(name), "io", "is a directory, not a file")], ","
    except OSError as exc:
        return None, [Problem(Span(name), "io", f"cannot read the file: {exc.strerror or exc}")], ","
    gzip_cut: list[Problem] = []  # a gzip file cut short
    if path.suffix.lower() == ".gz" and raw.startswith(b"\x1f\x8b"):
        # A table exported compressed (``responses.csv.gz``): read as the text it holds, lines
        # and columns counted in that text, as for a compressed event log.

        held, gzip_cut = _gunzip(name, raw)
        if held is None:  # nothing of its text: damaged from its start, or cut short inside its first line
            return None, gzip_cut, ","
        raw = held
    from .engines.locate import padding_of, padding_warning
    from .engines.rows import nul_file, utf16_bom, utf16_error, utf16_padding, utf16_problem

    if raw[:1] in (b"\x00", b"\r", b"\n", b" ", b"\t") and b"\x00" in raw and not raw.strip(b"\x00 \t\r\n"):
        # a copy or a download that never finished: its 'header' was '\x00\x00...', a missing column
        return None, [nul_file(name, True, what="file")], ","

    wide = utf16_bom(raw)  # Excel's 'Unicode Text', Qualtrics' and SurveyMonkey's 'Excel-compatible' exports
    # NULs or a DOS end-of-file mark after the last row: read without them, with a word (not in UTF-16, whose
    # last line break ends in a NUL byte)
    padding = None if wide else padding_of(path)
    if padding is not None:
        raw = raw[: padding.start]
    not_utf8 = False  # bytes that are not UTF-8 past the file's start: their rows are errors, not read
    cut_short: list[Problem] = []  # a file that ends inside a character
    if wide is not None:
        body = raw[2:]
        end = utf16_padding(body)
        if end is not None and body[:end].strip(b"\x00 \t\r\n"):  # padding after text (a file of NULs only is not text)
            body = body[:end]
        else:
            end = None
        try:
            text = body.decode(wide)
        except UnicodeDecodeError as exc:
            return None, [utf16_error(name, body, wide, exc)], ","
        if end is not None:
            padding = utf16_padding_place(text, raw, 2 + end)
    else:
        if (utf16 := utf16_problem(name, raw[:64], "UTF-8")) is not None:
            return None, [utf16], ","
        if (joined := _gzip_joined(name, raw)) is not None:  # its NULs are no padding after the rows: they are its own
            raw, cut_short, padding = raw[: joined[0]], [joined[1]], None
        elif (cut_at := _cut_in_a_character(name, raw)) is not None:
            raw, cut_short = raw[: cut_at[0]], [cut_at[1]]
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start < TEXT_HEAD:  # the start decides whether the file is text at all (a Latin-1 export)
                # utf-8-sig counts from after a byte-order mark: the byte 0x63 ('c') was named for the 0xE9 of 'café'
                mark = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
                first_bad = exc.start + mark
                line = raw[:first_bad].count(b"\n") + 1
                start = max(raw.rfind(b"\n", 0, first_bad) + 1, mark)
                col = len(raw[start:first_bad].decode("utf-8")) + 1  # in characters, as every other problem's column
                from .engines.rows import not_utf8_problem

                return None, [not_utf8_problem(name, line, col, raw, first_bad, "UTF-8")], ","
            # A row further on (a comment pasted from a Windows program): that row is an error at its
            # byte, as an event log's is, and the others are read. Each bad byte is one stand-in
            # character (U+DC80..U+DCFF), so lines, quotes and columns are as written.
            text, not_utf8 = raw.decode("utf-8-sig", errors="surrogateescape"), True
    if not text.strip():
        said = "the file is empty"
        if text.lstrip("\ufeff"):  # what an editor shows its author: lines
            count = len(re.split(r"\r\n|\r|\n", text.lstrip("\ufeff").rstrip(" \t"))) - bool(re.search(r"[\r\n]$", text.rstrip(" \t")))
            said = f"the file holds only blank lines ({count:,} line{'s' * (count != 1)}): no header and no rows"
        return None, [Problem(Span(name, 1, 1), "empty", said, "the first line names the columns")], ","
    if (json_text := json_instead(name, text)) is not None:
        return None, [json_text], ","
    from .engines.rows import page_instead

    if (page := page_instead(name, text[:4096], "answers" if kind == "responses table" else "table")) is not None:
        return None, [page], ","
    lines = re.split(r"\r\n|\r|\n", text)
    # Excel's 'sep=;' line names the delimiter, and the header is the line below it
    named = separator_line(lines[0])
    delimiter = named or _delimiter(lines[0])
    # A survey comment can be longer than the csv module's default 128 KiB cell limit; the
    # readers cut what they analyse, and a cell can be no larger than the file anyway.
    csv.field_size_limit(max(csv.field_size_limit(), len(text) + 1))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str], list[int] | str]] = []
    not_read: list[Problem] = []  # rows with bytes that are not UTF-8
    header: list[str] | None = None
    header_text: str | None = None
    header_line = header_end = 1
    try:
        while True:
            start = reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            # The row's text, its cells' places worked out when a problem needs one: a quoted cell
            # holding a line break makes the row span several lines.
            single = reader.line_num == start and start - 1 < len(lines)
            row_text = lines[start - 1] if single else "\n".join(lines[start - 1 : reader.line_num])
            columns: list[int] | str = row_text
            if header is None:
                if named is not None and start == 1:
                    continue  # the separator line
                if not any(c.strip() for c in cells):
                    continue
                if not_utf8 and _BAD_BYTE.search("".join(cells)):  # a header line past 64 KiB
                    at = _BAD_BYTE.search(text)
                    assert at is not None
                    line = text.count("\n", 0, at.start()) + 1
                    from .engines.rows import not_utf8_problem

                    return None, [not_utf8_problem(
                        name, line, at.start() - (text.rfind("\n", 0, at.start()) + 1) + 1, bytes([ord(at.group()) - 0xDC00]), 0,
                        "UTF-8")], delimiter
                header, header_line, header_end, header_text = cells, start, reader.line_num, row_text
                continue
            if not_utf8 and (bad := _BAD_BYTE.search(row_text)) is not None:
                offset, column = _place(row_text, bad.start())
                from ..sniff import as_windows_1252
                from .engines.rows import convert_hint

                byte = ord(bad.group()) - 0xDC00
                convert = convert_hint(name).split("; ", 1)[1]
                not_read.append(Problem(
                    Span(name, start + offset, column), "encoding",
                    f"this row is not UTF-8 text (byte 0x{byte:02x}{as_windows_1252(byte)}); it is not read",
                    f"save the file as UTF-8 (in Excel: 'CSV UTF-8'), or write the row's text again in UTF-8; {convert}",
                ))
                continue
            if cells and cells[0].startswith("\ufeff"):
                # files each saved with a byte-order mark, joined with cat: the mark starts a line in the middle
                cells = [cells[0].lstrip("\ufeff"), *cells[1:]]
                # the header again is told as such, and a line of the mark alone is a blank line
                if [column_key(c) for c in cells] != [column_key(c) for c in header] and "".join(cells).strip():
                    not_read.append(bom_row_problem(Span(name, start, 1)))
            rows.append((start, cells, columns))
    except csv.Error as exc:
        return None, [Problem(Span(name, reader.line_num, 1), "csv", f"cannot read the CSV: {exc}")], delimiter
    if header is None:
        count = len(lines) - (lines[-1] == "")
        said = (f"the file holds only Excel's separator line ({lines[0].lstrip(chr(0xFEFF)).strip()}): no header and no rows"
                if named is not None else
                f"the file holds only empty cells ({count:,} line{'s' * (count != 1)} of separators): no header and no rows")
        return None, [Problem(Span(name, 1, 1), "empty", said, "the first line names the columns")], delimiter
    if not rows and header_end > header_line and _never_closed(lines[header_line - 1 :], delimiter):
        # A stray quote in the header: the csv module took every line after it into one header cell.
        end = len(lines) - (lines[-1] == "")
        return None, [Problem(
            Span(name, header_line, 1), "unclosed-quote",
            f"a quoted column name on line {header_line} is never closed: lines {header_line}-{end} would be the header;"
            " no row is read", "close the quote, or remove it (a column name needs none)",
        )], delimiter
    problems: list[Problem] = not_read + cut_short + gzip_cut
    tail = max(header_end, len(lines) - SUMMARY_LINES)
    if (summary := summary_block(lines[tail:], delimiter)) is not None:
        blank = tail + summary[0] + 1  # the file's line
        starts = {line for line, _cells, where in rows if isinstance(where, str) and "\n" not in where}
        if all(line in starts for line in range(tail + summary[1] + 1, tail + summary[2] + 2)):  # rows of their own
            rows = [row for row in rows if row[0] < blank]
            problems.append(summary_problem(name, tail + 1, *summary))
    rows, middle = _middle_summaries(name, rows, header, delimiter)
    problems[len(not_read):len(not_read)] = middle
    if rows and isinstance(rows[-1][2], str) and (opened := open_quote(rows[-1][2], delimiter)) is not None:
        # The last row's quote is never closed: the csv module quietly reads the row as it is (a file cut inside a
        # comment: 'Great service' and its score counted), or takes every line after it into one cell. Say so, at
        # the quote: the row (and those lines) are not read.
        start, where = rows[-1][0], rows[-1][2]
        below, col = _place(where, opened)
        end = len(lines) - (lines[-1] == "")
        while end > start + below and not lines[end - 1].strip():
            end -= 1  # blank lines below the cut are no row
        rows.pop()
        said = (f"the file ends inside it (line {start + below} is its last), as a file cut short ends (a download or a copy"
                " interrupted); the row is not read" if end == start + below else
                f"lines {start}-{end} would be one row; they are not read")
        problems.append(Problem(
            Span(name, start + below, col), "unclosed-quote", f"a quoted cell on line {start + below} is never closed: {said}",
            "close the quote (a quote inside a cell is written twice: \"\")" if end > start + below else
            "download or export the file again; if the row is whole, close the quote (a quote inside a cell is written"
            " twice: \"\")",
        ))
    elif (cut := _cut_short(name, text, rows, header, whole)) is not None:
        rows.pop()
        problems.append(cut)
    if padding is not None:
        problems.append(padding_warning(name, padding, path.suffix.lower() == ".gz", path))
    return (header_line, header, rows, header_text), problems, delimiter


def bom_row_problem(span: Span) -> Problem:
    """The warning for a row whose line starts with a byte-order mark after the file's start, read without it."""
    return Problem(
        span, "byte-order-mark",
        "this line starts with a byte-order mark (U+FEFF), which only a file's start holds (files each saved with one,"
        " joined with cat): the row is read without it",
        "nothing is lost; sed '2,$s/^\\xEF\\xBB\\xBF//' FILE > NEW takes the marks out", level="warning")


def utf16_padding_place(text: str, raw: bytes, start: int) -> Padding:
    """The padding after the last row of a UTF-16 file (``raw``, read as ``text`` up to it; ``start``: its first
    byte), placed at the line and character where it starts, its NULs and marks counted in bytes."""
    from .engines.locate import Padding

    breaks = re.findall(r"\r\n|\r|\n", text)
    col = len(text) - max(text.rfind("\n"), text.rfind("\r"))
    run = raw[start:]
    return Padding(start, run.count(b"\x00"), run.count(b"\x1a"), len(breaks) + 1, col)


#: The first cell of a row of the summary a spreadsheet or a survey tool writes below the rows (SurveyMonkey's 'answered
#: question' and 'skipped question', Excel's and Google Sheets' totals and averages).
_SUMMARY_LABEL = re.compile(
    r"(?i)\s*(?:(?:grand[ _-]?)?totals?|sum|average|avg\.?|mean|median|count|min(?:imum)?|max(?:imum)?|variance"
    r"|st(?:an)?d(?:ard)?\.?[ _-]?dev(?:iation)?\.?|stdev|(?:total )?responses|respondents|(?:answered|skipped)(?: question)?"
    # a survey tool's (SurveyMonkey's 'Average Rating', 'Weighted Average') and a statistics tool's ('N', 'Std. Error')
    r"|(?:weighted |rating )?average(?: rating| score)?|mean score|n|mode|range|st(?:an)?d(?:ard)?\.?[ _-]?err(?:or)?\.?"
    # German, French, Spanish and Dutch Excel's: 'Summe', 'Mittelwert', a pivot table's 'Gesamtergebnis', 'Moyenne'
    r"|summe|gesamt(?:summe|ergebnis)?|mittelwert|durchschnitt|anzahl|somme|moyenne|suma|promedio|media|totaal|gemiddelde"
    r"|aantal"
    # Excel's Data > Subtotal names each group's row after its value: 'choose-delivery-slot Total', German '... Ergebnis',
    # French 'Total ...', 'Total général'
    r"|\S[^,;\t]*?\s(?:total|count|average|sum|max|min|ergebnis|anzahl|summe|mittelwert)|(?:total|moyenne|nombre|somme)\s\S[^,;\t]*)"
    r"\s*:?\s*")
#: A cell of a summary row besides its label: a number as a spreadsheet shows it ('1,240', '7.9', '72%'), or nothing.
_SUMMARY_CELL = re.compile(r"\s*(?:[-+]?[0-9][0-9,.\s]*%?)?\s*")
#: The lines of a file's end looked through for a summary below its rows.
SUMMARY_LINES = 50


def summary_block(lines: Sequence[str], delimiter: str) -> tuple[int, int, int, list[str]] | None:
    """The summary a spreadsheet or a survey tool writes below a table's rows, after blank rows or none, among the
    file's last ``lines`` below its header (as written, without their line ends): ``(first blank, first summary line,
    last summary line, labels)``, 0-based in ``lines`` (the first blank is the first summary line when no blank row
    is between them), or None. Told only when sure: a row is above, every line from the blank ones to the end is blank
    or a row of a summary label and numbers (no answer nor table row: those name a touchpoint and a metric), and none
    holds a quote that could belong to a cell above.

    >>> summary_block(["x,1,2", "", "Total,,3", "Average,,1.5", ""], ",")
    (1, 2, 3, ['Total', 'Average'])
    """
    end = len(lines)
    while end and not lines[end - 1].strip():
        end -= 1
    first = end
    labels: list[str] = []
    while first and (label := _summary_label(lines[first - 1], delimiter)) is not None:
        labels.append(label)
        first -= 1
    blank = first
    while blank and not lines[blank - 1].strip(" \t" + delimiter):
        blank -= 1
    if first == end or blank == 0:  # no summary, or no row above it
        return None
    return blank, first, end - 1, labels[::-1]


def _summary_label(line: str, delimiter: str) -> str | None:
    """The label of a summary row ('Total,,,1240', or quoted as Power BI and Tableau quote every cell: '"Total","","1240"'),
    or None. (A quoted line may belong to a cell above: the row reader reads it as a summary only where it starts a row.)"""
    lead = len(line) - len(line.lstrip(" \t" + delimiter))
    if line.count('"') % 2:
        return None
    cells = next(csv.reader([line[lead:]], delimiter=delimiter), [])
    if not cells or not _SUMMARY_LABEL.fullmatch(cells[0]) or not all(_SUMMARY_CELL.fullmatch(c) for c in cells[1:]):
        return None
    return cells[0].strip()


def _cut_short(name: str, text: str, rows: Sequence[tuple[int, list[str], list[int] | str]], header: Sequence[str],
               whole: Callable[[Mapping[str, str], str], bool] | None = None) -> Problem | None:
    """The error for a file cut short in its last row (a download or a copy interrupted): no line end after it, fewer
    cells than the header when every other row has them all. Its last cell may be cut too (an NPS of '10' cut to '1',
    a date '2026-01-0'), so it is not read; unless ``whole`` says that cell is a whole value (a date that reads, a CSAT
    of 4: a row typed by hand without its last, empty cells)."""
    width = len(header)
    if not rows or text.endswith(("\n", "\r")):
        return None
    line, cells, where = rows[-1]
    if not isinstance(where, str) or "\n" in where or len(cells) >= width or not "".join(cells).strip():
        return None
    others = [row_cells for _line, row_cells, _where in rows[:-1] if "".join(row_cells).strip()]
    if not others or any(len(row_cells) < width for row_cells in others):  # rows that end early are this file's way
        return None
    names = [column_key(h) for h in header]
    if whole is not None and cells[-1].strip() and whole(dict(zip(names, cells, strict=False)), names[len(cells) - 1]):
        return None
    return Problem(
        Span(name, line, len(where) + 1), "cut-short",
        f"the file ends in the middle of line {line}: it has {len(cells)} of the header's {width} cells and no line end,"
        " as a file cut short (a download or a copy interrupted) ends; the row is not read, and rows after it may be missing",
        "download or export the file again; if the row is whole, end it with a line end (its missing cells are then empty)",
    )


def _summary_cells(cells: Sequence[str]) -> str | None:
    """The label of a row's cells when they are a summary row's (a summary label first, blanks before it, and numbers or
    blanks after it: 'Total', '', '1,240'), else None. Cheap for the rows that are not: their first cell decides."""
    for k, cell in enumerate(cells):
        if cell.strip():
            if _SUMMARY_LABEL.fullmatch(cell) and all(_SUMMARY_CELL.fullmatch(c) for c in cells[k + 1:]):
                return cell.strip()
            return None
    return None


def summary_like(cells: Mapping[str, str], first_kept: bool) -> bool:
    """Whether the cells a reader keeps of a row (some of its columns) could be a summary row's: each a summary label, a
    number or blank, and a label among them or, when the file's first column is not kept (``first_kept`` false) and
    may hold the label, no touchpoint nor metric and a number. An engine that does not see a row's every cell leaves
    a file holding such a row to the row reader, which does (:func:`_middle_summaries`)."""
    filled = [cell.strip() for cell in cells.values() if cell.strip()]
    if not filled or not all(_summary_kind(c) for c in filled):
        return False
    return any(_summary_kind(c) == 2 for c in filled) or not (
        first_kept or cells.get("touchpoint", "").strip() or cells.get("metric", "").strip())


@lru_cache(maxsize=4096)
def _summary_kind(cell: str) -> int:
    """1 for a summary row's number (or blank), 2 for its label, 0 for neither. Cached: an engine asks it of each
    combination of cells (25,536 in a million answers), whose distinct cells are a few hundred."""
    return 1 if _SUMMARY_CELL.fullmatch(cell) else 2 if _SUMMARY_LABEL.fullmatch(cell) else 0


def _middle_summaries(
    name: str, rows: list[tuple[int, list[str], list[int] | str]], header: Sequence[str], delimiter: str,
) -> tuple[list[tuple[int, list[str], list[int] | str]], list[Problem]]:
    """The rows without the summaries a spreadsheet or a survey tool writes below rows that have more rows below them
    (two exports, or two waves of one survey, pasted one below the other), and a ``summary-rows`` warning for each.

    A summary here is a block of rows of its own on lines one after another, each a summary label and numbers or
    blanks alone (:func:`summary_block`'s rows; a row that also names a metric or holds a word is never one), with a
    row to read above it and one below it (the blocks ending a file are :func:`summary_block`'s)."""
    blocks: list[list[tuple[int, str]]] = []
    for k, (line, cells, where) in enumerate(rows):
        if not isinstance(where, str) or "\n" in where or (label := _summary_cells(cells)) is None:
            continue
        if _summary_label(where, delimiter) is None:  # a quote in it: it may belong to a cell above
            continue
        if blocks and blocks[-1][-1][0] == line - 1 and rows[k - 1][0] == line - 1:
            blocks[-1].append((line, label))
        else:
            blocks.append([(line, label)])
    if not blocks:
        return rows, []
    from bisect import bisect_left, bisect_right

    filled = [k for k, (_line, cells, _where) in enumerate(rows) if "".join(cells).strip()]
    starts = [rows[k][0] for k in filled]  # in order: the lines of the rows that are not blank
    repeated = [column_key(h) for h in header]
    out: set[int] = set()
    problems: list[Problem] = []
    for block in blocks:
        first, last = block[0][0], block[-1][0]
        after = bisect_right(starts, last)
        if bisect_left(starts, first) == 0 or after == len(starts):  # at the top no rows were exported yet; at the
            continue  # end, summary_block decides
        below = starts[after]
        out.update(line for line, _label in block)
        labels = [label for _line, label in block]
        shown = ", ".join(f"'{_shown(label)}'" for label in labels[:3]) + (", ..." if len(labels) > 3 else "")
        one = first == last
        header_again = [column_key(c) for c in rows[filled[after]][1]] == repeated
        problems.append(Problem(
            Span(name, first, 1), "summary-rows",
            f"{f'line {first}' if one else f'lines {first}-{last}'} between rows ({shown}) {'is' if one else 'are'} a"
            " summary a spreadsheet or survey tool writes below rows (a subtotal, or exports pasted one below another),"
            f" not rows to read: {'it is' if one else 'they are'} left out, and the rows below {'it' if one else 'them'}"
            " are read",
            f"delete {'it' if one else 'them'}: sed -i '{first},{last}d" + (f";{below}d" if header_again else "")
            + f"' FILE deletes {'it' if one else 'them'}" + (f" and the header repeated on line {below}" if header_again else "")
            + "; or export the rows without subtotals or summaries",
            level="warning",
        ))
    return [row for row in rows if row[0] not in out], problems


def summary_problem(name: str, first_line: int, blank: int, first: int, last: int, labels: Sequence[str]) -> Problem:
    """The warning for a summary below a table's rows (:func:`summary_block`), at file lines counted from ``first_line``."""
    shown = ", ".join(f"'{_shown(label)}'" for label in labels[:3]) + (", ..." if len(labels) > 3 else "")
    blanks = f"line {first_line + blank}" if first - blank == 1 else f"lines {first_line + blank}-{first_line + first - 1}"
    span = f"line {first_line + first}" if first == last else f"lines {first_line + first}-{first_line + last}"
    where = f"after the blank {blanks}" if blank < first else "below the last row"
    one = first == last
    return Problem(
        Span(name, first_line + first, 1), "summary-rows",
        f"{span} {where} ({shown}) {'is' if one else 'are'} a summary a spreadsheet or survey"
        f" tool writes below the rows, not rows to read: {'it is' if one else 'they are'} left out",
        f"delete {'it' if one else 'them'}, or export the rows alone: head -n {first_line + blank - 1} FILE > NEW keeps the"
        f" lines above {'it' if one else 'them'}",
        level="warning",
    )


#: Bytes that are not UTF-8 in this much of a table's start make it unreadable (it is not UTF-8 text),
#: as for an event log; past it, a row with such bytes is an error and the others are read.
TEXT_HEAD = 1 << 16
def _gunzip(name: str, raw: bytes) -> tuple[bytes | None, list[Problem]]:
    """The text a gzip file holds (its members joined, as ``cat a.gz b.gz`` writes them) up to where it breaks, and the
    problem with the break, placed in that text: a member cut short or damaged part-way keeps the lines before the
    break (``cut-short``, ``gzip``); a member whose length written at its end is wrong keeps its text, which its
    check sum vouches for (a warning); one whose check sum fails, none (its text is wrong somewhere); the bytes after the last member are a warning when they are zeros, else an error
    (:func:`_after_the_gzip`). None for the text when none of it is read (damaged from its start, or cut short
    inside its first line). Each was 'the gzip file is cut short or damaged, so none of its rows are read', without
    a place, and zeros after the data were ignored without a word."""
    text: list[bytes] = []
    data, at = memoryview(raw), 0  # a view: a file of many members is not copied once a member
    while True:
        out, used, error = _inflate(data)
        text.append(out)
        if error is not None and not out and at > 0:
            break  # a member damaged from its start: told as bytes that are no gzip
        if error is not None and "data check" in error and at > 0:  # a later member's text is wrong somewhere
            held = b"".join(text[:-1])
            line, column, start = _text_end(held)
            return held, [Problem(Span(name, line, column), "gzip",
                                  f"the gzip file's member from byte {at:,} is damaged: the check sum at its end is not"
                                  f" that of the text it holds ({error}), so none of that text is read; the rows before"
                                  " it, of the members before, are", "copy or download the file again, whole (gzip -t"
                                  " checks it)")]
        if error is not None:
            return _broken_gzip(name, b"".join(text), at, error)
        if used is None:  # cut short: the rows before the cut are read, as a text file's are
            return _broken_gzip(name, b"".join(text), at, None)
        at += used
        data = data[used:]
        if data[:2] != b"\x1f\x8b":
            break
    held = b"".join(text)
    if at == len(raw):
        return held, []
    return held, [_after_the_gzip(name, held, raw[at:], at)]


_INFLATE_BLOCK = 1 << 18


def _inflate(data: bytes | memoryview) -> tuple[bytes, int | None, str | None]:
    """Decompress the gzip member ``data`` starts with: (its text, up to where it breaks; the bytes of the member, None
    when it is cut short or damaged; zlib's words for the damage, None when there is none). A block that breaks is
    decompressed again a byte at a time from the state before it, so that every byte of text before the break is
    kept, the trailer's failing check (its length, its CRC) losing none."""
    import zlib

    inflater = zlib.decompressobj(31)
    out: list[bytes] = []
    for start in range(0, len(data), _INFLATE_BLOCK):
        block = data[start : start + _INFLATE_BLOCK]
        before = inflater.copy()
        try:
            out.append(inflater.decompress(block))
        except zlib.error as exc:
            inflater = before
            for i in range(len(block)):
                try:
                    out.append(inflater.decompress(block[i : i + 1]))
                except zlib.error:
                    break
            return b"".join(out), None, str(exc).removeprefix("Error -3 while decompressing data: ")
        if inflater.eof:
            return b"".join(out), start + len(block) - len(inflater.unused_data), None
    return b"".join(out), None, None


def _text_end(held: bytes) -> tuple[int, int, int]:
    """(the line and column where the text ``held`` ends, and the byte its last line starts at)."""
    breaks = list(re.finditer(rb"\r\n|\r|\n", held))
    start = breaks[-1].end() if breaks else 0
    return len(breaks) + 1, len(held[start:].decode("utf-8", errors="replace")) + 1, start


def _broken_gzip(name: str, held: bytes, at: int, damage: str | None) -> tuple[bytes | None, list[Problem]]:
    """The text to read of a gzip file whose member from the byte ``at`` on breaks after giving the text ``held`` (all
    its members' so far), and the error placed at the break: cut short (``damage`` None) or damaged (zlib's words)."""
    line, column, start = _text_end(held)
    hint = "copy or download the file again, whole (gzip -t checks it)"
    if damage is not None and "length check" in damage:  # the CRC, checked first, holds: the text is whole
        after = f"after line {line - 1}" if start == len(held) else f"at the end of line {line}"
        return held, [Problem(Span(name, line, column), "gzip",
                              f"the gzip file's length written at its end is not that of the text it holds ({len(held):,}"
                              f" bytes, {after}), whose check sum holds: the text is read whole",
                              "nothing is lost; gzip -dc FILE | gzip > NEW.gz writes the file with its length right",
                              level="warning")]
    if damage is not None and "data check" in damage:  # deflate data damaged decompresses to other text, unchecked
        return None, [Problem(Span(name, 1, 1), "gzip",
                              "the gzip file is damaged: the check sum at its end is not that of the text it holds"
                              f" ({damage}), so its text is wrong somewhere, and none of its rows are read", hint)]
    if not held.strip():
        what = "cut short" if damage is None else f"damaged ({damage})"
        return None, [Problem(Span(name, 1, 1), "cut-short" if damage is None else "gzip",
                              f"the gzip file is {what} before any of its text, so none of its rows are read", hint)]
    if start == 0:
        what = "cut short" if damage is None else f"damaged ({damage})"
        return None, [Problem(Span(name, 1, column), "cut-short" if damage is None else "gzip",
                              f"the gzip file is {what} inside its first line, so none of its rows are read", hint)]
    ends = f"inside line {line}, which is not read" if start < len(held) else f"after line {line - 1}"
    if damage is None:
        message = (f"the gzip file is cut short (a download or a copy interrupted): the text it holds ends {ends}; the"
                   " rows before the cut are read, and any after it are missing")
    else:
        message = (f"the gzip file is damaged{f' in its member from byte {at:,}' if at else ''} ({damage}): the text"
                   f" it holds breaks off {ends}; the rows before are read, and any after it are missing")
    return held[:start], [Problem(Span(name, line, column), "cut-short" if damage is None else "gzip", message, hint)]


def _after_the_gzip(name: str, held: bytes, tail: bytes, at: int) -> Problem:
    """The problem with the bytes ``tail`` after a gzip file's members (from its byte ``at`` on), placed where the text
    they hold (``held``) ends (:func:`~.engines.rows.after_the_gzip`)."""
    from .engines.rows import after_the_gzip

    line, column, start = _text_end(held)
    return after_the_gzip(name, line, column, start == len(held), len(tail), not tail.strip(b"\x00"), at)


def _gzip_joined(name: str, raw: bytes) -> tuple[int, Problem] | None:
    """Where gzip-compressed data starts a line of a text file (``cat a.csv b.csv.gz > all.csv``), and the error at
    it, or None. The compressed bytes were an encoding error a line, each told as Windows-1252 text, and in a file's
    first 64 KiB none of its rows were read; the text above them is read."""
    import zlib

    for found in re.finditer(rb"(?:\r\n|\r|\n)\x1f\x8b\x08", raw):
        start = found.end() - 3
        try:
            if not zlib.decompressobj(31).decompress(raw[start : start + (1 << 16)], 1):
                continue
        except zlib.error:
            continue
        line = len(re.findall(rb"\r\n|\r|\n", raw[:start])) + 1
        return start, Problem(
            Span(name, line, 1), "gzip",
            f"line {line} starts gzip-compressed data ({len(raw) - start:,} bytes to the end of the file), not text: a .gz"
            " file joined to this one (cat a.csv b.csv.gz > all.csv?); it is not read, the rows above it are",
            "decompress the .gz before joining: gzip -dc b.csv.gz | tail -n +2 >> a.csv")
    return None


def _cut_in_a_character(name: str, raw: bytes) -> tuple[int, Problem] | None:
    """Where a file that ends inside a UTF-8 character (its last bytes the start of one, and no more) has its last row, and
    the ``cut-short`` error at the cut, or None: a download or a copy interrupted, as its last row shows, not a Windows
    file (the error was 'not UTF-8 text (byte 0xe2, which is â in Windows-1252...)', and in a file's first 64 KiB none
    of its rows were read). The row is not read, as a row cut short is not; the rows before it are."""
    lead = next((i for i in range(len(raw) - 1, max(len(raw) - 4, -1), -1) if raw[i] & 0xC0 != 0x80), None)
    if lead is None or raw[lead] < 0xC2 or raw[lead] > 0xF4:
        return None
    width = 2 if raw[lead] < 0xE0 else 3 if raw[lead] < 0xF0 else 4
    if len(raw) - lead >= width:
        return None
    try:
        raw[lead:].decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.reason != "unexpected end of data":
            return None
    mark = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    start = max(raw.rfind(b"\n", 0, lead) + 1, raw.rfind(b"\r", 0, lead) + 1, mark)
    line = len(re.findall(rb"\r\n|\r|\n", raw[:lead])) + 1
    column = len(raw[start:lead].decode("utf-8", errors="replace")) + 1
    cut = " ".join(f"0x{byte:02x}" for byte in raw[lead:])
    return start, Problem(
        Span(name, line, column), "cut-short",
        f"the file ends inside a character: its last bytes, {cut}, begin a UTF-8 character of {width} bytes, as a file cut"
        f" short (a download or a copy interrupted) ends; line {line} is not read",
        "copy or download the file again, whole")


#: A byte that is not UTF-8, decoded with ``surrogateescape``.
_BAD_BYTE = re.compile("[\udc80-\udcff]")


def _place(text: str, at: int) -> tuple[int, int]:
    """(lines after the first, 1-based column) of character ``at`` in a row's text."""
    before = re.split(r"\r\n|\r|\n", text[:at])
    return len(before) - 1, len(before[-1]) + 1


def open_quote(text: str, delimiter: str) -> int | None:
    """Where the quote opening a cell that is never closed is in a row's text (an offset), or None: the cells read as
    the csv module's default dialect reads them (a quote opens a cell only as its first character; inside, ``""`` is a
    quote and a quote followed by anything else closes it). Only the file's last row can end so.

    >>> open_quote('a,"b', ","), open_quote('a,"b""c",d', ","), open_quote('a,b"c', ","), open_quote('a,"b"c,"d', ",")
    (2, None, None, 7)
    """
    if '"' not in text:
        return None
    at, size, opened = 0, len(text), None
    while at < size:
        if text[at] == '"':  # a quoted cell: to its closing quote
            opened, at = at, at + 1
            while True:
                close = text.find('"', at)
                if close < 0:
                    return opened
                if text.startswith('""', close):
                    at = close + 2
                    continue
                at = close + 1
                break
        ends = [i for i in (text.find(delimiter, at), text.find("\n", at), text.find("\r", at)) if i >= 0]
        if not ends:
            return None
        at = min(ends) + 1
        if text[at - 1] == "\r" and text.startswith("\n", at):
            at += 1
    return None


def _never_closed(lines: list[str], delimiter: str) -> bool:
    """Whether the text of these lines, read strictly, has a quote that is never closed."""
    try:
        for _ in csv.reader(io.StringIO("\n".join(lines), newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error:
        return True
    return False


def json_instead(name: str, text: str) -> Problem | None:
    """The error for JSON (an array of objects, or JSON lines) named as a CSV file: read as CSV, its
    first object was a header of columns such as 'metric:"csat"', with hints to rename them."""
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0].strip()
    if not first.startswith(("{", "[")):
        return None
    import json

    try:
        whole = json.loads(text)
    except ValueError:
        whole = None
    if isinstance(whole, list) and all(isinstance(item, dict) for item in whole):
        what, convert = "a JSON array of objects", "jq -r"
    else:
        try:
            if not isinstance(json.loads(first), dict):
                return None
        except ValueError:
            return None
        what, convert = "JSON lines (one object a line)", "jq -rs"
    return Problem(
        Span(name, 1, 1), "json", f"the file is {what}, not CSV, so none of its rows are read",
        f"convert it to CSV: {convert} '(.[0] | keys_unsorted) as $k | $k, (.[] | [.[$k[]]]) | @csv' FILE > NEW.csv",
    )


def csv_records(path: Path, delimiter: str) -> Iterator[tuple[int, list[str], str]]:
    """Every row of a UTF-8 CSV file, streamed and numbered as :func:`read_table` numbers it:
    ``(line where the row starts, cells, the row's text)`` (its lines, when a quoted cell holds a
    line break: :func:`cell_places` finds a cell's line and column in it)."""
    csv.field_size_limit(max(csv.field_size_limit(), path.stat().st_size + 1))
    with open(path, encoding="utf-8-sig", newline="") as stream:
        read: list[str] = []  # the lines of the row being read

        def lines() -> Iterator[str]:
            for line in stream:
                read.append(line)
                yield line

        reader = csv.reader(lines(), delimiter=delimiter)
        while True:
            start = reader.line_num + 1
            read.clear()
            try:
                cells = next(reader)
            except StopIteration:
                return
            yield start, cells, (read[0] if len(read) == 1 else "".join(read)).rstrip("\r\n")


#: The delimiters a header may use, in the order a tie is settled: comma, then semicolon (European
#: Excel), tab (TSV) and pipe (database dumps).
def parquet_hint(what: str) -> str:
    """How to read a Parquet file without pyarrow: with DuckDB where it is installed (``--engine python`` asked for the row reader)."""
    import importlib.util

    if importlib.util.find_spec("duckdb") is not None:
        return f"use --engine duckdb, which reads Parquet; or pip install pyarrow, or export the {what} as CSV"
    return f"pip install pyarrow, or export the {what} as CSV"


DELIMITERS = (",", ";", "\t", "|")
#: Each delimiter in words, for a hint: in a file of tabs, "a cell holding a comma" misleads.
_DELIMITER_NAMES = {",": "a comma", ";": "a semicolon", "\t": "a tab", "|": "a pipe (|)"}


_SEPARATOR_LINE = re.compile(r"sep=([,;\t|])(?:\1|[ \t])*", re.IGNORECASE)


def separator_line(first_line: str) -> str | None:
    r"""The delimiter a file's first line names when it is Excel's separator line (``sep=;``, ``sep=,``, ``sep=`` and a
    tab or a pipe), which Excel writes and reads; the header is then the line below. None for another line.

    >>> separator_line("sep=;"), separator_line("\ufeffSEP=\t"), separator_line("sep=:")
    (';', '\t', None)
    """
    found = _SEPARATOR_LINE.fullmatch(first_line.lstrip("\ufeff").rstrip("\r\n"))
    return found[1] if found is not None else None


def _delimiter(first_line: str) -> str:
    """The delimiter that splits the header into the most cells, a quoted cell read whole (the first
    of :data:`DELIMITERS` on a tie). Every engine splits a file by it, so they all agree.

    A comma in a column name does not make a semicolon or tab file a comma one:

    >>> _delimiter('customer;timestamp;touchpoint;"notes (free text, optional)"')
    ';'
    """
    # a first line past csv's 128 KiB field limit (a minified HTML page, a one-line JSON array named
    # .csv) was an internal error, exit 3: it is read whole, then told for what it is
    csv.field_size_limit(max(csv.field_size_limit(), len(first_line) + 1))
    # a first row's cell may hold a quoted line break: its lines are read as one row, as the file's reader reads them
    return max(DELIMITERS, key=lambda delimiter: len(next(csv.reader(io.StringIO(first_line), delimiter=delimiter), [])))


def _cell_columns(line: str, delimiter: str) -> list[int]:
    """1-based character columns where each cell of a one-line CSV row starts."""
    starts = [1]
    quoted = False
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append(index + 2)
    return starts


def cell_places(text: str, delimiter: str) -> list[tuple[int, int]]:
    """(lines after the row's first, 1-based column) where each cell of a CSV row starts. A row
    spans lines when a quoted cell holds a line break (CRLF, LF or a lone CR: one line each)."""
    if "\n" not in text and "\r" not in text:
        return [(0, column) for column in _cell_columns(text, delimiter)]
    starts = [(0, 1)]
    quoted = False
    offset = line_start = 0
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif char == delimiter and not quoted:
            starts.append((offset, index - line_start + 2))
        elif char == "\r" or char == "\n":
            if char == "\r" and index + 1 < end and text[index + 1] == "\n":
                index += 1
            offset += 1
            line_start = index + 1
        index += 1
    return starts


def _parquet_header(path: Path) -> list[str] | None:
    """A Parquet file's column names, read by DuckDB (its schema only); None without DuckDB or for a file it cannot read."""
    import importlib.util

    if importlib.util.find_spec("duckdb") is None or not path.is_file():
        return None
    import duckdb

    from .engines.duckdb import file_literal

    try:
        with duckdb.connect() as con:
            return [str(row[0]) for row in con.execute(f"DESCRIBE SELECT * FROM read_parquet({file_literal(path)})").fetchall()]
    except duckdb.Error:
        return None


def _read_parquet(path: Path, name: str) -> tuple[_Records | None, list[Problem]]:
    """Parquet rows, numbered from 2 as if the header were line 1 (columns are 1)."""
    if path.is_file():
        from .engines.locate import parquet_start_problems

        # a CSV export under a '.parquet' name was 'reading Parquet needs pyarrow' (on DuckDB too, which had failed)
        if found := parquet_start_problems(path, name, "file"):
            return None, found
    try:
        import pyarrow.parquet as pq  # type: ignore[import-not-found]
    except ImportError:
        return None, [
            Problem(
                Span(name),
                "parquet",
                "reading Parquet needs pyarrow, which is not installed",
                parquet_hint("table"),
            )
        ]
    if not path.is_file():
        return None, [Problem(Span(name), "io", "file not found")]
    try:
        table = pq.read_table(path)
    except Exception as exc:  # pyarrow raises many types for a bad file
        return None, [Problem(Span(name), "io", f"cannot read the Parquet file: {exc}")]
    header = [str(c) for c in table.column_names]
    columns = [table.column(c).to_pylist() for c in table.column_names]
    rows: list[tuple[int, list[str], list[int] | str]] = []
    for index in range(table.num_rows):
        cells = ["" if col[index] is None else str(col[index]) for col in columns]
        rows.append((index + 2, cells, [1] * len(cells)))
    return (1, header, rows, None), []


@contextmanager
def bulk() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while reading millions of rows.

    Rows are lists and tuples that hold no cycles; without this the collector
    walks the growing heap again and again (a third of the time of reading a
    million survey answers).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def group_first(rows: Iterable[tuple[str, int]]) -> dict[str, tuple[int, int]]:
    """``{key: (first line, count)}`` for (key, line) pairs: for one problem per key, not per row."""
    seen: dict[str, tuple[int, int]] = {}
    for key, line in rows:
        first, count = seen.get(key, (line, 0))
        seen[key] = (first, count + 1)
    return seen


#: A problem repeated over rows is told once, with this many of its lines.
SHOWN_LINES = 5
#: More distinct problems of one kind in one file than this are summed up after the first few.
DISTINCT_PER_CODE = 20


def collapse_repeats(problems: Iterable[Problem]) -> list[Problem]:
    """One problem per (file, code, message): the first row's, with the count and the first lines.

    A million rows with the same mistake make one line in the report, not a
    million; a file with hundreds of different mistakes of one kind shows the
    first :data:`DISTINCT_PER_CODE` and one line counting the rest.
    """
    return collapse_counted((problem, 1, (problem.span.line,)) for problem in problems)


def collapse_counted(found: Iterable[tuple[Problem, int, Iterable[int]]]) -> list[Problem]:
    """:func:`collapse_repeats` of problems already counted: ``(first problem, rows, lines)``
    in the order first seen, where ``lines`` holds at least the first :data:`SHOWN_LINES` lines
    of those rows (an engine counts a million rows without listing them)."""
    groups: dict[tuple[str, str, str, str], tuple[Problem, list[int], set[int]]] = {}
    listed = True  # every row's line is in ``lines`` (else rows are counted beyond the lines given)
    for problem, count, lines in found:
        key = (problem.span.file, problem.code, problem.level, problem.message)
        lines = set(lines)
        listed = listed and len(lines) == count
        group = groups.get(key)
        if group is None:
            groups[key] = (problem, [count], lines)
        else:
            group[1][0] += count
            group[2].update(lines)
    told: list[Problem] = []
    per_code: dict[tuple[str, str, str], list[Problem]] = {}
    for (file, code, level, _message), (first, counted, seen) in groups.items():
        count = counted[0]
        if count > 1:
            lines = sorted(seen)
            shown = ", ".join(str(line) for line in lines[:SHOWN_LINES])
            more = ", ..." if (len(seen) if listed else count) > SHOWN_LINES else ""
            first = Problem(
                first.span,
                first.code,
                f"{first.message} ({count:,} rows: lines {shown}{more})",
                first.hint,
                first.level,
                first.related,
            )
        per_code.setdefault((file, code, level), []).append(first)
    for (_file, code, level), kind in per_code.items():
        told += kind[:DISTINCT_PER_CODE]
        rest = kind[DISTINCT_PER_CODE:]
        if rest:
            lines = sorted(p.span.line for p in rest)
            told.append(
                Problem(
                    rest[0].span,
                    code,
                    f"{len(rest):,} more {code} problems like the ones above"
                    f" (lines {', '.join(str(line) for line in lines[:SHOWN_LINES])}{', ...' if len(lines) > SHOWN_LINES else ''})",
                    level=level,  # type: ignore[arg-type]
                )
            )
    return told

"""The metric catalogue: scales, direction, units, reading metric values, and
NPS / CSAT / CES computed from raw survey answers.

Values are normalised when a journey loads: ``82%`` becomes 0.82, ``1h30m``
becomes 5400.0 seconds. :func:`parse_value` is the one place that happens, for
journey files and data files alike.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .problems import quoted

Better = Literal["higher", "lower"]


@dataclass(frozen=True)
class MetricSpec:
    """What journeymap knows about a metric."""

    name: str
    label: str
    low: float | None
    high: float | None
    better: Better | None
    kind: Literal["number", "fraction", "duration", "count", "amount"] = "number"
    unit: str = ""
    builtin: bool = True
    plausible_high: float | None = None
    """Above this a value is on the scale but implausible (a response time of years): read as written, with a
    warning (:func:`check_plausible`)."""

    def in_scale(self, value: float) -> bool:
        if self.low is not None and value < self.low:
            return False
        return not (self.high is not None and value > self.high)

    @property
    def scale_text(self) -> str:
        if self.kind == "duration":
            return "a duration (45s, 2m, 1h30m, 3d) or a number of seconds"
        if self.kind == "count":
            return "a count >= 0"
        if self.kind == "amount":
            return f"an amount >= 0{' in ' + self.unit if self.unit else ''}"
        return f"{_fmt_number(self.low)}..{_fmt_number(self.high)}"

    def format(self, value: float, extra: int = 0) -> str:
        """Format a value the way people say it: ``62%``, ``+12``, ``3.1``, ``7m``; with ``extra``
        more decimals where two figures must not read alike (``99.96–100%``, not ``100–100%``)."""
        return format_value(self, value, extra)


BUILTIN: dict[str, MetricSpec] = {
    "nps": MetricSpec("nps", "NPS", -100, 100, "higher"),
    "csat": MetricSpec("csat", "CSAT", 0, 1, "higher", kind="fraction"),
    "ces": MetricSpec("ces", "CES", 1, 7, "higher"),
    "drop_off": MetricSpec("drop_off", "Drop-off", 0, 1, "lower", kind="fraction"),
    "conversion": MetricSpec("conversion", "Conversion", 0, 1, "higher", kind="fraction"),
    "response_time": MetricSpec("response_time", "Response time", 0, None, "lower", kind="duration", unit="s",
                                plausible_high=365 * 86_400),
    "sentiment": MetricSpec("sentiment", "Sentiment", -1, 1, "higher"),
    "error_rate": MetricSpec("error_rate", "Error rate", 0, 1, "lower", kind="fraction"),
    "volume": MetricSpec("volume", "Volume", 0, None, None, kind="count"),
    # Business outcomes: the share of customers lost (or kept) over the period the data
    # covers, and customer lifetime value, an amount in the currency the journey names
    # (`metrics: {clv: {unit: EUR}}`, the same code as its value model's currency).
    "churn": MetricSpec("churn", "Churn", 0, 1, "lower", kind="fraction"),
    "retention": MetricSpec("retention", "Retention", 0, 1, "higher", kind="fraction"),
    "clv": MetricSpec("clv", "CLV", 0, None, "higher", kind="amount"),
}

# The grammar of metric values written as text, in one place: the loader reads with
# these regular expressions, and the JSON Schema's patterns (value_schema) are built from
# the same pieces, so an editor squiggles exactly what `journeymap validate` refuses.
# They are spelled so that Python's `re` and JavaScript's RegExp (JSON Schema patterns)
# read them alike: no \d, \s or case folding, which differ between the two.
#: What str.strip() and Python's \s take for white space, listed out.
_WS = r"[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
_AMOUNT = r"[0-9]+(?:\.[0-9]+)?"
#: A number as text: `82`, `-0.5`, `.5`, `5.`, `1e-3`.
_NUMERAL = r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
_DURATION_UNITS = {
    "d": ("d", "day", "days"),
    "h": ("h", "hr", "hrs", "hour", "hours"),
    "m": ("m", "min", "mins", "minute", "minutes"),
    "s": ("s", "sec", "secs", "second", "seconds"),
}


def _any_case(word: str) -> str:
    return "".join(f"[{c}{c.upper()}]" for c in word)


def _duration_text(named: bool) -> str:
    """`1h30m`, `2 min`, `3 minutes`, `1 hour 30 minutes`, `2 days`: units largest first, each at most once."""
    parts = []
    for group, words in _DURATION_UNITS.items():
        unit = "|".join(_any_case(w) for w in sorted(words, key=len, reverse=True))
        amount = f"(?P<{group}>{_AMOUNT})" if named else f"(?:{_AMOUNT})"
        parts.append(f"{_WS}*(?:{amount}{_WS}*(?:{unit})(?![a-zA-Z]))?")
    return "".join(parts) + f"{_WS}*"


_DURATION = re.compile(_duration_text(named=True) + r"\Z")
_CLOCK = re.compile(r"([0-9]+):([0-5][0-9])(?::([0-5][0-9]))?\Z")
_PERCENT = re.compile(rf"{_WS}*([-+]?{_AMOUNT}){_WS}*%{_WS}*\Z")
# `1200`, `1,200.50 EUR`, `EUR 1200`, `€1200`: an amount with an optional currency before or after it.
_CURRENCY_TEXT = "[A-Za-z]{3}|[€$£¥]"
_AMOUNT_NUMBER = rf"[-+]?[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[-+]?{_AMOUNT}"
_AMOUNT_WITH_UNIT = re.compile(
    rf"{_WS}*((?:{_CURRENCY_TEXT}){_WS}*)?({_AMOUNT_NUMBER}){_WS}*({_CURRENCY_TEXT})?{_WS}*\Z"
)
#: The same, as a JSON Schema pattern piece (no groups).
_AMOUNT_TEXT = (
    f"(?:(?:{_CURRENCY_TEXT}){_WS}*)?SIGN(?:[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\\.[0-9]+)?|{_AMOUNT}){_WS}*(?:{_CURRENCY_TEXT})?"
)
_CURRENCY_SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY"}
_NUMBER = re.compile(rf"{_WS}*{_NUMERAL}{_WS}*\Z")
#: A number written with separators journeymap does not read, with a currency or percent sign around it.
_SEPARATED = re.compile(
    r"\s*(?P<pre>(?:[A-Za-z]{3}|[€$£¥])\s*)?(?P<sign>[-+]?)(?P<num>[0-9][0-9.,' \u00a0\u202f]*[0-9])"
    r"(?P<post>\s*(?:%|[A-Za-z]{3}|[€$£¥]))?\s*\Z"
)
_GROUPS = {sep: re.compile(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+") for sep in (",", ".", " ", "\u00a0", "\u202f", "'")}


def separator_hint(raw: object) -> str | None:
    """What to write for a number with a decimal comma or thousands separators, which journeymap
    does not read (``1,234`` may mean either), as European spreadsheets export them: the same hint
    for every numeric cell (a value, an amount, ``n``, ``sd``, a share, a survey score). None when
    ``raw`` is not such a number.

    >>> separator_hint("5,5"), separator_hint("1.234,56 €"), separator_hint("1 240")
    ('write the decimal point as a dot: 5.5', 'write the number without thousands separators, with a dot for decimals: 1234.56 €', 'write the number without thousands separators: 1240')
    """
    if not isinstance(raw, str) or (m := _SEPARATED.fullmatch(raw)) is None:
        return None
    pre, post, number = m["pre"] or "", m["post"] or "", m["num"]
    spaced = {c for c in number if c in " '\u00a0\u202f"}
    marks = [c for c in number if not c.isdigit()]
    whole, decimals, grouped = number, "", ""
    if len(set(marks)) == 1 and not spaced and marks[0] in ".,":
        if marks[0] == "." and len(marks) == 1:
            return None  # a plain number
        if len(marks) == 1:  # one comma: a decimal comma, or a thousands separator when three digits follow
            whole, decimals = number.split(",")
            hint = f"write the decimal point as a dot: {pre}{m['sign']}{whole}.{decimals}{post}"
            if len(decimals) == 3 and whole[0] != "0":  # 0,715 is no thousands
                hint += f" (or {pre}{m['sign']}{whole}{decimals}{post} if the comma separates thousands)"
            return hint
        grouped = marks[0]
    else:  # thousands then decimals: 1.234,56 / 1,234.56 / 1 234,56 / 1'234.56
        last = number.rfind(",") if "," in number else -1
        last = max(last, number.rfind("."))
        if last > 0 and number[last] not in number[:last] and (len(set(marks)) > 1 or number[last] == ","):
            whole, decimals = number[:last], number[last + 1:]
        separators = {c for c in whole if not c.isdigit()}
        if len(separators) != 1:
            return None
        grouped = separators.pop()
    if not _GROUPS[grouped].fullmatch(whole) or not decimals.isdigit() and decimals:
        return None
    plain = whole.replace(grouped, "") + (f".{decimals}" if decimals else "")
    how = "without thousands separators" + (", with a dot for decimals" if decimals and number[len(whole)] == "," else "")
    return f"write the number {how}: {pre}{m['sign']}{plain}{post}"


def _comma_count_hint(spec: MetricSpec, text: str) -> str | None:
    """What to write for a count with commas not between groups of three ('1,24', '12,40', '1,24,000'): a comma between
    thousands is read in a data file's count (a decimal comma, '1,5', is told as every number's)."""
    if (spec.kind != "count" or not re.fullmatch(r"[1-9][0-9]*(?:,[0-9]+)+", text) or re.fullmatch(r"[0-9]+,[0-9]", text)
            or re.fullmatch(r"[1-9][0-9]{0,2}(?:,[0-9]{3})+", text)):  # groups of three: the caller tells them
        return None
    return ("write the count as a whole number, with digits alone: a comma between thousands is read only in groups of"
            " three (1,240)")


def parse_duration(text: str) -> float | None:
    """Seconds in ``45s``, ``2m``, ``1h30m``, ``3d``, ``1.5h``, ``3 minutes`` or ``90``; None if unreadable.

    >>> parse_duration("1h30m")
    5400.0
    """
    if _NUMBER.match(text):
        return float(text)
    match = _DURATION.match(text)
    if not match or not any(match.groupdict().values()):
        return None
    parts = match.groupdict()
    return (
        float(parts["d"] or 0) * 86400
        + float(parts["h"] or 0) * 3600
        + float(parts["m"] or 0) * 60
        + float(parts["s"] or 0)
    )


# -- the same grammar as JSON Schema --------------------------------------------
#
# A pattern cannot compare a number's value with a bound once an exponent is involved
# (`5e-1`), and a float rounds a numeral of 17 digits to its nearest neighbour, so the
# patterns are exact for every numeral without an exponent and with at most
# SCHEMA_EXACT_DIGITS digits, and accept any other well-formed numeral: the schema may
# then miss what the loader refuses (`"2e0"` as a CSAT), but never flags what it accepts.

#: Numerals up to this many digits (and without exponent) are range-checked exactly by the schema.
SCHEMA_EXACT_DIGITS = 15

_NUMERAL_BODY = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_EXPONENT = r"[eE][-+]?[0-9]+"
_LONG = f"(?=(?:\\.?[0-9]){{{SCHEMA_EXACT_DIGITS + 1}}})"


def _digits_between(low: str, high: str) -> str:
    """A regex for digit strings of one length whose value lies in low..high."""
    if not low:
        return ""
    if low == high:
        return low
    if low[0] == high[0]:
        return low[0] + _digits_between(low[1:], high[1:])
    rest = len(low) - 1
    if low[1:] == "0" * rest and high[1:] == "9" * rest:
        return f"[{low[0]}-{high[0]}]" + "[0-9]" * rest
    parts = [low[0] + _digits_between(low[1:], "9" * rest)]
    if int(high[0]) - int(low[0]) > 1:
        parts.append(f"[{int(low[0]) + 1}-{int(high[0]) - 1}]" + "[0-9]" * rest)
    parts.append(high[0] + _digits_between("0" * rest, high[1:]))
    return "(?:" + "|".join(parts) + ")"


def _whole_numbers(low: int, high: int | None) -> str:
    """A regex for whole numbers low..high written with any leading zeros (low >= 0)."""
    parts = ["0+"] if low == 0 else []
    low = max(low, 1)
    length = len(str(low))
    while high is None or length <= len(str(high)):
        first = max(low, 10 ** (length - 1))
        last = 10**length - 1 if high is None else min(high, 10**length - 1)
        if high is None and first == 10 ** (length - 1):
            parts.append(f"[1-9][0-9]{{{length - 1},}}")
            break
        if first <= last:
            parts.append(_digits_between(str(first), str(last)))
        length += 1
    if not parts:
        return "(?!)"
    return "0*(?:" + "|".join(parts) + ")"


def _magnitude(low: int, high: int | None, *, percent: bool) -> str:
    """An unsigned decimal (no exponent) whose value lies in low..high (whole numbers >= 0).

    Numerals are written `12`, `12.5` and (not in percentages) `12.` and `.5`.
    """
    any_fraction, zero_fraction = (r"(?:\.[0-9]+)?", r"(?:\.0+)?") if percent else (r"(?:\.[0-9]*)?", r"(?:\.0*)?")
    parts = []
    top = None if high is None else high - 1
    if top is None or top >= low:
        parts.append(_whole_numbers(low, top) + any_fraction)
        if low == 0 and not percent:
            parts.append(r"\.[0-9]+")
    if high is not None:
        parts.append(_whole_numbers(high, high) + zero_fraction)
        if high == 0 and not percent:
            parts.append(r"\.0+")
    return "(?:" + "|".join(parts) + ")"


def _signed(low: float | None, high: float | None, *, percent: bool) -> str:
    """A signed decimal (no exponent) in low..high; -0 counts as 0, as float() reads it."""
    if low is None or not all(float(b).is_integer() for b in (low, high) if b is not None):
        raise ValueError("patterns are made for whole-number bounds only")
    lo, hi = int(low), None if high is None else int(high)
    positive: str | None = None
    negative: str | None = None
    if lo >= 0:
        positive = r"\+?" + _magnitude(lo, hi, percent=percent)
        if lo == 0:
            negative = "-" + _magnitude(0, 0, percent=percent)
    elif hi is not None and hi < 0:
        negative = "-" + _magnitude(-hi, -lo, percent=percent)
    else:
        positive = r"\+?" + _magnitude(0, hi, percent=percent)
        negative = "-" + _magnitude(0, -lo, percent=percent)
    return "(?:" + "|".join(p for p in (positive, negative) if p) + ")"


def takes_percent(spec: MetricSpec) -> bool:
    """Whether ``82%`` is a value of this metric (fractions and 0..1 scales)."""
    return spec.kind == "fraction" or (spec.low == 0 and spec.high == 1)


def text_pattern(spec: MetricSpec) -> str:
    """The JSON Schema ``pattern`` of a built-in metric's value written as text.

    >>> import re; bool(re.search(text_pattern(BUILTIN["csat"]), "82%"))
    True
    """
    low = 0 if spec.kind in ("duration", "count") and spec.low is None else spec.low
    forms = [
        _signed(low, spec.high, percent=False),
        f"[-+]?(?:{_LONG}{_NUMERAL_BODY}(?:{_EXPONENT})?|{_NUMERAL_BODY}{_EXPONENT})",
    ]
    if takes_percent(spec):
        scaled = (None if b is None else b * 100 for b in (spec.low, spec.high))
        forms.append(f"(?:{_signed(*scaled, percent=True)}|[-+]?{_LONG}{_AMOUNT}){_WS}*%")
    if spec.kind == "duration":
        forms.append("(?=[^0-9]*[0-9])" + _duration_text(named=False))
    if spec.kind == "amount":  # `1,200.50 EUR`, `EUR 1200`, `€1200`: the loader's _AMOUNT_WITH_UNIT
        sign = "[-+]?"
        if spec.low is not None and spec.low >= 0:  # a minus only before a zero (-0 is 0)
            sign = r"(?:\+|-(?=(?:0{1,3}(?:,000)+|0+)(?:\.0+)?(?![0-9.,])))?"
        forms.append(_AMOUNT_TEXT.replace("SIGN", sign))
    return f"^{_WS}*(?:" + "|".join(forms) + f"){_WS}*$"


def value_schema(spec: MetricSpec) -> dict[str, Any]:
    """The JSON Schema of a built-in metric's value as written: a number on its scale, or text."""
    number: dict[str, Any] = {"type": "number"}
    if spec.low is not None:
        number["minimum"] = spec.low
    # An upper bound also refuses .inf, which the loader refuses ("must be a finite number").
    number["maximum"] = spec.high if spec.high is not None else sys.float_info.max
    examples = {
        "fraction": "0..1, or a percentage such as 82%",
        "duration": "seconds, or a duration such as 45s, 7m, 1h30m, 3 minutes",
        "count": "a count >= 0",
    }
    described = examples.get(spec.kind, spec.scale_text)
    return {
        "description": f"{spec.label}: {described}.",
        "anyOf": [number, {"type": "string", "pattern": text_pattern(spec)}],
    }


def custom_text_pattern() -> str:
    """The pattern of a custom metric's value as text: a number or a percentage (its scale is the file's)."""
    return f"^{_WS}*(?:{_NUMERAL}|[-+]?{_AMOUNT}{_WS}*%){_WS}*$"


class MetricValueError(ValueError):
    """A metric value that cannot be read, or lies off its scale. ``hint`` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None):
        super().__init__(message)
        self.hint = hint


def written_currency(spec: MetricSpec, raw: str) -> str | None:
    """The currency an amount is written in (``1200 EUR``, ``€1200``: ``EUR``), or None.

    >>> written_currency(BUILTIN["clv"], "£900"), written_currency(BUILTIN["clv"], "1200")
    ('GBP', None)
    """
    if spec.kind != "amount" or (m := _AMOUNT_WITH_UNIT.match(raw.strip())) is None:
        return None
    unit = (m.group(1) or m.group(3) or "").strip()
    return _CURRENCY_SIGNS.get(unit, unit).upper() or None


def in_currency(spec: MetricSpec, currency: str | None) -> MetricSpec:
    """``spec`` showing its amounts in ``currency`` (``1,300 EUR``) when it declares no unit of its own.

    >>> in_currency(BUILTIN["clv"], "EUR").format(1300)
    '1,300 EUR'
    """
    if not currency or spec.kind != "amount" or spec.unit:
        return spec
    from dataclasses import replace

    return replace(spec, unit=currency)


#: Quotes a word processor's autocorrect types (“…”, ‘…’, „…“, «…»), as journeymap.yamlio has them.
_TYPOGRAPHIC_OPENING = "\u201c\u2018\u201e\u201a\u00ab\u00bb"


def _refuse_typographic_quotes(spec: MetricSpec, text: str) -> None:
    """``ces: “4.2”``, ``target: ‘70%’`` (Word's autocorrect): text to YAML, told only that it was no
    number. Raise the error with what the quotes are and what to write, if ``text`` is so written."""
    from .yamlio import lone_typographic_quote, typographic_inner

    inner = typographic_inner(text)
    what = "a duration" if spec.kind == "duration" else "a number"
    if inner is None and (lone := lone_typographic_quote(text)) is not None:
        # `csat: “0.8`: autocorrect's opening quote, its closing one lost
        try:
            parse_value(spec, lone[0])
        except MetricValueError:
            return
        raise MetricValueError(f"{spec.label} value '{quoted(text)}' is not {what}",
                               f"write {lone[0]} without the {lone[1]}: a typographic quote makes it text")
    if inner is None:
        return
    quotes = f"{text[0]} and {text[-1]}"
    try:
        parse_value(spec, inner)
    except MetricValueError as exc:
        hint = f"remove the typographic quotes {quotes}, and {exc.hint}" if exc.hint else f"remove the typographic quotes {quotes}; without them: {exc}"
    else:
        hint = f"write {inner} without the quotes: {quotes} are typographic quotes, which make it text"
    raise MetricValueError(f"{spec.label} value '{quoted(text)}' is not {what}", hint)


def beyond_double(text: str, value: float) -> str | None:
    """Why a number written in ``text`` (read as ``value``) is no number a computer holds: ``1e400`` is beyond the
    largest (about 1.8e308, read as infinity), ``1e-400`` nearer 0 than the smallest (about 1e-308, read as 0); None
    for any other. Such a cell was 'not a whole number' (a score of infinity) or a score, a value, of 0.

    >>> beyond_double("1e400", float("1e400"))[:31], beyond_double("1e-400", 0.0)[:20], beyond_double("0e5", 0.0)
    ('1e400 is beyond the largest num', '1e-400 is nearer 0 t', None)
    """
    shown = quoted(text.strip())
    why = ("is a value from another column, or an ID a spreadsheet wrote in scientific notation, where this one was"
           " meant?")
    if math.isinf(value):
        return f"{shown} is beyond the largest number a computer reads (about 1.8e308): {why}"
    if value == 0 and re.search(r"[1-9]", re.split(r"[eE]", text, maxsplit=1)[0]):
        return f"{shown} is nearer 0 than the smallest number a computer reads (about 1e-308), so it would be read as 0: {why}"
    return None


def parse_value(spec: MetricSpec, raw: object) -> float:
    """Read a metric value as written in a journey or data file; raise MetricValueError.

    >>> parse_value(BUILTIN["csat"], "82%")
    0.82
    """
    label = spec.label
    if isinstance(raw, bool) or raw is None:
        raise MetricValueError(f"{label} value must be a number, not {'empty' if raw is None else str(raw).lower()}")
    value: float | None
    if isinstance(raw, (int, float)):
        try:
            value = float(raw)
        except OverflowError:  # an integer with hundreds of digits
            raise MetricValueError(f"{label} value {str(raw)[:12]}... ({len(str(raw))} digits) is too large") from None
    elif isinstance(raw, str):
        text = raw.strip()
        if text[:1] in _TYPOGRAPHIC_OPENING:
            _refuse_typographic_quotes(spec, text)
        if spec.kind == "duration":
            value = parse_duration(text)
            if value is None:
                duration_hint = "write a duration like 45s, 2m, 1h30m, 3d, or a number of seconds"
                clock = _CLOCK.match(text)
                if clock is not None:  # `1:30` is a string in YAML 1.2, not 90 (YAML 1.1 sexagesimal)
                    parts = [int(p) for p in clock.groups() if p is not None]
                    units = ("h", "m", "s") if len(parts) == 3 else ("m", "s")
                    spelled = "".join(f"{n}{u}" for n, u in zip(parts, units, strict=True) if n) or "0s"
                    duration_hint = f"write {spelled}"
                    if len(parts) == 2:  # `1:30` may mean hours and minutes too
                        hours = "".join(f"{n}{u}" for n, u in zip(parts, ("h", "m"), strict=True) if n) or "0h"
                        duration_hint += f", or {hours} if you mean hours"
                elif (written := _duration_hint(text)) is not None:  # 'PT5M', '300000 ms', '0 days 00:05:30'
                    duration_hint = written
                if text[:1] == "-" and (length := parse_duration(text[1:].strip())) is not None:  # '-5m'
                    duration_hint = _off_scale_hint(spec, -length, text)
                raise MetricValueError(f"{label} '{raw}' is not a duration", duration_hint)
        elif spec.kind == "amount" and (m := _AMOUNT_WITH_UNIT.match(text)) is not None:
            unit = (m.group(1) or m.group(3) or "").strip()
            unit = _CURRENCY_SIGNS.get(unit, unit)
            if unit and spec.unit and unit.upper() != _CURRENCY_SIGNS.get(spec.unit, spec.unit).upper():
                raise MetricValueError(
                    f"{label} '{raw}' is in {unit}, but {label} is in {spec.unit}",
                    f"write the amount in {spec.unit}, or change the metric's unit",
                )
            value = float(m.group(2).replace(",", ""))
        elif (m := _PERCENT.match(text)) is not None:
            if not takes_percent(spec):
                raise MetricValueError(
                    f"{label} '{raw}' is a percentage, but {label} is on the scale {spec.scale_text}",
                    # a dashboard shows an NPS as '35%': it is 35 points, the percentage of promoters less that of detractors
                    f"write it without the percent sign: {m.group(1)} (an NPS is written in points, -100..100)" if spec.name == "nps"
                    else "write the value on the metric's own scale",
                )
            value = float(m.group(1)) / 100
        elif _NUMBER.match(text):
            value = float(text)
            if (beyond := beyond_double(text, value)) is not None:  # '1e-400' was a value of 0
                raise MetricValueError(f"{label} value '{quoted(text)}' is no number a computer reads", beyond)
        else:
            advice = (_comma_count_hint(spec, text)  # a count's '1,24': not thousands, and no count has decimals
                      or separator_hint(text)  # a European spreadsheet's export: 5,5 or 1.234,56 €
                      or minus_hint(text)
                      or _wrapped_value_hint(spec, text)
                      or _negative_written_hint(spec, text)
                      or _range_value_hint(spec, text)
                      or hidden_number_hint(text)
                      or _written_value_hint(spec, text)
                      or _number_on_scale_hint(spec))
            raise MetricValueError(f"{label} value '{quoted(raw)}' is not a number", advice)
    else:
        shape = "a mapping" if isinstance(raw, dict) else "a list" if isinstance(raw, list) else f"a {type(raw).__name__}"
        raise MetricValueError(f"{label} value must be a number, not {shape}")
    if math.isnan(value) or math.isinf(value):
        raise MetricValueError(f"{label} value must be a finite number")
    if not spec.in_scale(value):
        hint: str | None = None
        # `csat: 82` means 82%; `target: 120%` was already a percentage.
        if spec.kind == "fraction" and 1 < value <= 100 and not (isinstance(raw, str) and "%" in raw):
            hint = f"did you mean {_fmt_number(value)}%?"
            # but a CSAT of 4.2 is a mean rating (Zendesk's, an app store's), and 4.2% a catastrophe
            if spec.name == "csat" and (value <= 5 or (value <= 10 and not value.is_integer())):
                hint = _mean_rating_hint(_fmt_number(value), "1..5" if value <= 5 else "1..7" if value <= 7 else "0..10")
        shown = raw.strip() if isinstance(raw, str) else _fmt_number(value)
        hint = hint or _off_scale_hint(spec, value, shown)
        if spec.kind in ("duration", "count", "amount"):
            raise MetricValueError(f"{label} {_fmt_number(value)} is negative; it must be {spec.scale_text}", hint)
        scale = spec.scale_text
        if isinstance(raw, str) and "%" in raw and takes_percent(spec):  # '120%' was 'outside its scale 0..1'
            scale = f"{_fmt_number(100 * spec.low)}%..{_fmt_number(100 * spec.high)}%" \
                if spec.low is not None and spec.high is not None else scale
        raise MetricValueError(f"{label} {shown} is outside its scale {scale}", hint)
    return value


_ISO_DURATION = re.compile(r"P(?:([0-9]+(?:\.[0-9]+)?)D)?(?:T(?:([0-9]+(?:\.[0-9]+)?)H)?(?:([0-9]+(?:\.[0-9]+)?)M)?"
                           r"(?:([0-9]+(?:\.[0-9]+)?)S)?)?", re.IGNORECASE)
_MILLISECONDS = re.compile(r"([0-9]+(?:\.[0-9]+)?)[ \t]*(?:ms|msecs?|milliseconds?)", re.IGNORECASE)
#: A clock's time with a fraction of its seconds, or after pandas' days: '00:05:00.000', '0 days 00:05:30'.
_LONG_CLOCK = re.compile(r"(?:([0-9]+)[ \t]*days?,?[ \t]*)?([0-9]+):([0-5][0-9]):([0-5][0-9])(?:\.[0-9]+)?", re.IGNORECASE)
#: Minutes and seconds written with a foot's and an inch's marks: 5'30".
_PRIMES = re.compile(r"(?:([0-9]+)['\u2032])?[ \t]*(?:([0-9]+)[\"\u2033])?")


def _spelled_duration(seconds: float) -> str:
    """``seconds`` as a duration journeymap reads: '1d2h', '5m30s', '1.5s'."""
    if not seconds.is_integer():
        return f"{_fmt_number(round(seconds, 3))}s"
    whole, parts = int(seconds), []
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60), ("s", 1)):
        if whole >= size:
            parts.append(f"{whole // size}{unit}")
            whole %= size
    return "".join(parts) or "0s"


#: A number with commas between groups of three, and after it a decimal part and a unit, as Excel's '#,##0.0' writes seconds.
_COMMA_GROUPS = re.compile(r"([1-9][0-9]{0,2}(?:,[0-9]{3})+)(\.[0-9]+)?((?:[ \t]*[A-Za-z]+)?)")


def _unit_seconds(unit: str) -> float:
    """The seconds in one of a duration's ``unit`` as written after its number (' s', 'min', ' h'; none: seconds)."""
    return parse_duration("1" + unit) or 1.0


def _duration_hint(text: str) -> str | None:
    """The duration to write for one a BI tool, a database or a spreadsheet exports another way ('PT5M', '300000 ms',
    '0 days 00:05:30', '00:05:00.000', '5,5 min', '5 Min.', 5'30"), else None: each was told to "write a duration like
    45s, 2m", not the one it is."""
    if len(text) > 1 and (iso := _ISO_DURATION.fullmatch(text)) is not None and any(iso.groups()):
        days, hours, minutes, seconds = (float(g or 0) for g in iso.groups())
        return f"an ISO 8601 duration: write {_spelled_duration(days * 86400 + hours * 3600 + minutes * 60 + seconds)}"
    if (ms := _MILLISECONDS.fullmatch(text)) is not None:
        return f"milliseconds are not read: write {_spelled_duration(float(ms[1]) / 1000)}"
    if (clock := _LONG_CLOCK.fullmatch(text)) is not None:
        days, hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        return f"write {_spelled_duration(float(days * 86400 + hours * 3600 + minutes * 60 + seconds))}"
    if (grouped := _COMMA_GROUPS.fullmatch(text)) is not None and (length := parse_duration(
            number := grouped[1].replace(",", "") + (grouped[2] or ""))) is not None:  # Excel's '#,##0.0': '1,234.5'
        unit = grouped[3] or " (seconds)"
        if grouped[2] or grouped[1].count(",") > 1:
            return f"write the number without thousands separators: {number}{unit}"
        return (f"if the comma separates thousands, write {number}{grouped[3]} ({_spelled_duration(length * _unit_seconds(grouped[3]))});"
                f" if it is a decimal comma, write {grouped[1].replace(',', '.')}{grouped[3]}")
    if re.fullmatch(r"[0-9]+,[0-9]+[ \t]*[A-Za-z]*", text) and parse_duration(text.replace(",", ".")) is not None:
        return f"write the decimal point as a dot: {text.replace(',', '.')}"
    if text.endswith(".") and (length := parse_duration(text[:-1].strip().lower())) is not None:
        return f"write {_spelled_duration(length)}"
    if ("'" in text or '"' in text or "\u2032" in text) and (primes := _PRIMES.fullmatch(text)) is not None and any(primes.groups()):
        return f"write {_spelled_duration(float(int(primes[1] or 0) * 60 + int(primes[2] or 0)))}"
    return None


def _off_scale_hint(spec: MetricSpec, value: float, shown: str) -> str:
    """What to write for a value off its metric's scale, as a BI export writes one (CSAT 120%, NPS 150, CES 9 on 1..7, a
    negative response time): each was an error without a hint."""
    change = f" ({shown} may be a change between periods)"
    if spec.kind == "duration":
        return ("a duration is never negative (a difference of two times taken the wrong way round?): write the time itself,"
                f" such as {format_value(spec, -value)}")
    if spec.kind == "count":
        return f"a count is never negative{change}: write the count itself"
    if spec.kind == "amount":
        return f"write the amount itself, 0 or more{change}"
    if spec.kind == "fraction":
        if value < 0:
            return f"a share is never below 0%{change}: write the share itself, between 0% and 100%"
        return "a share is at most 100%: write the share itself, between 0% and 100%, such as 71% or 0.71"
    if not spec.builtin:
        return f"write a value on its scale, {spec.scale_text}, or change the scale the journey declares for {spec.name}"
    if spec.name == "nps":
        return "an NPS is the percentage of promoters less that of detractors, from -100 to +100: write that, such as +32"
    if spec.name == "ces":
        return ("a CES is the mean answer on the 1..7 scale, such as 5.2: answers on another scale make a metric of their own,"
                " declared in the journey with its scale (metrics: {ces_10: {scale: [1, 10], better: higher}})")
    return f"write a value on {spec.label}'s scale, {spec.scale_text}"


def _mean_rating_hint(shown: str, scale: str) -> str:
    return (f"{shown} looks like a mean rating on a {scale} scale, which is not a CSAT share: a CSAT value is the share of"
            " satisfied answers (4 and 5 of 1..5), such as 71%; compute it from the answers (--responses), or give that share")


_RATIO = re.compile(r"([0-9]+(?:\.[0-9]+)?)[ \t]*(?:/|[Oo]ut[ \t]+[Oo]f)[ \t]*([0-9]+)")
_POINTS = re.compile(r"([-+]?[0-9]+(?:\.[0-9]+)?)[ \t]*(?:pts?|points?|PTS?|Pts?|Points?)\.?")


#: A spreadsheet formula's error as its cell exports it (#N/A is a missing value: :data:`journeymap.data.MISSING`).
_SHEET_ERROR = re.compile(r"#(?:DIV/0!|VALUE!|REF!|NAME\?|NUM!|NULL!|SPILL!|CALC!|ERROR!?)", re.IGNORECASE)


def sheet_error_hint(text: str) -> str | None:
    """What to do with a cell holding a spreadsheet formula's error (``#DIV/0!``: a share of no
    answers), else None; it was told to 'write a number'."""
    if _SHEET_ERROR.fullmatch(text.strip()) is None:
        return None
    return (f"'{text.strip()}' is a spreadsheet formula's error, not a value" + (" (a division by 0: no answers?)" if "/0" in text else "")
            + ": fix the formula before exporting, or leave the row out")


#: Signs written for a minus: the minus sign U+2212 (Apple Numbers', Tableau's and some locales' exports, and
#: journeymap's own reports), an en dash, a figure dash, a small or full-width hyphen-minus.
_MINUS_SIGNS = "\u2212\u2013\u2012\ufe63\uff0d"


def hidden_number_hint(text: str) -> str | None:
    """What to write for a number written with characters that only look like ASCII digits, signs
    and points (``０.５``, full-width, from a CJK keyboard), naming them; else None."""
    from .lookalikes import describe, plain

    number = plain(text).strip()
    if number == text.strip() or not _NUMBER.match(number) or not (hidden := describe(text)):
        return None
    return f"{hidden}: write {number}"


def minus_hint(text: str) -> str | None:
    """What to write for a number whose minus is another sign than the ASCII hyphen-minus ('−12'), else None."""
    signed = text.strip()
    if signed[:1] not in _MINUS_SIGNS or not signed[:1]:
        return None
    number = "-" + signed[1:].lstrip()
    return f"write the minus sign as the ASCII hyphen-minus, '-': {number}" if _NUMBER.match(number) else None


def _number_on_scale_hint(spec: MetricSpec) -> str:
    """What to write instead of words (``sentiment: positive``, ``nps: high``): a number, on the metric's scale."""
    if spec.kind == "fraction":
        return f"write a number, {spec.scale_text}, or a percentage like 82%"
    if spec.name == "sentiment":
        return "write the mean sentiment as a number, -1..1: below 0 negative, 0 neutral, above 0 positive, e.g. 0.4"
    if spec.low is not None and spec.high is not None:
        return f"write a number on the metric's scale, {spec.scale_text}"
    if spec.kind == "amount":  # '1234 kr', 'US$1234' were told "write a number", though they were one
        written = "ISO 4217 code or sign"
        if spec.unit:
            return f"write an amount as a number with its currency's {written}: 1200 {spec.unit}"
        return (f"write an amount as a number with its currency's {written}: 1200 EUR, $1200 or 1200 (the journey's own"
                f" currency, metrics: {{{spec.name}: {{unit: EUR}}}})")
    return "write a number"


_FORMULA = re.compile(r'=[ \t]*"(.*)"|=[ \t]*([^"]*)')
_BRACKETED = re.compile(r"\([ \t]*([0-9]+(?:\.[0-9]+)?)[ \t]*\)")


def _wrapped_value_hint(spec: MetricSpec, text: str) -> str | None:
    """What to write for a value a spreadsheet wrapped: its apostrophe that keeps a cell as text ('74%), a formula
    exported as written (="75%", =1200), an accounting format's negative number in brackets ((12)); or one it showed
    instead of a number ('####', TRUE); else None. Each was told "write a number", not the number inside."""
    def readable(inner: str) -> bool:
        if not inner or inner[:1] in "'\u2019=(":
            return False
        try:
            parse_value(spec, inner)
        except MetricValueError as exc:
            return "outside its scale" in str(exc) or "is negative" in str(exc)
        return True

    if text[:1] in "'\u2019" and readable(inner := text[1:].strip()):
        return f"the apostrophe that keeps a spreadsheet's cell as text was exported with it: write {inner}"
    if (formula := _FORMULA.fullmatch(text)) is not None and readable(inner := (formula[1] or formula[2] or "").strip()):
        return f"a spreadsheet formula was exported, not its value: write {inner}"
    if re.fullmatch(r"#{2,}", text):  # Excel's cell too narrow for its number, copied as shown
        return (f"'{text}' is what a spreadsheet shows when its column is too narrow for the number: widen the column before"
                " exporting, and export again")
    if text.upper() in ("TRUE", "FALSE"):
        return (f"'{text}' is a spreadsheet's yes or no (a checkbox, or a formula's comparison), not a value: write the number,"
                " or leave the row out")
    if (bracketed := _BRACKETED.fullmatch(text)) is not None and (spec.low is None or spec.low < 0):  # an NPS may be -12
        return f"an accounting number format writes a negative number in brackets: write -{bracketed[1]}"
    return None


#: A value in accounting brackets with its currency around it or inside ('(12) EUR', 'EUR (12)', '(€12)', '(12 EUR)').
_BRACKETED_AMOUNT = re.compile(r"(?P<before>[^()]*)\([ \t]*(?P<inner>[^()]*?)[ \t]*\)(?P<after>[^()]*)")
#: A range written where one value goes: '4-5', '70%-80%', '3 – 4'.
_VALUE_RANGE = re.compile(r"([0-9]+(?:\.[0-9]+)?)(%?)[ \t]*[-\u2013\u2014][ \t]*([0-9]+(?:\.[0-9]+)?)(%?)")


def _negative_written_hint(spec: MetricSpec, text: str) -> str | None:
    """What to write for a negative number an accounting export writes another way, with its currency or not: in
    brackets ('(12) EUR', '(€12)', 'EUR (12)'), with its minus after it, as SAP does ('12 EUR-', '12-'), or before a
    currency sign ('-€12'); else None. Each was told "write an amount as a number with its currency's code", not the
    number it is. Where the metric takes no negative value (a CLV), the hint says so, as it does of '-12 EUR'."""
    if (bracketed := _BRACKETED_AMOUNT.fullmatch(text)) is not None:
        positive = f"{bracketed['before']}{bracketed['inner']}{bracketed['after']}".strip()
        how = "an accounting number format writes a negative number in brackets"
    elif len(text) > 1 and text.endswith("-") and text[-2:-1] != "-":
        positive, how = text[:-1].strip(), "a minus after a number (as SAP and accounting exports write one) goes before it"
    elif text[:1] == "-" and text[1:].strip()[:1] in _CURRENCY_SIGNS:
        positive, how = text[1:].strip(), "the minus goes with the number, not before its currency sign"
    else:
        return None
    if not positive or positive[:1] in "-+(" or positive[-1:] in "-":
        return None
    try:
        value = parse_value(spec, positive)
    except MetricValueError:
        return None
    amount = _AMOUNT_WITH_UNIT.match(positive) if spec.kind == "amount" else None
    if amount is not None and (unit := (amount.group(1) or amount.group(3) or "").strip()):
        negative = f"-{amount.group(2)} {_CURRENCY_SIGNS.get(unit, unit)}"
    else:
        negative = f"-{positive}"
    if spec.in_scale(-value):
        return f"{how}: write {negative}"
    return f"{how}, so '{text}' is {negative}; {_off_scale_hint(spec, -value, negative)}"


def _range_value_hint(spec: MetricSpec, text: str) -> str | None:
    """What to write for a range where one value goes ('4-5', '70%-80%'), else None: it was told "write a number"."""
    found = _VALUE_RANGE.fullmatch(text)
    if found is None or float(found[1]) >= float(found[3]):
        return None
    shown = f"{found[1]}{found[2]} to {found[3]}{found[4]}"
    if spec.name == "csat" and not found[2] and {found[1], found[3]} <= {"1", "2", "3", "4", "5"}:
        which = f"{found[1]} or {found[3]}" if int(found[3]) == int(found[1]) + 1 else f"{found[1]} to {found[3]}"
        return (f"'{text}' is a range of answers, not a value: a CSAT value is the share of answers that are {which},"
                " written as a percentage such as 71%")
    return f"'{text}' is a range ({shown}), not one value: write the value itself, one number"


def _written_value_hint(spec: MetricSpec, text: str) -> str | None:
    """What to write for a value written with its scale or unit (``4.2/5``, ``71/100``, ``35 pts``),
    or a spreadsheet's error (``#DIV/0!``), else None."""
    if (error := sheet_error_hint(text)) is not None:
        return error
    if (ratio := _RATIO.fullmatch(text)) is not None:
        number, of = ratio.group(1), int(ratio.group(2))
        if of == 100:
            return f"write {number}%" if takes_percent(spec) else f"write the number alone: {number}"
        if spec.name == "csat":
            return _mean_rating_hint(text, f"1..{of}")
        if takes_percent(spec) and of:
            return f"write it as a share: {_fmt_number(round(100 * float(number) / of, 2))}%"
        if spec.high is not None and of == spec.high:
            return f"write the number alone: {number}"
        return f"write the value on the metric's own scale, {spec.scale_text}"
    if (points := _POINTS.fullmatch(text)) is not None:
        number = points.group(1)
        return f"write {number.lstrip('+')}%" if takes_percent(spec) else f"write the number alone: {number}"
    return None


def check_nps_scale(spec: MetricSpec, raw: object, value: float) -> None:
    """Raise :class:`MetricValueError` for an NPS in a data file strictly between -1 and 1 but 0
    (``0.35``): most likely the difference of two shares written as a share of 1 (a weighted NPS
    may be +0.5, so the caller warns and reads it). Read as +0.35 it sat in a series 35, 0.30,
    0.28 as a collapse, without a word. (A journey file's NPS is read as written: its JSON Schema
    and the loader agree on every value.)"""
    if spec.name == "nps" and 0 < abs(value) < 1 and not (isinstance(raw, str) and "%" in raw):
        shown = raw.strip() if isinstance(raw, str) else _fmt_number(value)
        raise MetricValueError(
            f"{spec.label} {shown} looks written on a -1..1 scale, but NPS runs from -100 to +100; it is read as written",
            f"did you mean {value * 100:+.3g}?",
        )


def check_share_scale(spec: MetricSpec, raw: object, value: float) -> None:
    """Raise :class:`MetricValueError` for a share where higher is better written as a percentage
    under 1% (``0.71%``): most likely a share of 1 (0.71) that an export or a hand suffixed with
    ``%``. Read as written, a CSAT of 0.71% on 400 answers (3 satisfied customers) passed without a
    word. The caller warns and reads it as written. Conversion is left out: a funnel's 0.7% is common."""
    if (
        isinstance(raw, str) and "%" in raw and takes_percent(spec) and spec.better == "higher"
        and spec.name != "conversion" and 0 < value < 0.01
    ):
        raise MetricValueError(
            f"{spec.label} {raw.strip()} looks like a share of 1 ({_fmt_number(round(value * 100, 6))}) written with a"
            " percent sign; it is read as written, under 1%",
            f"did you mean {_fmt_number(round(value * 10000, 4))}%?",
        )


def check_plausible(spec: MetricSpec, raw: object, value: float) -> None:
    """Raise :class:`MetricValueError` for a value on the metric's scale above what the catalogue takes as plausible
    (:attr:`MetricSpec.plausible_high`: a response time over a year). A response time of 1e9, seconds as journeymap
    reads a bare number (31 years; an export's milliseconds, 11 days), made its touchpoint weak without a word.
    The caller warns and reads it as written."""
    if spec.plausible_high is None or value <= spec.plausible_high:
        return
    huge = value >= 1e15  # no measurement: a pasted ID, 1e300 (its digits and years written out ran to 300 figures)
    shown = raw.strip() if isinstance(raw, str) else f"{value:g}" if huge else _fmt_number(value)
    years = value / (365.25 * 86_400)
    limit = "a year" if spec.plausible_high == 365 * 86_400 else spec.format(spec.plausible_high)
    is_text = f"about {years:.2g} years" if huge else \
        f"{spec.format(value)}, about {years:,.0f} year{'s' * (round(years) != 1)}"
    message = f"{spec.label} {shown} is {is_text}: over {limit} is implausible for a {spec.label.lower()}; it is read as written"
    bare = isinstance(raw, (int, float)) or (isinstance(raw, str) and _NUMBER.match(raw) is not None)
    if huge:
        hint = "is it a value from another column, or an ID?"
    elif spec.kind == "duration" and bare:
        hint = ("a number is read as seconds: if it counts milliseconds, as tools often export durations, write"
                f" {_spelled_duration(float(value) / 1000)}")
    elif spec.kind == "duration":
        hint = "check the value and its unit: a duration is written 45s, 7m, 1h30m or 3d"
    else:
        hint = "check the value: is it from another column?"
    raise MetricValueError(message, hint)


_DOT_THOUSANDS = re.compile(r"[-+]?[1-9][0-9]{0,2}\.[0-9]{3}")


def check_amount_thousands(spec: MetricSpec, raw: object) -> None:
    """Raise :class:`MetricValueError` for an amount whose dot is followed by exactly three digits
    (``1.250 EUR``, ``€1.200``): German, Dutch or Italian Excel writes thousands so. Read as 1.25
    EUR, a series 1.200 EUR, 1200 EUR jumped 1000-fold without a word (an ``n`` of ``1.240`` was
    already refused). The caller warns and reads it as written: 1.250 may be a price to the tenth of a cent."""
    if spec.kind != "amount" or not isinstance(raw, str) or (m := _AMOUNT_WITH_UNIT.match(raw.strip())) is None:
        return
    if _DOT_THOUSANDS.fullmatch(m.group(2)) is not None:
        unit = (m.group(1) or m.group(3) or "").strip()
        unit = _CURRENCY_SIGNS.get(unit, unit)
        read = m.group(2).rstrip("0").rstrip(".")
        raise MetricValueError(
            f"{spec.label} '{raw.strip()}' is read as written, {read}{' ' + unit if unit else ''}, but a dot followed by"
            " three digits may separate thousands",
            f"if the dot separates thousands, write {raw.strip().replace(m.group(2), m.group(2).replace('.', ''), 1)}",
        )


def _fmt_number(value: float | None) -> str:
    if value is None:
        return "∞"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:g}"


def _fmt_places(value: float, places: int, extra: int) -> str:
    """``value`` rounded to ``places`` decimals as :func:`_fmt_number` writes it; with ``extra``,
    in fixed notation (``:g`` keeps six digits: 99.9999616 was ``100``, 0.00004 ``4e-05``)."""
    rounded = round(value, places)
    if not extra or float(rounded).is_integer():
        return _fmt_number(rounded)
    return f"{rounded:.{places}f}".rstrip("0").rstrip(".")


def format_duration(seconds: float, extra: int = 0) -> str:
    """``90`` -> ``1m30s``; ``5400`` -> ``1h30m``; ``0.5`` -> ``0.5s``. With ``extra``, every unit
    down to the second, with ``extra - 1`` decimals of it: ``5396.3`` is ``1h29m56s`` (1), ``1h29m56.3s`` (2).

    >>> format_duration(5396.3), format_duration(5396.3, 1), format_duration(5396.3, 2)
    ('1h29m', '1h29m56s', '1h29m56.3s')
    """
    if seconds < 60:
        return f"{_fmt_places(seconds, 1 + extra, extra)}s"
    if extra:
        rounded = round(seconds, extra - 1)
        whole = int(rounded)
        days, rest = divmod(whole, 86400)
        hours, rest = divmod(rest, 3600)
        minutes, secs = divmod(rest, 60)
        text = "".join(f"{count}{unit}" for count, unit in ((days, "d"), (hours, "h"), (minutes, "m")) if count)
        second = round(secs + rounded - whole, extra - 1)
        return text + (f"{_fmt_places(second, extra - 1, extra)}s" if second else "")
    total = int(round(seconds))
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [(days, "d"), (hours, "h"), (minutes, "m"), (secs, "s")]
    shown = [f"{n}{u}" for n, u in parts if n]
    return "".join(shown[:2])


def format_value(spec: MetricSpec, value: float, extra: int = 0) -> str:
    """Format a value for people: fractions as percentages, durations as ``7m``; ``extra``
    decimals more than usual where two figures must not read alike (see :meth:`MetricSpec.format`)."""
    if spec.kind == "fraction":
        pct = value * 100
        return f"{_fmt_places(pct, 1 + extra, extra)}%"
    if spec.kind == "duration":
        return format_duration(value, extra)
    if spec.kind == "count":
        return f"{int(round(value)):,}" if float(value).is_integer() else f"{value:,.1f}"
    if spec.kind == "amount":
        places = (0 if abs(value) >= 100 or float(value).is_integer() else 2) + extra
        amount = f"{value:,.{places}f}"
        if extra and "." in amount:
            amount = amount.rstrip("0").rstrip(".")
        return f"{amount} {spec.unit}" if spec.unit else amount
    if spec.name == "nps":
        rounded = round(value, 1 + extra)
        return f"{'+' if rounded > 0 else ''}{_fmt_places(value, 1 + extra, extra)}"
    if spec.low is not None and spec.high is not None and spec.low < 0 < spec.high:
        # a score on a scale around 0 (sentiment -1..1) with its sign, as NPS and the comments' sentiment
        # beside it ("Sentiment 0.58" beside "30 comments, sentiment +0.58")
        return f"{'+' if round(value, 2 + extra) > 0 else ''}{_fmt_places(value, 2 + extra, extra)}"
    return _fmt_places(value, 2 + extra, extra)


def spec_from_definition(
    name: str,
    *,
    label: str | None = None,
    scale: list[float] | tuple[float, float] | None = None,
    better: Better | None = None,
    unit: str | None = None,
) -> MetricSpec:
    """The spec of a metric declared in a journey's ``metrics:`` block.

    A built-in keeps its scale and direction (only the label and unit may
    change); a custom metric takes what the definition says.
    """
    base = BUILTIN.get(name)
    if base is not None:
        return MetricSpec(
            name,
            label or base.label,
            base.low,
            base.high,
            base.better,
            base.kind,
            unit or base.unit,
            True,
        )
    low, high = (float(scale[0]), float(scale[1])) if scale else (None, None)
    kind: Literal["number", "fraction"] = "fraction" if (low, high) == (0.0, 1.0) else "number"
    return MetricSpec(name, label or name, low, high, better, kind, unit or "", False)


# -- metrics computed from raw survey responses --------------------------------

#: The raw answer scale of each metric that can be computed from survey responses.
RESPONSE_SCALES: dict[str, tuple[int, int]] = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}


def nps(scores: Sequence[float]) -> float:
    """Net Promoter Score of 0..10 answers: % promoters (9-10) minus % detractors (0-6).

    >>> nps([1, 2, 3, 5, 7, 8, 9, 9, 9, 10])
    0.0
    """
    if not scores:
        raise ValueError("NPS of no responses")
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100.0 * (promoters - detractors) / len(scores)


def csat(scores: Sequence[float]) -> float:
    """CSAT of 1..5 answers: the share answering 4 or 5, as a fraction.

    >>> csat([5, 4, 3, 2, 1, 5])
    0.5
    """
    if not scores:
        raise ValueError("CSAT of no responses")
    return sum(1 for s in scores if s >= 4) / len(scores)


def ces(scores: Sequence[float]) -> float:
    """Customer Effort Score of 1..7 agreement answers: their mean.

    >>> ces([7, 6, 2])
    5.0
    """
    if not scores:
        raise ValueError("CES of no responses")
    return math.fsum(scores) / len(scores)


FROM_RESPONSES: dict[str, Callable[[Sequence[float]], float]] = {"nps": nps, "csat": csat, "ces": ces}


def from_responses(metric: str, scores: Sequence[float]) -> tuple[float, int]:
    """``(value, n)`` of ``metric`` (nps, csat or ces) computed from raw scores.

    >>> from_responses("csat", [5, 4, 3, 2, 1, 5])
    (0.5, 6)
    """
    return FROM_RESPONSES[metric](scores), len(scores)


#: The most significant digits of a whole number read as written (:func:`whole_number`).
_MOST_DIGITS = 18


def whole_number(digits: str) -> int:
    """The whole number that decimal digits (``digits.isdigit()``) write; beyond 18 significant digits, 10**18, a
    stand-in larger than any answer, count or day number (journeymap reads numbers up to 1e15). Python refuses to read
    more than 4,300 digits, and takes a time that grows as their square below: a cell of 5,000 nines was an internal
    error, exit 3, and the file's every answer unread."""
    significant = digits.lstrip("0")
    return int(significant or "0") if len(significant) <= _MOST_DIGITS else 10**_MOST_DIGITS


def parse_score(metric: str, raw: object) -> int:
    """Read one raw survey answer of ``metric``; raise MetricValueError when it is not a
    whole number on the metric's answer scale (0..10 for NPS, 1..5 for CSAT, 1..7 for CES).

    >>> parse_score("nps", "9")
    9
    """
    low, high = RESPONSE_SCALES[metric]
    label = BUILTIN[metric].label
    if isinstance(raw, bool) or raw is None:
        raise MetricValueError(f"{label} score must be a whole number {low}..{high}, not {raw!r}")
    value: float
    if isinstance(raw, (int, float)):
        value = float(raw)
    elif isinstance(raw, str) and _NUMBER.match(raw):
        value = float(raw)
    else:
        hint = f"write a whole number {low}..{high}"
        if isinstance(raw, str) and (error := sheet_error_hint(raw)) is not None:
            hint = error
        elif isinstance(raw, str) and (ascii_digits := _ascii_digits(raw.strip())) is not None:  # '９', Arabic '٩'
            hint = f"write the answer in ASCII digits: {quoted(ascii_digits)}" + (
                "" if low <= whole_number(ascii_digits) <= high else f" (which is off the {low}..{high} answer scale)")
        elif isinstance(raw, str) and (hidden := hidden_number_hint(raw)) is not None:  # '4\u200b', pasted from a page
            hint = hidden
        elif isinstance(raw, str) and raw.strip()[:1] in ("'", "\u2019") and _NUMBER.match(texted := raw.strip()[1:].strip()):
            # "'9": a spreadsheet's text mark, pasted or exported with the number
            hint = f"the apostrophe before {texted} is a spreadsheet's mark that the cell is text, not part of the answer: write {texted}"
        elif (separated := separator_hint(raw)) is not None:  # '4,0', as a European spreadsheet writes 4.0
            hint = f"{separated} ({label} answers are whole numbers {low}..{high})"
        elif isinstance(raw, str) and _PERCENT.match(raw):
            hint = "this looks like a computed value, not an answer; put computed values in a --metrics table"
        elif isinstance(raw, str) and (span := _SCORE_RANGE.fullmatch(raw.strip())) is not None and int(span[1]) < int(span[2]):
            # '4-5', '9–10': a band of the scale, as a report's column names it, not one respondent's answer
            which = f"{span[1]} or {span[2]}" if int(span[2]) == int(span[1]) + 1 else f"one of {span[1]} to {span[2]}"
            hint = (f"'{raw.strip()}' is a range of answers, not one: a score is one respondent's answer; write the answer"
                    f" given, {which}")
        elif isinstance(raw, str) and (written := _WRITTEN_SCORE.fullmatch(raw.strip())) is not None:
            hint = f"write the answer as the number alone: {quoted(written[1])}"  # '9/10', '4 stars', '10 - Extremely likely'
            if not low <= whole_number(written[1]) <= high:  # '9 - Great' for a CSAT: 9 is no answer either
                hint = _scale_hint(metric, float(written[1])) or f"its number, {quoted(written[1])}, is off the {low}..{high} answer scale"
        elif isinstance(raw, str) and _STARS.fullmatch(stars := raw.strip()):  # a review widget's '★★★★☆'
            hint = f"write the answer as the number of stars filled: {stars.count(chr(0x2605)) + stars.count(chr(0x2b50))}"
        elif isinstance(raw, str) and metric == "csat" and (face := _FACES.get(raw.strip().replace("\ufe0f", ""))) is not None:
            hint = (f"emoji faces are read in a column of them alone, and this one holds other answers: '{raw.strip()}' is"
                    f" {face} on the 1..5 faces (\U0001f620 1, \U0001f641 2, \U0001f610 3, \U0001f603 4, \U0001f929 5, as"
                    f" Intercom rates): write {face}")
        elif isinstance(raw, str) and metric == "csat" and (feeling := _HOTJAR.get(raw.strip().lower())) is not None:
            hint = (f"Hotjar's feedback ratings are read in a column of them alone, and this one holds other answers:"
                    f" '{raw.strip()}' is {feeling} on its 1..5 scale (1 Hate, 2 Dislike, 3 Neutral, 4 Like, 5 Love): write {feeling}")
        elif isinstance(raw, str) and metric == "csat" and (rating := INTERCOM_RATINGS.get(raw.strip().casefold())) is not None \
                and rating != 2:  # Intercom's 'Great' among numbers or other words ('Bad' is Zendesk's too: read so)
            hint = (f"Intercom's conversation ratings are read in a column of them alone, and this one holds other answers:"
                    f" '{raw.strip()}' is {rating} on its 1..5 scale ({INTERCOM_SCALE}): write {rating}")
        elif isinstance(raw, str) and metric == "csat" and (happy := happy_rating(raw)) is not None and happy != 3:
            # Freshdesk's 'Happy' among numbers or other words ('Neutral' is Hotjar's 3 too: told so above)
            hint = (f"a happy/unhappy scale's ratings (Freshdesk's) are read in a column of them alone, and this one holds"
                    f" other answers: '{raw.strip()}' is a{' satisfied' if happy > 3 else ' dissatisfied'} answer,"
                    f" {happy} on 1..5: write {happy}")
        elif isinstance(raw, str) and metric == "csat" and (three := three_point_rating(raw)) is not None:
            hint = (f"a helpdesk's 3-point ratings (Help Scout's Great, Okay, Not Good) are read in a column of them alone,"
                    f" and this one holds other answers: '{raw.strip()}' is {three} on 1..5: write {three}")
        elif isinstance(raw, str) and metric == "nps" and _NPS_GROUP.fullmatch(raw.strip()):  # Qualtrics' NPS_GROUP column
            hint = ("a promoter, passive or detractor is an NPS group, not an answer: read the column of 0..10 answers"
                    " (an export writes the group in a column of its own beside it)")
        elif isinstance(raw, str) and metric == "csat" and _THUMB_OR_YES.fullmatch(raw.strip()):  # '👍', 'Yes', 'TRUE'
            hint = (f"'{raw.strip()}' is an answer of a thumbs up/down or yes/no survey, not of 1..5: its share of thumbs up"
                    " is not a CSAT of 1..5 answers; give it in a metrics table (--metrics) if it stands for CSAT")
        elif isinstance(raw, str) and metric == "nps" and (end := _NPS_ENDS.get(" ".join(raw.split()).casefold())) is not None:
            hint = (f"the ends of the 0..10 scale are written as their labels: '{raw.strip()}' is {end} (0 not at all likely,"
                    f" 10 extremely likely): write {end}, or export the answers as numbers")
        elif isinstance(raw, str) and (likert := likert_number(metric, raw)) is not None:
            hint = f"Likert labels are not read: '{raw.strip()}' is {likert[0]} on the {low}..{high} scale ({likert[1]}): write {likert[0]}"
        elif isinstance(raw, str) and re.fullmatch(r"(?i)(very |extremely |somewhat |fairly )?(dis)?satisfied|neutral|neither.*|"
                                                   r"(strongly |somewhat )?(dis)?agree|(very |somewhat )?(easy|difficult)", raw.strip()):
            hint = (f"Likert labels are not read: write each answer as its number {low}..{high}"
                    + (" (1 very dissatisfied to 5 very satisfied)" if metric == "csat" else ""))
        if (isinstance(raw, str) and metric == "csat" and hint == f"write a whole number {low}..{high}"
                and (near := difflib.get_close_matches(raw.strip().casefold(), INTERCOM_RATINGS, 1, 0.8))):
            rating = INTERCOM_RATINGS[near[0]]  # 'Amazng': a typo of Intercom's rating
            hint += f" (did you mean '{'OK' if near[0] == 'ok' else near[0].capitalize()}', Intercom's {rating}?)"
        raise MetricValueError(f"{label} score '{quoted(str(raw))}' is not a number", hint)
    # A score as written, but never a 300-digit number in a message (`1e308`, a pasted ID).
    shown = str(raw).strip() if isinstance(raw, str) else _fmt_number(value)
    if len(shown) > 24:
        shown = f"{shown[:12]}… ({len(shown)} characters)"
    if isinstance(raw, str) and (beyond := beyond_double(raw.strip(), value)) is not None:  # '1e400': no whole number
        raise MetricValueError(f"{label} score {shown} is off the {low}..{high} answer scale",
                               f"{beyond} {label} answers are whole numbers {low}..{high}")
    if math.isnan(value) or not value.is_integer():
        raise MetricValueError(
            f"{label} score {shown} is not a whole number",
            _scale_hint(metric, value) or f"{label} answers are whole numbers {low}..{high}",
        )
    if not low <= value <= high:
        raise MetricValueError(
            f"{label} score {shown} is off the {low}..{high} answer scale",
            _scale_hint(metric, value),
        )
    return int(value)


#: The labels of an NPS question's ends, as an export of choice texts writes those two answers (Qualtrics',
#: SurveyMonkey's: the numbers between stay numbers).
_NPS_ENDS = {"extremely likely": 10, "very likely": 10, "not at all likely": 0, "not likely at all": 0, "extremely unlikely": 0}


#: The usual labels of the CSAT and CES answer scales, lowest first (CES asked as agreement with "It was easy to..."
#: or as ease itself), each with the words that name its ends.
_LIKERT = {
    # 'unsatisfied' as LimeSurvey's and some forms' labels write it
    # (SurveyMonkey's 5-point 'Somewhat satisfied' and Qualtrics' 'Extremely satisfied' too; beside 'Satisfied' a
    # 'Somewhat' label is a 7-point scale's, which responses.word_scale does not read)
    "csat": ((("very dissatisfied", "very unsatisfied", "extremely dissatisfied"),
              ("dissatisfied", "unsatisfied", "somewhat dissatisfied"),
              ("neutral", "neither satisfied nor dissatisfied", "neither satisfied nor unsatisfied"),
              ("satisfied", "somewhat satisfied"), ("very satisfied", "extremely satisfied")),
             "1 very dissatisfied to 5 very satisfied"),
    "ces": ((("strongly disagree",), ("disagree",), ("somewhat disagree",), ("neither agree nor disagree", "neutral"),
             ("somewhat agree",), ("agree",), ("strongly agree",)), "1 strongly disagree to 7 strongly agree"),
    "ces-ease": ((("very difficult",), ("difficult",), ("somewhat difficult",), ("neither easy nor difficult",),
                  ("somewhat easy",), ("easy",), ("very easy",)), "1 very difficult to 7 very easy"),
}


def likert_number(metric: str, raw: str) -> tuple[int, str] | None:
    """The number a CSAT or CES answer written as its Likert label stands for on the usual scale, with
    that scale's ends (``Strongly agree`` is 7 of CES's 1..7), else None: told only that labels are
    not read, a CES export of labels gave no number to write.

    >>> likert_number("ces", "Strongly agree"), likert_number("csat", "very satisfied")
    ((7, '1 strongly disagree to 7 strongly agree'), (5, '1 very dissatisfied to 5 very satisfied'))
    """
    text = " ".join(raw.split()).casefold()
    for scale in (metric, f"{metric}-ease"):
        labels, ends = _LIKERT.get(scale, ((), ""))
        for number, names in enumerate(labels, 1):
            if text in names:
                return number, ends
    return None


#: An answer written with its scale or unit: '9/10', '4 / 5', '4 stars', '9 pts'.
#: A range of answers where one goes: '4-5', '9–10', '3 - 4'.
_SCORE_RANGE = re.compile(r"([0-9]{1,2})[ \t]*[-\u2013\u2014][ \t]*([0-9]{1,2})")
_WRITTEN_SCORE = re.compile(r"(\d+)\s*(?:/\s*\d+|out\s+of\s+\d+|(?:stars?|points?|pts?)\.?|(?:\u2605|\u2b50\ufe0f?)|[-\u2013:]\s*[A-Za-z].*)",
                            re.IGNORECASE)  # '4★' too, as a review widget's number and star
#: A star rating written as stars, filled (black star, star emoji) then empty: '★★★★☆', '⭐⭐⭐⭐'.
_STARS = re.compile("(?:\u2605|\u2b50\ufe0f?)+\u2606*")
#: An NPS answer's group, as Qualtrics writes it in its own column (Q1_NPS_GROUP: 'Promoter', 'Passive', 'Detractor').
_NPS_GROUP = re.compile(r"(?i)(?:promoters?|passives?|detractors?|neutrals?)")
#: A CSAT's faces, as Intercom's and Hotjar's ratings export them (angry 1 ... star-struck or heart eyes 5).
_FACES = {face: number for number, faces in enumerate(
    ("\U0001f620\U0001f621\U0001f623\U0001f616", "\U0001f641\u2639\U0001f61e\U0001f615\U0001f61f", "\U0001f610\U0001f636\U0001f611",
     "\U0001f642\U0001f603\U0001f600\U0001f60a\U0001f604", "\U0001f929\U0001f60d\U0001f601\U0001f970"), 1) for face in faces}
#: The faces of a 1..5 emoji scale, as Intercom's and Hotjar's exports may write a rating: read on that scale in a column
#: of them alone (:func:`journeymap.data.responses.word_scale`), else told the number to write.
FACES = _FACES
#: Hotjar's feedback ratings (an emoji scale's words), as its export writes them: read on its 1..5 scale in a column of
#: them alone (:func:`journeymap.data.responses.word_scale`), else told the number to write.
HOTJAR_RATINGS = _HOTJAR = {"hate": 1, "dislike": 2, "neutral": 3, "like": 4, "love": 5}
#: Intercom's conversation ratings, as its export writes them (it shows them as faces, 😠 to 🤩): read on its 1..5 scale
#: in a column of them alone (:func:`journeymap.data.responses.word_scale`), else told the number to write.
INTERCOM_RATINGS = {"terrible": 1, "bad": 2, "ok": 3, "great": 4, "amazing": 5}
INTERCOM_SCALE = "1 Terrible, 2 Bad, 3 OK, 4 Great, 5 Amazing"
#: A happy/unhappy scale's ratings, as Freshdesk's satisfaction export writes them (Happy, Neutral, Unhappy on its 3-point
#: survey; Extremely and Very happy or unhappy on its 5- and 7-point ones), on 1..5: every happy answer satisfied (4 or 5),
#: as Freshdesk's CSAT counts its positive ratings, a neutral or unhappy one not. Read in a column of them alone
#: (:func:`journeymap.data.responses.word_scale`), else told the number to write.
HAPPY_RATINGS = {"extremely unhappy": 1, "very unhappy": 1, "unhappy": 2, "neutral": 3, "happy": 4, "very happy": 5,
                 "extremely happy": 5}


#: A helpdesk's 3-point satisfaction ratings: Help Scout's Great, Okay, Not Good (as its help pages name them) and
#: Freshdesk's classic survey's Awesome, Just Okay, Not Good, on 1..5 as satisfied 5, neither 3, dissatisfied 1. Read in a
#: column of them alone (:func:`journeymap.data.responses.word_scale`), else told the number to write.
THREE_POINT_RATINGS = {"great": 5, "awesome": 5, "okay": 3, "ok": 3, "just okay": 3, "just ok": 3, "not good": 1}


def three_point_rating(raw: str) -> int | None:
    """The number on 1..5 of a helpdesk's 3-point rating (:data:`THREE_POINT_RATINGS`), in any capitals; else None.

    >>> three_point_rating("Not Good"), three_point_rating("just okay"), three_point_rating("Fine")
    (1, 3, None)
    """
    return THREE_POINT_RATINGS.get(" ".join(raw.split()).casefold()) if len(raw) <= 40 else None


def happy_rating(raw: str) -> int | None:
    """The number on 1..5 of a happy/unhappy scale's rating (:data:`HAPPY_RATINGS`), in any capitals and spacing; else None.

    >>> happy_rating("Extremely  Happy"), happy_rating("unhappy"), happy_rating("Glad")
    (5, 2, None)
    """
    return HAPPY_RATINGS.get(" ".join(raw.split()).casefold()) if len(raw) <= 40 else None
#: A thumbs up/down or yes/no survey's answers, as Slack-style widgets and form tools export them (a 'Were you satisfied?'
#: question, a boolean column): told only "write a whole number 1..5".
_THUMB_OR_YES = re.compile("(?i)(?:\U0001f44d|\U0001f44e)[\U0001f3fb-\U0001f3ff]?\ufe0f?|thumbs[ _-]?(?:up|down)|yes|no|y|n"
                           "|true|false")
#: Zendesk's satisfaction ratings: 'Good' and 'Bad', or written out ('Good, I'm satisfied', 'Bad, I'm unsatisfied',
#: 'Unsatisfied': a 1..5 scale says 'Dissatisfied'), or as a chat tool writes them ('rated good', 'rated bad'). Read as
#: CSAT answers (:func:`good_bad_score`).
_GOOD_BAD = re.compile(r"(?i)(?:rated\s+)?(?:good|bad)(?:,?\s*i['\u2019]?m\s+(?:un)?satisfied)?|unsatisfied")


def _ascii_digits(text: str) -> str | None:
    """A whole number written in digits of another script than ASCII's, as ASCII digits: full-width '９' (a Japanese or
    Chinese input method's), Arabic-Indic '٩', Devanagari '९'; else None."""
    if not text or text.isascii() or not all(ch.isdecimal() for ch in text):
        return None
    import unicodedata

    return "".join(str(unicodedata.decimal(ch)) for ch in text)


def good_bad_score(raw: str) -> int | None:
    """A Good/Bad rating's answer as a CSAT answer (Zendesk's satisfaction rating: 'Good', 'bad', 'Good, I'm
    satisfied', 'Unsatisfied'): Good is a satisfied answer, 5, and Bad a dissatisfied one, 1, so that the CSAT of
    such ratings is their share of Good among the rated; None for another text.

    >>> good_bad_score("Good"), good_bad_score("bad, I'm unsatisfied"), good_bad_score("Okay")
    (5, 1, None)
    """
    text = raw.strip()
    if not _GOOD_BAD.fullmatch(text):
        return None
    return 5 if "good" in text.casefold() else 1


def _scale_hint(metric: str, value: float) -> str | None:
    low, high = RESPONSE_SCALES[metric]
    if metric == "csat" and 0 < value < 1:
        return "this looks like a CSAT value, not an answer; put computed values in a --metrics table"
    if metric == "csat" and value == 0:  # a 0 is no 1..5 answer: a 0..10 score's, or a thumbs down's (0/1)
        return (f"CSAT answers are {low}..{high}; a 0 is of another scale, a 0..10 score or a thumbs down/up survey's 0/1:"
                f" convert the answers to {low}..{high}, or survey them on that scale")
    if metric in ("csat", "ces") and value.is_integer() and (value == 0 or high < value <= 10):
        return (f"{BUILTIN[metric].label} answers are {low}..{high}; a 0..10 score is another scale:"
                f" convert the answers to {low}..{high}, or survey them on that scale")
    if metric == "nps" and value < 0:
        return "this looks like an NPS value, not an answer; put computed values in a --metrics table"
    return None


def catalogue(definitions: Mapping[str, Any] | None = None) -> dict[str, MetricSpec]:
    """The metric catalogue a journey sees: the built-ins plus its ``metrics:`` definitions
    (objects with ``label``, ``scale``, ``better`` and ``unit``, such as :class:`~journeymap.model.MetricDef`).
    """
    specs = dict(BUILTIN)
    for name, definition in (definitions or {}).items():
        specs[name] = spec_from_definition(
            name,
            label=getattr(definition, "label", None),
            scale=getattr(definition, "scale", None),
            better=getattr(definition, "better", None),
            unit=getattr(definition, "unit", None),
        )
    return specs

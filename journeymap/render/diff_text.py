"""Render a journey diff (:mod:`journeymap.changes`) as text, Markdown or JSON.

- ``text``: for a terminal; one line per change, details indented.
- ``markdown``: for a pull-request comment: a bold summary line, a table of
  consequences first (conversion, touchpoints that became weak or recovered,
  stage reach), then one ``<details>`` block per kind of element. User text
  is escaped (pipes, backticks, ``<``, HTML) so a name cannot break the table
  or inject markup.
- ``json``: a stable shape, documented in the README ("journeymap diff").

Every function returns a string; nothing here prints.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable, Sequence
from typing import Any

from ..changes import (
    KINDS,
    Change,
    Changes,
    Consequences,
    Detail,
    FileChanges,
    Kind,
    WeakChange,
    element_name,
)

ARROW = "→"
MINUS = "−"  # U+2212: a minus that does not read as a hyphen

_PLURAL = {
    "touchpoint": "touchpoints",
    "stage": "stages",
    "persona": "personas",
    "channel": "channels",
    "metric": "metric definitions",
    "journey": "journey settings",
}
_TITLE = {
    "touchpoint": "Touchpoints",
    "stage": "Stages",
    "persona": "Personas",
    "channel": "Channels",
    "metric": "Metric definitions",
    "journey": "Journey",
}
_FIELD_LABEL = {"weak": "weak"}


# -- escaping -----------------------------------------------------------------


def md_escape(text: str) -> str:
    """Escape user text for Markdown (and the HTML GitHub allows in it), on one line:
    :func:`journeymap.render.escape.markdown_text`, the one escaper of every Markdown output.

    >>> md_escape("a|b <script> `x`")
    'a\\\\|b &lt;script&gt; \\\\`x\\\\`'
    """
    from .escape import markdown_text

    return markdown_text(text)


class _Style:
    """How user text and ids look in one output format."""

    def text(self, value: str) -> str:
        """A quoted piece of user text, on one line: JSON escapes for control characters
        (``\\u001b``), :func:`~journeymap.problems.visible` ones for what JSON leaves raw (bidi)."""
        from ..problems import visible

        return visible(json.dumps(" ".join(str(value).split()), ensure_ascii=False))

    def plain(self, value: str) -> str:
        """User text used as a word (a name, a label, a reason), on one line: line breaks and
        control characters shown as escapes (``\\n``, ``\\x1b``), never run by a terminal."""
        from ..problems import visible

        return " ".join(visible(str(value)).split())

    def ident(self, value: str) -> str:
        return value

    def named(self, name: str | None, ident: str) -> str:
        """``Name (id)``, or just the id when there is no name."""
        if name is None or name == ident:
            return self.ident(ident)
        return f"{self.plain(name)} ({self.ident(ident)})"


class _Markdown(_Style):
    def text(self, value: str) -> str:
        return f'"{md_escape(value)}"'

    def plain(self, value: str) -> str:
        return md_escape(value)

    def ident(self, value: str) -> str:
        # Ids are slugs, but an id from a broken file could hold anything: keep it safe.
        if re.fullmatch(r"[A-Za-z0-9_.:/ -]+", value):
            return f"`{value}`"
        return md_escape(value)


TEXT = _Style()
MARKDOWN = _Markdown()


# -- numbers --------------------------------------------------------------------


def _percent_pair(old: float, new: float) -> tuple[str, str, str]:
    """``41.2%``, ``38.9%``, ``−2.3 pts``: with enough decimals that a real change shows."""
    for decimals in (1, 2, 3):
        a, b = f"{old * 100:.{decimals}f}%", f"{new * 100:.{decimals}f}%"
        if a != b:
            break
    delta = (new - old) * 100
    sign = "+" if delta > 0 else MINUS if delta < 0 else "±"
    return a, b, f"{sign}{abs(delta):.{decimals}f} pts"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _metric_value(changes: Changes, metric: str, value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return changes.spec(metric).format(float(value))


def _share(value: float | None) -> str:
    return "unset" if value is None else f"{value * 100:g}%"


def _list_change(style: _Style, old: Sequence[Any] | None, new: Sequence[Any] | None, all_word: str | None = None) -> str:
    if old is None or new is None:
        def show(items: Sequence[Any] | None) -> str:
            if items is None:
                return all_word or "none"
            return ", ".join(style.plain(str(i)) for i in items) or "none"

        return f"{show(old)} {ARROW} {show(new)}"
    added = [i for i in new if i not in old]
    removed = [i for i in old if i not in new]
    parts = [f"+ {style.plain(str(i))}" for i in added] + [f"{MINUS} {style.plain(str(i))}" for i in removed]
    if not parts:
        return "reordered"
    return ", ".join(parts)


# -- sentences ------------------------------------------------------------------


def _direction(detail: Detail) -> str:
    if detail.direction in ("improved", "worse"):
        return f", {detail.direction}"
    if detail.direction in ("stricter", "looser"):
        return f" ({detail.direction})"
    return ""


def _scalar(style: _Style, value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (int, list)):
        return ", ".join(style.plain(str(v)) for v in value) if isinstance(value, list) else str(value)
    return style.text(str(value))


def _field_sentence(style: _Style, detail: Detail, journey_level: bool = False) -> str:
    name = detail.subject or ""
    old, new = detail.old, detail.new
    if name in ("systems", "backstage", "opportunities", "goals", "pains", "tags", "imports"):
        return f"{name}: {_list_change(style, old, new)}"
    if name == "personas":
        return f"personas: {_list_change(style, old, new, all_word='all personas')}"
    if name == "entry":
        return "now an entry" if new else "no longer an entry"
    if name == "share":
        return f"share {_share(old)} {ARROW} {_share(new)}"
    if name == "emotion":
        return f"emotion {_scalar(style, old)} {ARROW} {_scalar(style, new)}{_direction(detail)}"
    if name in ("outcome", "kind", "id"):
        return f"{name} {_scalar(style, old)} {ARROW} {_scalar(style, new)}"
    if old is None:
        return f"{name} added: {style.text(new)}"
    if new is None:
        return f"{name} removed (was {style.text(old)})"
    return f"{name} {style.text(old)} {ARROW} {style.text(new)}"


def _friction_label(style: _Style, detail: Detail) -> str:
    label = f"friction '{style.plain(detail.subject or '')}'"
    if detail.note:
        label += f" ({style.plain(detail.note)})"
    return label


def detail_sentence(changes: Changes, detail: Detail, style: _Style = TEXT, owner: str | None = None) -> str:
    """One difference in the journey's own words, e.g. ``CSAT 62% → 71%, improved``."""
    aspect, op, old, new = detail.aspect, detail.op, detail.old, detail.new
    if aspect == "name":
        return f"renamed {style.text(old)} {ARROW} {style.text(new)}"
    if aspect == "stage":
        return (
            f"moved to stage {style.named(element_name(changes, 'stage', new), new)} "
            f"(from {style.named(element_name(changes, 'stage', old), old)})"
        )
    if aspect == "channel":
        return (
            f"channel {style.named(element_name(changes, 'channel', old), old)} {ARROW} "
            f"{style.named(element_name(changes, 'channel', new), new)}"
        )
    if aspect == "field":
        return _field_sentence(style, detail)
    if aspect == "flow":
        to = style.ident(detail.subject or "")
        source = style.ident(owner) if owner else ""
        arrow = f"flow {source} {ARROW} {to}".replace("  ", " ")
        if op == "added":
            return f"{arrow} added" + (f", share {_share(new)}" if new is not None else "")
        if op == "removed":
            return f"{arrow} removed" + (f" (share was {_share(old)})" if old is not None else "")
        if detail.field == "share":
            return f"{arrow} share {_share(old)} {ARROW} {_share(new)}"
        if detail.field == "time":
            return f"{arrow} time {style.plain(old or 'not set')} {ARROW} {style.plain(new or 'not set')}"
        if detail.field == "time n":
            return f"{arrow} time n {_scalar(style, old)} {ARROW} {_scalar(style, new)}"
        return f"{arrow} label {_scalar(style, old)} {ARROW} {_scalar(style, new)}"
    if aspect == "friction":
        label = _friction_label(style, detail)
        if op == "added":
            return f"{label} added, severity {new}"
        if op == "removed":
            return f"{label} removed (severity was {old})"
        if detail.field == "severity":
            return f"{label} severity {old} {ARROW} {new}{_direction(detail)}"
        return f"{label} {detail.field} {_scalar(style, old)} {ARROW} {_scalar(style, new)}"
    if aspect in ("metric", "target", "definition"):
        metric = detail.subject or ""
        label = style.plain(changes.spec(metric).label)
        what = detail.field or "target"
        if aspect == "definition" and what != "target":
            return f"{label} {what} {_scalar(style, old)} {ARROW} {_scalar(style, new)}"
        is_value = aspect == "metric" and what == "value"
        value_of: Callable[[Any], str] = (
            (lambda v: _metric_value(changes, metric, v)) if what in ("value", "target") else (lambda v: _scalar(style, v))
        )
        head = label if is_value else f"{label} {what}"
        if op == "added":
            return f"{head} {value_of(new)} added" if is_value else f"{head} {value_of(new)} set"
        if op == "removed":
            return f"{head} removed (was {value_of(old)})"
        return f"{head} {value_of(old)} {ARROW} {value_of(new)}{_direction(detail)}"
    if aspect == "weak":
        return f"weak.{detail.subject} {_scalar(style, old)} {ARROW} {_scalar(style, new)}"
    if aspect in ("scenario", "opportunity"):
        return f"{aspect} {style.ident(detail.subject or '')} {op}"
    if aspect == "value" and op != "changed":
        shown = new if op == "added" else old
        return f"value {detail.subject} {_scalar(style, shown)} {op}"
    if aspect == "id":  # on the added touchpoint (owner: the new id) and on the removed one
        other = f"the removed {style.ident(old)}" if owner == new else f"the added {style.ident(new)}"
        return f"same name as {other}: the id likely changed {style.ident(old)} {ARROW} {style.ident(new)}"
    if aspect == "touchpoint-order":
        return f"touchpoint order {', '.join(map(style.ident, old))} {ARROW} {', '.join(map(style.ident, new))}"
    if aspect == "stage-order":
        return f"stage order {', '.join(map(style.ident, old))} {ARROW} {', '.join(map(style.ident, new))}"
    return f"{aspect} {detail.subject or ''} {_scalar(style, old)} {ARROW} {_scalar(style, new)}"


def _placement(changes: Changes, change: Change, style: _Style) -> str:
    """Where an added or removed touchpoint is: ``stage Checkout, channel App``."""
    journey = changes.old if change.change == "removed" else changes.new
    if journey is None or change.kind != "touchpoint":
        return ""
    touchpoint = journey.touchpoint_by_id[change.id]
    stage = journey.stage_by_id.get(touchpoint.stage)
    channel = journey.channel_by_id.get(touchpoint.channel)
    return (
        f"stage {style.plain(stage.name) if stage else style.ident(touchpoint.stage)}, "
        f"channel {style.plain(channel.name) if channel else style.ident(touchpoint.channel)}"
    )


def change_headline(changes: Changes, change: Change, style: _Style = TEXT) -> str:
    """``touchpoint Pay now (pay-now) added (stage Checkout, channel App)``."""
    name = element_name(changes, change.kind, change.id)
    if change.kind == "journey":
        return f"journey {style.ident(change.id)} {change.change}"
    head = f"{change.kind} {style.named(name, change.id)}"
    placement = _placement(changes, change, style)
    if change.change in ("added", "removed"):
        word = "added" if change.change == "added" else "removed"
        if placement:
            return f"{head} {word} ({placement})" if word == "added" else f"{head} {word} (was in {placement})"
        return f"{head} {word}"
    return f"{head} {change.change}"


# -- summary ----------------------------------------------------------------------


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' * (n != 1)}"


def summary_parts(changes: Changes) -> list[str]:
    """The pieces of the one-line summary, most important first."""
    if changes.status == "added":
        assert changes.new is not None
        parts = [f"new journey with {_count(len(changes.new.stages), 'stage')} and {_count(len(changes.new.touchpoints), 'touchpoint')}"]
    elif changes.status == "removed":
        assert changes.old is not None
        parts = [f"journey removed ({_count(len(changes.old.touchpoints), 'touchpoint')})"]
    else:
        parts = []
        counts = changes.counts()
        for kind in KINDS:
            n = sum(counts.get(kind, {}).values())
            if not n:
                continue
            if kind == "journey":
                parts.append("journey settings changed")
            else:
                noun = kind if n == 1 else _PLURAL[kind]
                if kind == "metric":
                    noun = "metric definition" if n == 1 else "metric definitions"
                parts.append(f"{n} {noun} changed")
    c = changes.consequences
    if c is not None:
        if c.became_weak:
            n = len(c.became_weak)
            parts.append(f"{n} became weak" if changes.status != "added" else f"{n} weak")
        if c.no_longer_weak and changes.status != "removed":
            parts.append(f"{len(c.no_longer_weak)} no longer weak")
        if c.conversion_changed and c.old_conversion is not None and c.new_conversion is not None:
            a, b, delta = _percent_pair(c.old_conversion, c.new_conversion)
            parts.append(f"conversion {a} {ARROW} {b} ({delta})")
        elif changes.status == "added" and c.new_conversion is not None:
            parts.append(f"conversion {percent(c.new_conversion)}")
        if c.value_changed:
            parts.append(f"worth {_value_words(c)}")
    if not parts:
        return ["no changes"]
    return parts


def _value_pair(c: Consequences) -> tuple[str, str]:
    from ..value import money

    currency = c.currency or ""
    return (
        money(c.old_value, c.old_currency or currency) if c.old_value is not None else "-",
        money(c.new_value, currency) if c.new_value is not None else "-",
    )


def _value_words(c: Consequences) -> str:
    """``-£8,100 a month``."""
    from ..value import money

    amount = money(c.value_delta or 0.0, c.currency or "", sign=True)
    return f"{MINUS + amount[1:] if amount.startswith('-') else amount} {c.value_unit}"


def summary_line(changes: Changes) -> str:
    """``3 touchpoints changed, 1 became weak, conversion 41.2% → 38.9% (−2.3 pts)``."""
    return ", ".join(summary_parts(changes))


# -- consequences -------------------------------------------------------------------


def _weak_sentence(changes: Changes, weak: WeakChange, style: _Style, sep: str = "; ") -> tuple[str, str, str, str]:
    """(what, before, after, why) for one weakness change; ``sep`` goes between reasons
    (a reason may hold a semicolon itself, so Markdown puts each on a line of its own)."""
    who = style.named(element_name(changes, "touchpoint", weak.touchpoint), weak.touchpoint)
    states = {"weak": "weak", "not_weak": "not weak", "absent": "absent"}
    before, after = states[weak.was], states[weak.now]
    if weak.now == "weak" and weak.was != "weak":
        what = f"became weak: {who}" if weak.was == "not_weak" else f"new weak touchpoint: {who}"
        why = sep.join(style.plain(r) for r in weak.reasons)
    elif weak.was == "weak" and weak.now != "weak":
        what = f"no longer weak: {who}" if weak.now == "not_weak" else f"weak touchpoint removed: {who}"
        why = "was: " + sep.join(style.plain(r) for r in weak.old_reasons) if weak.old_reasons else ""
    else:
        what = f"still weak, reasons changed: {who}"
        why = sep.join(style.plain(r) for r in weak.reasons)
    return what, before, after, why


def _conversion_row(changes: Changes) -> tuple[str, str, str] | None:
    c = changes.consequences
    if c is None or (c.old_conversion is None and c.new_conversion is None):
        return None
    if c.old_conversion is None or c.new_conversion is None:
        return percent(c.old_conversion), percent(c.new_conversion), ""
    a, b, delta = _percent_pair(c.old_conversion, c.new_conversion)
    if not c.conversion_changed:
        return a, b, "unchanged"
    verdict = "worse" if c.new_conversion < c.old_conversion else "improved"
    return a, b, f"{delta}, {verdict}"


def _stage_rows(changes: Changes, style: _Style) -> tuple[list[tuple[str, str, str, str]], int]:
    """Rows for stages whose reach changed, and how many stages kept theirs."""
    c = changes.consequences
    rows: list[tuple[str, str, str, str]] = []
    unchanged = 0
    if c is None or changes.status != "modified":  # every stage of an added journey is new
        return rows, unchanged
    for stage in c.stages:
        name = style.named(element_name(changes, "stage", stage.stage), stage.stage)
        if not stage.changed:
            unchanged += 1
            continue
        if stage.old_reach is None:
            rows.append((name, "—", percent(stage.new_reach), "new stage"))
        elif stage.new_reach is None:
            rows.append((name, percent(stage.old_reach), "—", "stage removed"))
        else:
            a, b, delta = _percent_pair(stage.old_reach, stage.new_reach)
            rows.append((name, a, b, delta))
    return rows, unchanged


# -- text -----------------------------------------------------------------------------


def _header(file: FileChanges, style: _Style) -> str:
    changes = file.changes
    journey = (changes.new or changes.old) if changes else None
    where = file.path
    if file.old_path and file.old_path != file.path:
        where = f"{file.old_path} {ARROW} {file.path}"
    status = {"added": " (added)", "removed": " (deleted)", "renamed": " (renamed)", "modified": ""}[file.status]
    if journey is None:
        return f"{where}{status}"
    return f"{where}{status}: journey {style.ident(journey.id)} {style.text(journey.title)}"


def _different(style: _Style, ids: tuple[str, str]) -> str:
    return f"two different journeys: ids {style.ident(ids[0])} and {style.ident(ids[1])}; every element is compared by id"


def _text_one(file: FileChanges) -> list[str]:
    changes = file.changes
    lines = [_header(file, TEXT)]
    if file.imports_changed:
        lines.append(f"  (imports changed: {', '.join(file.imports_changed)})")
    if changes is None:
        lines.append(f"  not compared: {file.broken} (reported as FILE:LINE:COL: error[CODE]: ...)")
        return lines
    if (ids := changes.different_journeys) is not None:
        lines.append(f"  note: {_different(TEXT, ids)}")
    lines.append(f"  {summary_line(changes)}")
    if changes.is_empty:
        return lines
    c = changes.consequences
    if c is not None and not c.is_empty:
        found = []
        conversion = _conversion_row(changes)
        if conversion is not None and conversion[2] not in ("unchanged", ""):
            a, b, note = conversion
            found.append(f"    conversion {a} {ARROW} {b} ({note})")
        if c.value_changed:
            a, b = _value_pair(c)
            found.append(f"    value {a} {ARROW} {b}: this change is worth {_value_words(c)}")
        elif c.value_not_compared is not None:
            a, b = _value_pair(c)
            found.append(f"    value {a} {ARROW} {b}: not compared, {c.value_not_compared}")
        for weak in (*c.became_weak, *c.no_longer_weak, *c.reasons_changed):
            what, _, _, why = _weak_sentence(changes, weak, TEXT)
            found.append(f"    {what}" + (f": {why}" if why else ""))
        rows, unchanged = _stage_rows(changes, TEXT)
        for name, a, b, note in rows:
            found.append(f"    reach {name}: {a} {ARROW} {b} ({note})")
        if rows and unchanged:
            found.append(f"    reach unchanged in {unchanged} other stage{'s' * (unchanged != 1)}")
        if found:
            lines += ["", "  consequences" + (f" (persona {c.persona})" if c.persona else ""), *found]
    marks = {"added": "+", "removed": MINUS}
    for kind in KINDS if changes.status == "modified" else ():
        items = changes.of_kind(kind)
        if not items:
            continue
        lines.append("")
        lines.append(f"  {_PLURAL[kind]}")
        for change in items:
            mark = marks.get(change.change, "~")
            lines.append(f"    {mark} {change_headline(changes, change, TEXT)}")
            for detail in change.details:
                lines.append(f"        {detail_sentence(changes, detail, TEXT, change.id)}")
    return lines


def render_text(files: Sequence[FileChanges]) -> str:
    """Plain text for a terminal, one block per journey file."""
    if not files:
        return "no journey files changed\n"
    from ..problems import visible

    # One entry of _text_one is one line: what a journey or a path holds is escaped inside it.
    blocks = ["\n".join(visible(line) for line in _text_one(f)) for f in files]
    return "\n\n".join(blocks) + "\n"


# -- markdown -------------------------------------------------------------------------


def _row(*cells: str) -> str:
    return "| " + " | ".join(cell or " " for cell in cells) + " |"


def _markdown_one(file: FileChanges, *, heading: str = "###") -> list[str]:
    changes = file.changes
    status = {"added": "added", "removed": "deleted", "renamed": "renamed", "modified": ""}[file.status]
    journey = (changes.new or changes.old) if changes else None
    where = MARKDOWN.ident(file.path)
    if file.old_path and file.old_path != file.path:
        where = f"{MARKDOWN.ident(file.old_path)} {ARROW} {MARKDOWN.ident(file.path)}"
    # Without a journey (the file has errors) the path is the whole heading, not said twice.
    title = f"{md_escape(journey.title)} — {where}" if journey is not None else where
    lines = [f"{heading} {title}" + (f" ({status})" if status else ""), ""]
    if file.imports_changed:
        lines += [f"Imported files changed: {', '.join(MARKDOWN.ident(p) for p in file.imports_changed)}", ""]
    if changes is None:
        lines += ["**Not compared: the file has errors.**", ""]
        for problem in file.problems:
            if problem.is_error:
                lines.append(f"- {md_escape(str(problem))}")
        return lines + [""]
    if (ids := changes.different_journeys) is not None:
        lines += [f"> **Note:** {_different(MARKDOWN, ids)}", ""]
    # The summary holds counts and percentages only: nothing to escape.
    lines += [f"**{summary_line(changes)}**", ""]
    if changes.is_empty:
        return lines
    c = changes.consequences
    if c is not None and not c.is_empty:
        lines += [_row("Consequence", "Before", "After", "Change"), _row("---", "---", "---", "---")]
        conversion = _conversion_row(changes)
        if conversion is not None and conversion[2] != "unchanged":
            a, b, note = conversion
            label = "**Conversion**" + (f" (persona {MARKDOWN.ident(c.persona)})" if c.persona else "")
            lines.append(_row(label, a, b, f"**{note}**" if "worse" in note else note))
        if c.value_changed:
            a, b = _value_pair(c)
            worth = f"this change is worth {_value_words(c)}"
            lines.append(_row("**Value**", a, b, f"**{worth}**" if (c.value_delta or 0) < 0 else worth))
        elif c.value_not_compared is not None:
            a, b = _value_pair(c)
            lines.append(_row("**Value**", a, b, f"not compared, {c.value_not_compared}"))
        for weak in (*c.became_weak, *c.no_longer_weak, *c.reasons_changed):
            what, before, after, why = _weak_sentence(changes, weak, MARKDOWN, "<br>")
            head, _, who = what.partition(": ")
            lines.append(_row(f"**{head[0].upper()}{head[1:]}:** {who}", before, after, why))
        rows, unchanged = _stage_rows(changes, MARKDOWN)
        for name, a, b, note in rows:
            lines.append(_row(f"Reach: {name}", a, b, note))
        lines.append("")
        if rows and unchanged:
            lines += [f"Reach unchanged in {unchanged} other stage{'s' * (unchanged != 1)}.", ""]
    for kind in KINDS if changes.status == "modified" else ():
        items = changes.of_kind(kind)
        if not items:
            continue
        counts: dict[str, int] = {}
        for change in items:
            counts[change.change] = counts.get(change.change, 0) + 1
        order = ("added", "removed", "renamed", "moved", "modified")
        breakdown = ", ".join(f"{counts[k]} {k}" for k in order if k in counts)
        lines += [f"<details><summary>{html.escape(_TITLE[kind])}: {breakdown}</summary>", ""]
        for change in items:
            lines.append(f"- {_md_headline(changes, change)}")
            for detail in change.details:
                lines.append(f"  - {detail_sentence(changes, detail, MARKDOWN, change.id)}")
        lines += ["", "</details>", ""]
    return lines


def _md_headline(changes: Changes, change: Change) -> str:
    if change.kind == "journey":
        return f"**{change.change}** journey {MARKDOWN.ident(change.id)}"
    name = MARKDOWN.named(element_name(changes, change.kind, change.id), change.id)
    placement = _placement(changes, change, MARKDOWN)
    suffix = f" — {'was in ' if change.change == 'removed' else ''}{placement}" if placement else ""
    return f"**{change.change}** {name}{suffix}"


def render_markdown(files: Sequence[FileChanges], *, title: str | None = None) -> str:
    """Markdown for a pull-request comment."""
    lines: list[str] = []
    if title:
        lines += [f"## {md_escape(title)}", ""]
    if not files:
        lines.append("No journey files changed.")
        return "\n".join(lines) + "\n"
    if len(files) > 1:
        changed = sum(1 for f in files if f.changes is None or not f.changes.is_empty)
        weaker = sum(1 for f in files if f.changes is not None and f.changes.weaker)
        broken = sum(1 for f in files if f.changes is None)
        parts = [f"{len(files)} journey files, {changed} with changes"]
        if weaker:
            parts.append(f"{weaker} made weaker")
        if broken:
            parts.append(f"{broken} with errors")
        lines += ["**" + ", ".join(parts) + "**", ""]
    for file in files:
        lines += _markdown_one(file)
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n"


# -- json -------------------------------------------------------------------------------


def _round(value: float | None) -> float | None:
    """Probabilities to 9 decimals: ``-0.03``, not ``-0.030000000000000027``."""
    return None if value is None else round(value, 9)


def _side(changes: Changes, which: str, file: str | None) -> dict[str, Any] | None:
    journey = changes.old if which == "old" else changes.new
    if journey is None:
        return None
    c = changes.consequences
    conversion = None
    if c is not None:
        conversion = _round(c.old_conversion if which == "old" else c.new_conversion)
    return {
        "file": file,
        "id": journey.id,
        "title": journey.title,
        "stages": len(journey.stages),
        "touchpoints": len(journey.touchpoints),
        "conversion": conversion,
    }


def _weak_json(changes: Changes, weak: WeakChange) -> dict[str, Any]:
    return {
        "touchpoint": weak.touchpoint,
        "name": element_name(changes, "touchpoint", weak.touchpoint),
        "was": weak.was,
        "now": weak.now,
        "reasons": list(weak.reasons),
        "old_reasons": list(weak.old_reasons),
    }


def changes_json(file: FileChanges) -> dict[str, Any]:
    """The JSON object of one journey's diff (see the README for the shape)."""
    changes = file.changes
    base: dict[str, Any] = {
        "path": file.path,
        "old_path": file.old_path,
        "status": file.status,
    }
    if file.imports_changed:
        base["imports_changed"] = list(file.imports_changed)
    if changes is None:
        base.update(
            old=None,
            new=None,
            summary=None,
            consequences=None,
            changes=[],
            problems=[p.as_dict() for p in file.problems],
        )
        return base
    c = changes.consequences
    counts = changes.counts()
    summary = {
        "text": summary_line(changes),
        "changed": not changes.is_empty,
        "weaker": changes.weaker,
        "counts": counts,
        "became_weak": len(c.became_weak) if c else None,
        "no_longer_weak": len(c.no_longer_weak) if c else None,
        "conversion_delta": _round(c.conversion_delta) if c else None,
        "different_journeys": None
        if (ids := changes.different_journeys) is None
        else {"old": ids[0], "new": ids[1]},
    }
    consequences = None
    if c is not None:
        consequences = {
            "persona": c.persona,
            "became_weak": [_weak_json(changes, w) for w in c.became_weak],
            "no_longer_weak": [_weak_json(changes, w) for w in c.no_longer_weak],
            "reasons_changed": [_weak_json(changes, w) for w in c.reasons_changed],
            "conversion": {
                "old": _round(c.old_conversion),
                "new": _round(c.new_conversion),
                "delta": _round(c.conversion_delta),
            },
            "value": None
            if c.currency is None
            else {
                "old": _round(c.old_value),
                "new": _round(c.new_value),
                "delta": _round(c.value_delta),
                "delta_per_customer": _round(c.value_delta_per_customer),
                "currency": c.currency,
                "unit": c.value_unit,
                "old_currency": c.old_currency,
                "not_compared": c.value_not_compared,
            },
            "stages": [
                {
                    "stage": s.stage,
                    "name": element_name(changes, "stage", s.stage),
                    "old_reach": _round(s.old_reach),
                    "new_reach": _round(s.new_reach),
                    "delta": _round(s.delta),
                    "old_drop_off": _round(s.old_drop_off),
                    "new_drop_off": _round(s.new_drop_off),
                }
                for s in c.stages
            ],
        }
    items = []
    for change in changes.items:
        items.append(
            {
                "kind": change.kind,
                "id": change.id,
                "name": element_name(changes, change.kind, change.id),
                "change": change.change,
                "aspects": list(change.aspects),
                "details": [
                    {
                        "aspect": d.aspect,
                        "op": d.op,
                        "subject": d.subject,
                        "field": d.field,
                        "old": d.old,
                        "new": d.new,
                        "direction": d.direction,
                        "note": d.note,
                        "text": detail_sentence(changes, d, TEXT, change.id),
                    }
                    for d in change.details
                ],
            }
        )
    base.update(
        old=_side(changes, "old", file.old_path),
        new=_side(changes, "new", file.path if file.status != "removed" else None),
        summary=summary,
        consequences=consequences,
        changes=items,
        problems=[p.as_dict() for p in file.problems],
    )
    return base


def render_json(files: Sequence[FileChanges], *, revision: str | None = None, commit: str | None = None) -> str:
    """JSON: one journey object for a two-file diff (``revision`` None), else
    ``{"revision", "commit", "summary", "files": [...]}``."""
    if revision is None and len(files) == 1:
        document: Any = changes_json(files[0])
    else:
        objects = [changes_json(f) for f in files]
        document = {
            "version": 1,
            "revision": revision,
            "commit": commit,
            "summary": {
                "files": len(objects),
                "changed": sum(1 for o in objects if o["summary"] is None or o["summary"]["changed"]),
                "weaker": any(o["summary"] is not None and o["summary"]["weaker"] for o in objects),
                "errors": sum(1 for o in objects if o["summary"] is None),
            },
            "files": objects,
        }
    if isinstance(document, dict) and "version" not in document:
        document = {"version": 1, **document}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, Callable[..., str]] = {"text": render_text, "markdown": render_markdown, "json": render_json}


def render(files: Sequence[FileChanges], fmt: str = "text", **options: Any) -> str:
    """Render by format name: ``text``, ``markdown`` or ``json``."""
    if fmt == "json":
        return render_json(files, revision=options.get("revision"), commit=options.get("commit"))
    if fmt == "markdown":
        return render_markdown(files, title=options.get("title"))
    return render_text(files)


__all__ = [
    "KINDS",
    "Kind",
    "change_headline",
    "changes_json",
    "detail_sentence",
    "md_escape",
    "render",
    "render_json",
    "render_markdown",
    "render_text",
    "summary_line",
]

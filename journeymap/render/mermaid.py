"""The journey as a Mermaid ``journey`` diagram (for Markdown in GitHub, GitLab, Notion).

One ``section`` per stage, one task per touchpoint: ``Task name: score: actors``,
where the score is the touchpoint's emotion mapped onto Mermaid's 1..5
(-2 -> 1, 0 -> 3, +2 -> 5; no emotion -> 3) and the actors are the names of the
personas who meet it. Text goes through
:func:`~journeymap.render.escape.mermaid_text`, which replaces what the
journey grammar cannot hold (``:``, ``#``, ``;``, ``%%``, newlines).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .escape import TITLE_CHARACTERS, mermaid_text, shorten

if TYPE_CHECKING:
    from ..analysis import Analysis
    from ..model import Journey


def mermaid_score(emotion: float | None) -> str:
    """Emotion -2..+2 as a Mermaid score 1..5; 3 when unknown.

    >>> [mermaid_score(e) for e in (-2, -0.5, None, 1, 2)]
    ['1', '2.5', '3', '4', '5']
    """
    if emotion is None:
        return "3"
    score = round(min(5.0, max(1.0, float(emotion) + 3)), 1)
    return str(int(score)) if score.is_integer() else f"{score:g}"


def render_mermaid(source: Journey | Analysis) -> str:
    """Mermaid ``journey`` source for a journey, or for an analysis (its persona's touchpoints only).

    >>> print(render_mermaid(journey))  # doctest: +SKIP
    journey
        title First online grocery order
        section Discover
            Sees the ad: 4: Busy parent, Student
    """
    from ..model import Journey

    if isinstance(source, Journey):
        journey, persona = source, None
    else:
        journey, persona = source.journey, source.persona
    names = {p.id: mermaid_text(shorten(p.name), extra=",") or p.id for p in journey.personas}
    everyone = [names[p.id] for p in journey.personas if persona is None or p.id == persona]
    lines = ["journey", f"    title {mermaid_text(shorten(journey.title, TITLE_CHARACTERS)) or journey.id}"]
    if journey.description:
        lines.append(f"    accDescr: {mermaid_text(journey.description)}")
    by_stage: dict[str, list[str]] = {}
    for touchpoint in journey.touchpoints_for(persona):
        if touchpoint.personas is None:
            actors = everyone
        else:
            actors = [names[p] for p in touchpoint.personas if p in names and (persona is None or p == persona)]
        # Cut where it is laid out (a 100 KB name is one unreadable task box); the map has it whole.
        task = mermaid_text(shorten(touchpoint.name)) or touchpoint.id
        line = f"{task}: {mermaid_score(touchpoint.emotion)}"
        if actors:
            line += ": " + ", ".join(actors)
        by_stage.setdefault(touchpoint.stage, []).append(line)
    for stage in journey.stages:
        tasks = by_stage.get(stage.id)
        if not tasks:
            continue
        lines.append(f"    section {mermaid_text(shorten(stage.name)) or stage.id}")
        lines.extend(f"        {task}" for task in tasks)
    return "\n".join(lines) + "\n"


"""The map's opportunities panel: a value/effort matrix (inline SVG) and the ranked list.

Every piece of journey text goes through :func:`xml_text`; links were checked to
be http(s) when the journey was loaded, and are shown as text to copy: the map
is self-contained and links only within itself.
The SVG is an image with a title and a description; the ranked table after it
carries the same figures for screen readers and for print.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .escape import one_line, xml_text

if TYPE_CHECKING:
    from ..opportunities import OpportunityResult

WIDTH, HEIGHT = 640, 340
LEFT, RIGHT, TOP, BOTTOM = 86, 24, 20, 48


def _worth_text(r: OpportunityResult, currency: str | None, period_word: str) -> str:
    from ..value import money

    if not r.has_effect:
        return "no effect modelled"
    if r.value_gained is not None and currency is not None:
        return f"{money(r.value_gained, currency, sign=True)} {period_word if r.per_period else 'per customer'}"
    if r.conversion_gained is not None:
        return f"{r.conversion_gained * 100:+.1f} pts conversion"
    return "-"


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** len(str(int(value))) / 10
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return step * magnitude
    return value


def _free_spot(cx: float, cy: float, placed: list[tuple[float, float]], size: float = 22.0) -> tuple[float, float]:
    """Where to draw a dot meant for (cx, cy) so that it does not cover one already drawn: there if free,
    else the nearest free place to its right (to its left at the matrix's edge), in rank order, so that
    opportunities of one value and effort stand side by side rather than one number over another."""

    def free(px: float) -> bool:
        return all((px - qx) ** 2 + (cy - qy) ** 2 >= size**2 for qx, qy in placed)

    step = 0
    while not free(round(cx + step * size, 1)) and cx + (step + 1) * size <= WIDTH - RIGHT:
        step += 1
    if free(round(cx + step * size, 1)):
        return round(cx + step * size, 1), cy
    step = -1
    while not free(round(cx + step * size, 1)) and cx + step * size > LEFT:
        step -= 1
    return round(cx + step * size, 1), cy


def matrix_svg(results: list[OpportunityResult], currency: str | None, period_word: str) -> str:
    """The value/effort matrix: effort (person-days) across, value gained up; one numbered dot per
    opportunity that has both (numbers as in the ranked list)."""
    from ..value import money

    plotted = [(i, r) for i, r in enumerate(results, 1) if r.effort_days is not None and r.worth is not None]
    by_value = any(r.value_gained is not None for _, r in plotted)
    worth = [float(r.worth) for _, r in plotted if r.worth is not None]
    top = _nice_max(max([0.0, *worth]))
    bottom = -_nice_max(-min([0.0, *worth])) if min([0.0, *worth]) < 0 else 0.0
    right = _nice_max(max([0.0, *(float(r.effort_days or 0) for _, r in plotted)]))
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(days: float) -> float:
        return round(LEFT + inner_w * days / right, 1)

    def y(amount: float) -> float:
        return round(TOP + inner_h * (top - amount) / (top - bottom), 1)

    def label(amount: float) -> str:
        if by_value and currency is not None:
            return money(amount, currency)
        return f"{amount * 100:+.0f} pts" if amount else "0"

    y_word = f"Value gained {period_word}" if by_value else "Conversion gained"
    parts = [
        f'<svg class="opp-matrix" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" role="img"'
        ' aria-labelledby="opp-matrix-title opp-matrix-desc">',
        '<title id="opp-matrix-title">Opportunities: value against effort</title>',
        f'<desc id="opp-matrix-desc">{len(plotted)} opportunities; effort in person-days across, {xml_text(y_word.lower())} up;'
        " top left is worth most for least effort; dots of one value and effort stand side by side."
        " The table below lists the same figures.</desc>",
        f'<rect class="quick-wins" x="{LEFT}" y="{TOP}" width="{round(inner_w / 2, 1)}" height="{round(y(0) - TOP, 1)}"/>',
        f'<text class="quad" x="{LEFT + 6}" y="{TOP + 14}">Quick wins</text>',
    ]
    for step in range(5):
        amount = bottom + (top - bottom) * step / 4
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(amount)}" y2="{y(amount)}"/>')
        parts.append(f'<text class="tick" x="{LEFT - 6}" y="{y(amount) + 4}" text-anchor="end">{xml_text(label(amount))}</text>')
    for step in range(5):
        days = right * step / 4
        parts.append(f'<text class="tick" x="{x(days)}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">{days:g}</text>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(0)}" y2="{y(0)}"/>')
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{HEIGHT - BOTTOM}"/>')
    parts.append(f'<text class="axis-label" x="{LEFT + inner_w / 2}" y="{HEIGHT - 8}" text-anchor="middle">Effort (person-days)</text>')
    parts.append(
        f'<text class="axis-label" x="14" y="{TOP + inner_h / 2}" text-anchor="middle"'
        f' transform="rotate(-90 14 {TOP + inner_h / 2})">{xml_text(y_word)}</text>'
    )
    placed: list[tuple[float, float]] = []
    for rank, r in plotted:
        cx, cy = _free_spot(x(float(r.effort_days or 0)), y(float(r.worth or 0)), placed)
        placed.append((cx, cy))
        tip = f"{rank}. {one_line(r.name)}: {_worth_text(r, currency, period_word)}, effort {r.effort} ({r.effort_days:g} days), {r.status}"
        parts.append(
            f'<g class="opp-dot status-{xml_text(r.status)}" data-opportunity="{xml_text(r.id)}"><title>{xml_text(tip)}</title>'
            f'<circle cx="{cx}" cy="{cy}" r="11"/><text x="{cx}" y="{cy + 4}" text-anchor="middle">{rank}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def opportunities_panel(results: list[OpportunityResult], currency: str | None, period: str | None) -> str:
    """The panel's HTML (empty without opportunities)."""
    from ..value import PERIOD_WORD

    if not results:
        return ""
    period_word = PERIOD_WORD.get(period or "month", "a month")
    rows = []
    for rank, r in enumerate(results, 1):
        per_day = r.worth_per_day
        if per_day is None:
            per_day_text = "-"
        elif r.value_gained is not None and currency is not None:
            from ..value import money

            per_day_text = money(per_day, currency, sign=True)
        else:
            per_day_text = f"{per_day * 100:+.2f} pts"
        # The map makes no requests and links only within itself: the tracker address is text to copy.
        link = f'<span class="opp-link" translate="no">{xml_text(one_line(r.link))}</span>' if r.link else ""
        where = ", ".join(f'<a href="#tp-{xml_text(t)}">{xml_text(t)}</a>' for t in r.touchpoints)
        rows.append(
            f'<tr data-opportunity="{xml_text(r.id)}"><td class="num">{rank}</td><th scope="row"><bdi>{xml_text(one_line(r.name))}</bdi></th>'
            f"<td>{where}</td><td class=\"num\">{xml_text(_worth_text(r, currency, period_word))}</td>"
            f'<td class="num">{xml_text(r.effort or "-")}</td><td class="num">{xml_text(per_day_text)}</td>'
            f'<td><span class="opp-status status-{xml_text(r.status)}">{xml_text(r.status)}</span></td><td>{link}</td></tr>'
        )
    plotted = any(r.effort_days is not None and r.worth is not None for r in results)
    figure = (
        f'<figure class="opp-figure">{matrix_svg(results, currency, period_word)}'
        "<figcaption>Numbers as in the table. Effort sizes are read as person-days: XS 2, S 5, M 15, L 40, XL 90.</figcaption></figure>"
        if plotted
        else ""
    )
    return (
        '<section class="panel opp-panel" aria-labelledby="opp-title">'
        '<h2 id="opp-title" class="section-title">Opportunities, most value per effort first</h2>'
        f"{figure}"
        '<table class="opp-table"><caption class="visually-hidden">Opportunities ranked by value per person-day</caption>'
        '<thead><tr><th scope="col">#</th><th scope="col">Opportunity</th><th scope="col">Improves</th>'
        f'<th scope="col">Worth</th><th scope="col">Effort</th><th scope="col">Per person-day</th><th scope="col">Status</th><th scope="col">Link</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )

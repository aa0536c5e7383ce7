"""Server-rendered inline SVG charts: no script, nothing the CSP blocks.

Each chart has a <title> and <desc> (named by ``aria-labelledby``) and the page puts the
same figures in a table below it for screen readers and for reading exact numbers.
Bars run right to left, as the page reads.
"""

from django.utils.html import format_html, format_html_join

from persian.dates import fa_digits

# Two colours that keep 3:1 against white and apart for the colour-blind (blue, orange).
COLOURS = ("#1f5fa8", "#b35300")


def _number(value) -> str:
    return fa_digits(f"{value:,}".replace(",", "٬")) if isinstance(value, int) else fa_digits(value)


def grouped_bars(
    chart_id: str, title: str, desc: str, groups, series: list[str], *, width=640, height=260
):
    """Vertical bars: ``groups`` is [(label, [value per series])]."""
    top, bottom, side = 24, 40, 8
    plot_height = height - top - bottom
    biggest = max([max(values, default=0) for _label, values in groups] + [1])
    slot = (width - 2 * side) / max(len(groups), 1)
    bar = max(min(slot / (len(series) + 1), 28), 2)
    parts = []
    for index, (label, values) in enumerate(groups):
        # Right to left: the first group is at the right.
        slot_right = width - side - index * slot
        left = slot_right - (slot + bar * len(series)) / 2
        for n, value in enumerate(values):
            bar_height = plot_height * value / biggest
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                    f"{left + (len(series) - 1 - n) * bar:.1f}",
                    f"{top + plot_height - bar_height:.1f}",
                    f"{bar - 1:.1f}",
                    f"{bar_height:.1f}",
                    COLOURS[n % len(COLOURS)],
                    f"{label} – {series[n]}",
                    _number(value),
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="12">{}</text>',
                f"{slot_right - slot / 2:.1f}",
                height - bottom + 16,
                label,
            )
        )
    legend = format_html_join(
        "",
        '<rect x="{}" y="4" width="12" height="12" fill="{}"></rect>'
        '<text x="{}" y="15" font-size="12" text-anchor="start">{}</text>',
        (
            (
                width - side - 12 - n * 120,
                COLOURS[n % len(COLOURS)],
                width - side - 16 - n * 120,
                name,
            )
            for n, name in enumerate(series)
        ),
    )
    baseline = format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555"></line>',
        side,
        top + plot_height,
        width - side,
        top + plot_height,
    )
    return _svg(chart_id, title, desc, width, height, legend + baseline + _joined(parts))


def horizontal_bars(chart_id: str, title: str, desc: str, rows, *, width=640, row_height=26):
    """Horizontal bars from the right: ``rows`` is [(label, share 0–1 or None, text)]."""
    label_width, side, top = 220, 8, 8
    height = top * 2 + row_height * max(len(rows), 1)
    plot = width - label_width - side * 2 - 60
    parts = []
    for index, (label, share, text) in enumerate(rows):
        y = top + index * row_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="start">{}</text>',
                width - side,
                y + row_height * 0.65,
                label[:40],
            )
        )
        length = plot * (share or 0)
        right = width - side - label_width
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}: {}</title></rect>',
                f"{right - length:.1f}",
                y + 4,
                f"{length:.1f}",
                row_height - 8,
                COLOURS[0],
                label,
                text,
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="start">{}</text>',
                f"{right - length - 4:.1f}",
                y + row_height * 0.65,
                text,
            )
        )
    return _svg(chart_id, title, desc, width, height, _joined(parts))


def _joined(parts):
    """Already-escaped pieces (format_html), kept safe."""
    return format_html_join("", "{}", ((part,) for part in parts))


def _svg(chart_id, title, desc, width, height, body):
    return format_html(
        '<svg class="report-chart" id="{}" role="img" aria-labelledby="{}-title {}-desc"'
        ' viewBox="0 0 {} {}" width="100%" preserveAspectRatio="xMidYMid meet"'
        ' xmlns="http://www.w3.org/2000/svg" direction="rtl" font-family="Vazirmatn, sans-serif">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        chart_id,
        chart_id,
        chart_id,
        width,
        height,
        chart_id,
        title,
        chart_id,
        desc,
        body,
    )

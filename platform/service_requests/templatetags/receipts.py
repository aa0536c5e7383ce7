"""QR codes on receipts and answers: a phone camera opens the tracking or verification page."""

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from tenants.links import portal_url

register = template.Library()


@register.simple_tag
def qr_code(path: str, label: str):
    """An inline SVG QR code of the portal ``path``, labelled for screen readers."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        portal_url(path), image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2
    )
    svg = image.to_string(encoding="unicode").replace(
        "<svg ", f'<svg class="qr" role="img" aria-label="{escape(label)}" focusable="false" ', 1
    )
    # The SVG is made by the qrcode library from our own URL; the label is escaped.
    return format_html(
        '<figure class="qr-code">{}<figcaption>{}</figcaption></figure>',
        mark_safe(svg),  # noqa: S308
        label,
    )

"""StreamField blocks for free prose on agency pages (structured data lives in fields)."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Heading"), max_length=120)

    class Meta:
        icon = "title"
        template = "catalog_pages/blocks/heading.html"


class ProseBlock(blocks.StreamBlock):
    """Headings and paragraphs; nothing that a citizen's screen reader cannot follow."""

    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )

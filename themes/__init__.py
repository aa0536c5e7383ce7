"""The national design system: Persian-first, RTL, mobile-first templates and styles."""

"""Pictograms for the top tasks, drawn for this portal (24 x 24, one stroke colour: the
text's), written into the page as decorative inline SVG: the words beside them carry the
meaning. A top task names its pictogram in content/catalog.toml (`icon = "passport"`).
"""

from markupsafe import Markup

# Each value: the SVG elements inside a 24 x 24 viewBox, stroked in currentColor.
PICTOGRAMS: dict[str, str] = {
    "passport": '<rect x="5" y="3" width="14" height="18" rx="2"/><circle cx="12" cy="10" r="3"/>'
                '<path d="M9 16h6"/>',
    "moving": '<path d="M3 11 9 6l6 5v8H3z"/><path d="M7 19v-4h4v4"/><path d="M15 14h6m-2-2 2 2-2 2"/>',
    "calendar": '<rect x="3" y="5" width="18" height="16" rx="2"/><path d="M3 10h18M8 3v4m8-4v4"/>'
                '<path d="m9 15 2 2 4-4"/>',
    "report": '<path d="M12 3 2 20h20z"/><path d="M12 10v4"/><circle cx="12" cy="17" r=".5"/>',
    "document": '<path d="M6 3h8l4 4v14H6z"/><path d="M14 3v4h4M9 12h6m-6 4h6"/>',
    "parking": '<rect x="3" y="3" width="18" height="18" rx="3"/><path d="M10 17V7h3a3 3 0 0 1 0 6h-3"/>',
    "waste": '<path d="M4 7h16M9 7V4h6v3M6 7l1 14h10l1-14"/><path d="M10 11v6m4-6v6"/>',
    "care": '<path d="M12 20s-8-4.5-8-10a4 4 0 0 1 8-1 4 4 0 0 1 8 1c0 5.5-8 10-8 10z"/>',
    "building": '<path d="M3 21h18M5 21V10l7-5 7 5v11"/><path d="M10 21v-5h4v5"/>',
    "rings": '<circle cx="9" cy="14" r="5"/><circle cx="15" cy="14" r="5"/><path d="m10 5 2-2 2 2"/>',
}


def icon(name: str | None, css_class: str = "portal-icon") -> Markup:
    """The pictogram `name` as decorative inline SVG; nothing for no name."""
    if not name:
        return Markup("")
    return Markup(
        '<svg class="{}" viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" '
        'focusable="false" fill="none" stroke="currentColor" stroke-width="1.75" '
        'stroke-linecap="round" stroke-linejoin="round">{}</svg>'
    ).format(css_class, Markup(PICTOGRAMS[name]))

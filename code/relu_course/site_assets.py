"""A Sphinx extension that makes the built site lighter without changing what a reader sees.

pydata-sphinx-theme (under sphinx-book-theme) ships three heavy things every page downloads:

- ``fontawesome.js`` (1.5 MB), which only turns *custom* icons into inline SVG. The theme's CSS already
  draws every icon it uses from the Font Awesome web fonts, so the script is dropped from each page.
- the Font Awesome web fonts (270 kB of fonts, already compressed), of which the site uses about
  twenty glyphs. They are cut down to the glyphs named by the built pages and the theme's scripts.
- Sphinx's search index, loaded on every page for the "search as you type" box. With that option off
  (the default) only ``search.html`` needs it, and that page loads it itself.

It also removes what Jupyter Book's always-on sphinx-thebe adds when live code (Thebe) is off: a script,
a stylesheet, a configuration naming a Binder repository that is not the course's, and an inline script
declaring ``THEBE_JS_URL`` (a CDN address) that a rebuilt page can carry twice, which is a JavaScript
error in the reader's console. And it gives the theme a default colour mode, whose absence the theme
reports as a console error on every page.

Everything happens at ``build-finished`` on the HTML output, from the theme's original font files,
so an incremental build gives the same result as a clean one.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

#: Font Awesome class names that style an icon rather than name one.
_STYLE_CLASSES = frozenset({"fa-solid", "fa-regular", "fa-brands", "fa-lg", "fa-sm", "fa-xs", "fa-2x", "fa-fw",
                            "fa-spin", "fa-pulse", "fa-inverse", "fa-stack", "fa-stack-1x", "fa-stack-2x"})
_ICON_NAME = re.compile(r"\bfa-[a-z0-9]+(?:-[a-z0-9]+)*\b")
_CSS_RULE = re.compile(r"([^{}]+)\{content:\"\\([0-9a-fA-F]{2,6})\"\}")
_BEFORE_SELECTOR = re.compile(r"\.(fa-[a-z0-9-]+):+before")
_FONTAWESOME_SCRIPT = re.compile(r"[ \t]*<script[^>]*src=\"[^\"]*_static/scripts/fontawesome\.js[^\"]*\"[^>]*>"
                                 r"</script>\n?")
_SEARCH_SCRIPTS = re.compile(r"[ \t]*<script src=\"[^\"]*(?:_static/searchtools\.js|_static/language_data\.js|"
                             r"searchindex\.js)\"></script>\n?")
_THEBE = re.compile(r"[ \t]*(?:<script>const THEBE_JS_URL = [^<]*</script>|"
                    r"<script async=\"async\" src=\"[^\"]*_static/sphinx-thebe\.js[^\"]*\"></script>|"
                    r"<link rel=\"stylesheet\" type=\"text/css\" href=\"[^\"]*_static/sphinx-thebe\.css[^\"]*\" />|"
                    r"<script type=\"text/x-thebe-config\">.*?</script>)\n?", re.DOTALL)
#: The web fonts the theme's CSS declares, relative to the output's _static folder.
WEBFONTS = "vendor/fontawesome/webfonts"


def icon_codepoints(css: str) -> dict[str, int]:
    """Map every Font Awesome icon class in the theme's ``css`` to its code point (``fa-github`` -> 0xF09B)."""
    if not isinstance(css, str):
        raise TypeError(f"css must be the text of a stylesheet, got {type(css).__name__}")
    mapping: dict[str, int] = {}
    for selectors, code in _CSS_RULE.findall(css):
        for name in _BEFORE_SELECTOR.findall(selectors):
            mapping[name] = int(code, 16)
    return mapping


def icon_names(texts: Iterable[str]) -> set[str]:
    """The icon class names (``fa-...``, style classes excluded) that occur in ``texts``."""
    if isinstance(texts, str) or not isinstance(texts, Iterable):
        raise TypeError(f"texts must be an iterable of page texts (not one string), got {type(texts).__name__}")
    names: set[str] = set()
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"texts must hold strings, got {type(text).__name__}")
        names.update(_ICON_NAME.findall(text))
    return names - _STYLE_CLASSES


def strip_page_scripts(page: str, *, keep_search: bool, keep_thebe: bool = False) -> str:
    """``page`` without fontawesome.js, without the search scripts unless ``keep_search`` and without
    sphinx-thebe's pieces unless ``keep_thebe``."""
    if not isinstance(page, str):
        raise TypeError(f"page must be the text of an HTML page, got {type(page).__name__}")
    page = _FONTAWESOME_SCRIPT.sub("", page)
    if not keep_thebe:
        page = _THEBE.sub("", page)
    return page if keep_search else _SEARCH_SCRIPTS.sub("", page)


def add_icon_link(page: str, href: str) -> str:
    """``page`` with ``<link rel="icon" href=href>`` in its head, unless it has an icon already."""
    link = f'<link rel="icon" href="{href}"/>'
    if 'rel="icon"' in page:
        return page
    if "<head>" not in page:                 # Jupyter Book's root page is a bare <meta> refresh
        return f"{link}\n{page}"
    return page.replace("<head>", f"<head>\n    {link}", 1)


def subset_font(source: Path, target: Path, codepoints: Iterable[int]) -> None:
    """Write to ``target`` the font ``source`` with only the glyphs of ``codepoints`` (same format)."""
    from fontTools import subset  # a dependency of matplotlib; woff2 needs the brotli package

    source, target = Path(source), Path(target)
    if not source.is_file():
        raise ValueError(f"source must be a font file, {source} does not exist")
    options = subset.Options()
    options.flavor = {".woff2": "woff2", ".woff": "woff"}.get(source.suffix)
    options.layout_features = ["*"]
    options.notdef_outline = True
    font = subset.load_font(str(source), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(set(codepoints)))
    subsetter.subset(font)
    partial = target.with_name(target.name + ".partial")
    subset.save_font(font, str(partial), options)
    partial.replace(target)            # a reader never sees a half-written font


def _theme_webfonts(app: Any) -> Path | None:
    for folder in app.builder.theme.get_theme_dirs():
        candidate = Path(folder) / "static" / WEBFONTS
        if candidate.is_dir():
            return candidate
    return None


def lighten_site(outdir: Path, theme_webfonts: Path | None, *, keep_search: bool = False,
                 keep_thebe: bool = False) -> dict[str, int]:
    """Apply the three savings to a built HTML site in ``outdir``; return how many pages and glyphs were kept."""
    outdir = Path(outdir)
    if not (outdir / "_static").is_dir():
        raise ValueError(f"outdir must be a built HTML site with a _static folder, got {outdir}")
    pages = sorted(p for p in outdir.rglob("*.html") if p.relative_to(outdir).parts[0] != "lite")  # JupyterLite's own
    texts = []
    for page in pages:
        text = page.read_text(encoding="utf-8")
        lighter = strip_page_scripts(text, keep_search=keep_search or page.name == "search.html",
                                     keep_thebe=keep_thebe)
        if (outdir / "_static" / "favicon.svg").is_file():
            depth = len(page.relative_to(outdir).parts) - 1
            lighter = add_icon_link(lighter, "../" * depth + "_static/favicon.svg")
        if lighter != text:
            page.write_text(lighter, encoding="utf-8")
        texts.append(lighter)
    scripts = [p.read_text(encoding="utf-8") for p in (outdir / "_static" / "scripts").glob("*.js")]
    stylesheet = outdir / "_static" / "styles" / "pydata-sphinx-theme.css"
    codes = icon_codepoints(stylesheet.read_text(encoding="utf-8")) if stylesheet.is_file() else {}
    used = sorted({codes[name] for name in icon_names(texts + scripts) if name in codes})
    fonts = 0
    if theme_webfonts is not None and used:
        for source in sorted(theme_webfonts.glob("*.woff2")) + sorted(theme_webfonts.glob("*.ttf")):
            subset_font(source, outdir / "_static" / WEBFONTS / source.name, used)
            fonts += 1
    return {"pages": len(pages), "glyphs": len(used), "fonts": fonts}


def _on_build_finished(app: Any, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    options = app.config.html_theme_options
    keep_search = str(options.get("search_as_you_type", False)).lower() == "true"
    keep_thebe = bool((options.get("launch_buttons") or {}).get("thebe", False))
    lighten_site(Path(app.outdir), _theme_webfonts(app), keep_search=keep_search, keep_thebe=keep_thebe)


def _on_config_inited(app: Any, config: Any) -> None:
    # pydata-sphinx-theme reads the colour mode from html_context; left empty, its script logs an error.
    # Light is the mode the figures are drawn for; the reader's switch still offers dark and auto.
    if isinstance(config.html_context, dict):
        config.html_context.setdefault("default_mode", "light")


def setup(app: Any) -> dict[str, Any]:
    """Register the extension (``sphinx: extra_extensions: [relu_course.site_assets]`` in _config.yml)."""
    if not callable(getattr(app, "connect", None)):
        raise TypeError(f"app must be the Sphinx application, got {type(app).__name__}")
    app.connect("config-inited", _on_config_inited)
    app.connect("build-finished", _on_build_finished)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

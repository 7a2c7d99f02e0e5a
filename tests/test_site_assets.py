"""The Sphinx extension that lightens the built site (relu_course.site_assets), on small made-up sites
and on the installed theme's own stylesheet and fonts."""
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import pydata_sphinx_theme
from relu_course.site_assets import (WEBFONTS, add_icon_link, icon_codepoints, icon_names, lighten_site, strip_page_scripts,
                                     subset_font)

THEME_STATIC = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme" / "static"
THEME_FONTS = THEME_STATIC / "vendor" / "fontawesome" / "webfonts"
THEME_CSS = THEME_STATIC / "styles" / "pydata-sphinx-theme.css"

PAGE = """<html><head>
    <script defer src="../_static/scripts/fontawesome.js?digest=abc"></script>
    <link rel="stylesheet" type="text/css" href="../_static/sphinx-thebe.css?v=1" />
    <script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"; const thebe_selector = ".thebe"</script>
    <script async="async" src="../_static/sphinx-thebe.js?v=2"></script>
    <script>const THEBE_JS_URL = "https://unpkg.com/thebe@0.8.2/lib/index.js"; const thebe_selector = ".thebe"</script>
    <script src="../_static/searchtools.js"></script>
    <script src="../_static/language_data.js"></script>
    <script src="../searchindex.js"></script>
    <script src="../_static/doctools.js?v=9"></script>
</head><body><i class="fa-brands fa-github"></i><i class="fa-solid fa-bars fa-lg"></i>
    <script type="text/x-thebe-config">
    { requestKernel: true }
    </script>
</body></html>"""


def test_the_page_keeps_its_own_scripts_and_loses_the_unused_ones():
    lighter = strip_page_scripts(PAGE, keep_search=False)
    for gone in ("fontawesome.js", "thebe", "THEBE", "searchindex.js", "searchtools.js", "language_data.js"):
        assert gone not in lighter
    assert '<script src="../_static/doctools.js?v=9"></script>' in lighter
    assert '<i class="fa-brands fa-github"></i>' in lighter


def test_search_and_thebe_are_kept_when_asked():
    kept = strip_page_scripts(PAGE, keep_search=True, keep_thebe=True)
    assert "searchindex.js" in kept and kept.count("THEBE_JS_URL") == 2 and "x-thebe-config" in kept
    assert "fontawesome.js" not in kept


def test_icon_names_leave_out_the_style_classes():
    assert icon_names([PAGE]) == {"fa-github", "fa-bars"}
    with pytest.raises(TypeError, match="texts"):
        icon_names([PAGE, 3])


def test_codepoints_come_from_the_theme_stylesheet():
    codes = icon_codepoints(THEME_CSS.read_text(encoding="utf-8"))
    assert codes["fa-github"] == 0xF09B and codes["fa-bars"] == 0xF0C9
    assert "fa-solid" not in codes
    assert icon_codepoints('.fa-a:before,.fa-b:before{content:"\\f00d"}') == {"fa-a": 0xF00D, "fa-b": 0xF00D}
    with pytest.raises(TypeError, match="css"):
        icon_codepoints(None)


@pytest.mark.parametrize("name", ["fa-solid-900.woff2", "fa-solid-900.ttf"])
def test_a_cut_font_holds_exactly_the_glyphs_asked_for(tmp_path, name):
    target = tmp_path / name
    subset_font(THEME_FONTS / name, target, [0xF0C9, 0xF002])
    cmap = TTFont(target).getBestCmap()
    assert set(cmap) == {0xF0C9, 0xF002}
    assert target.stat().st_size < (THEME_FONTS / name).stat().st_size / 10
    assert not list(tmp_path.glob("*.partial"))


def test_a_missing_font_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="source"):
        subset_font(tmp_path / "nope.woff2", tmp_path / "out.woff2", [0xF0C9])


def _site(root: Path) -> Path:
    (root / "_static" / "styles").mkdir(parents=True)
    (root / "_static" / "scripts").mkdir()
    (root / "_static" / WEBFONTS).mkdir(parents=True)
    (root / "_static" / "styles" / "pydata-sphinx-theme.css").write_text(THEME_CSS.read_text(encoding="utf-8"))
    (root / "_static" / "scripts" / "theme.js").write_text('icon.className = "fa-solid fa-xmark";')
    (root / "chapters").mkdir()
    (root / "chapters" / "a.html").write_text(PAGE)
    (root / "search.html").write_text(PAGE)
    return root


def test_a_built_site_gets_lighter_and_keeps_every_icon_it_uses(tmp_path):
    site = _site(tmp_path / "html")
    counts = lighten_site(site, THEME_FONTS)
    assert counts == {"pages": 2, "glyphs": 3, "fonts": 6}
    chapter, search = (site / "chapters" / "a.html").read_text(), (site / "search.html").read_text()
    assert "searchindex.js" not in chapter and "searchindex.js" in search     # search.html keeps its index
    assert "fontawesome.js" not in chapter + search
    fonts = {name: set(TTFont(site / "_static" / WEBFONTS / name).getBestCmap())
             for name in ("fa-brands-400.woff2", "fa-solid-900.woff2")}
    assert fonts["fa-brands-400.woff2"] == {0xF09B}                          # github
    assert fonts["fa-solid-900.woff2"] == {0xF0C9, 0xF00D}                   # bars, and xmark from the JS


def test_lighten_site_needs_a_built_site(tmp_path):
    with pytest.raises(ValueError, match="outdir"):
        lighten_site(tmp_path, THEME_FONTS)


def test_a_page_without_an_icon_gets_the_sites_icon():
    bare = "<html><head>\n<meta http-equiv=\"Refresh\" content=\"0; url=intro.html\" />\n</head></html>"
    assert '<link rel="icon" href="_static/favicon.svg"/>' in add_icon_link(bare, "_static/favicon.svg")
    root = '<meta http-equiv="Refresh" content="0; url=intro.html" />'
    assert add_icon_link(root, "_static/favicon.svg").startswith('<link rel="icon" href="_static/favicon.svg"/>')
    themed = '<html><head><link rel="icon" href="../_static/favicon.svg"/></head></html>'
    assert add_icon_link(themed, "x.svg") == themed

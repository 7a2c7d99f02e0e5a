"""The glossary: terms unique and in alphabetical order, every {doc} target a page that exists, every
citation key in references.bib."""
import re
from pathlib import Path
from relu_course.bibliography import bibliography_text

ROOT = Path(__file__).resolve().parents[1]
GLOSSARY = ROOT / "chapters" / "glossary.md"


def glossary_block() -> list[str]:
    text = GLOSSARY.read_text(encoding="utf-8")
    match = re.search(r"^:::\{glossary\}\n(.*?)^:::\s*$", text, re.M | re.S)
    assert match, "chapters/glossary.md has no ::: {glossary} block"
    return match.group(1).splitlines()


def terms() -> list[str]:
    return [line.strip() for line in glossary_block() if line.strip() and not line.startswith((" ", "\t"))]


def definitions() -> dict[str, str]:
    out: dict[str, str] = {}
    current = None
    for line in glossary_block():
        if line.strip() and not line.startswith((" ", "\t")):
            current = line.strip()
            out[current] = ""
        elif current is not None:
            out[current] += " " + line.strip()
    return out


def test_there_are_enough_terms():
    assert len(terms()) >= 30


def test_terms_are_unique_and_alphabetical():
    names = [t.lower() for t in terms()]
    assert len(names) == len(set(names)), "duplicate glossary terms"
    assert names == sorted(names), [a for a, b in zip(names, sorted(names)) if a != b][:3]


def test_every_term_has_a_definition_that_links_a_page():
    for term, text in definitions().items():
        assert text.strip(), f"{term} has no definition"
        assert "{doc}`" in text, f"{term} links no chapter"


def test_every_doc_target_exists():
    targets = re.findall(r"\{doc\}`([^`<]+?)(?:\s*<([^>]+)>)?`", GLOSSARY.read_text(encoding="utf-8"))
    assert targets
    for title_or_path, path in targets:
        target = (path or title_or_path).strip()
        found = [GLOSSARY.parent / f"{target}{ext}" for ext in (".ipynb", ".md")]
        assert any(p.exists() for p in found), f"{{doc}} target {target!r} does not exist"


def test_citation_keys_exist():
    keys = set(re.findall(r"^@\w+\{([^,\s]+),", bibliography_text(), re.M))
    cited = {k.strip() for group in re.findall(r"\{cite(?::\w+)?\}`([^`]+)`", GLOSSARY.read_text(encoding="utf-8"))
             for k in group.split(",")}
    assert cited and cited <= keys, sorted(cited - keys)


def test_the_glossary_names_the_terms_of_the_brief():
    wanted = {"relu", "leaky relu", "prelu", "rrelu", "elu", "selu", "gelu", "mish", "softplus", "softsign",
              "relu6", "hard swish", "dead unit", "subgradient", "nan", "negative zero", "adam", "sgd"}
    assert wanted <= {t.lower() for t in terms()}

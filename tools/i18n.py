#!/usr/bin/env python3
"""The Chinese edition (中文版): gettext catalogues from the English notebooks, and the build.

The English notebooks are the authored source. Their translations live in standard gettext
catalogues, one per notebook, that translators' tools (Poedit, Lokalize, Weblate) open as they are:

    notebooks/NAME.ipynb             -> locale/zh/notebooks/NAME.po  -> notebooks/zh/NAME.ipynb
    exercises/solutions/NAME.ipynb   -> locale/zh/exercises/NAME.po  -> exercises/solutions/zh/NAME.ipynb
                                                                      -> exercises/zh/NAME.ipynb (student copy)
    crmlib/**.py  _("…"), N_("…")    -> crmlib/locale/zh/LC_MESSAGES/crmlib.po (figures, widgets, checks)

Commands (run with the project's environment, ``.venv/bin/python tools/i18n.py …``, or
``python3 suite.py translate …``)::

    extract [NAMES]          update every catalogue and the library's from the English sources;
                             with NAMES (prefixes such as 03, or paths) only those, started if new
    build [NAMES] [--execute]
                             write the Chinese notebooks (and, with --execute, run them and make
                             the Chinese student copies); NAMES are prefixes such as 03
    status                   per catalogue: entries, translated, fuzzy, missing; per edition: the
                             share of user-visible text that is Chinese
    check                    exit 1 if a catalogue is incomplete or a built notebook is stale

One entry per cell: ``msgctxt`` is the cell's id, ``msgid`` its English source, ``msgstr`` the
Chinese. Every markdown cell is an entry; a code cell is an entry when a student reads something
in it (a comment, or a string with words in it), and its translation may change only comments
and strings — the code itself is the same in both editions (``tests/test_i18n.py`` compares the
tokens). When an English cell changes, ``extract`` keeps the old translation, marks it fuzzy
and records the previous English (``#| msgid``), so the translator sees what changed; the build
refuses fuzzy and missing entries, so the Chinese edition never shows a stale or English cell.

The build also
* states the language at the top of the first code cell: ``i18n.set_language("zh")``;
* points links at the Chinese edition: ``(../exercises/X.ipynb)`` becomes
  ``(../../exercises/zh/X.ipynb)`` and ``(X.ipynb)`` stays within ``notebooks/zh``;
* records ``metadata.crmlib = {"language": "zh", "source": <English path>}``.
"""

from __future__ import annotations

import argparse
import copy
import io
import os
import re
import sys
import tokenize
from dataclasses import dataclass
from pathlib import Path

import nbformat
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import denormalize, read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LANG = "zh"
LOCALE = ROOT / "locale" / LANG
LIBRARY_PO = ROOT / "crmlib" / "locale" / LANG / "LC_MESSAGES" / "crmlib.po"

LANGUAGE_LINE = 'from crmlib import i18n\n\ni18n.set_language("zh")  # 中文版：图表、控件和练习检查的文字用中文显示\n'


@dataclass(frozen=True)
class Edition:
    """One English notebook, its catalogue and its Chinese edition."""

    source: Path
    catalogue: Path
    target: Path
    kind: str  # "chapter" or "exercise"

    @property
    def name(self) -> str:
        return self.source.name


def editions() -> list[Edition]:
    """Every English notebook on disk with the paths of its catalogue and Chinese edition."""
    out = []
    for src in sorted((ROOT / "notebooks").glob("*.ipynb")):
        out.append(
            Edition(src, LOCALE / "notebooks" / f"{src.stem}.po", ROOT / "notebooks" / LANG / src.name, "chapter")
        )
    for src in sorted((ROOT / "exercises" / "solutions").glob("[0-9][0-9]_*.ipynb")):
        out.append(
            Edition(
                src,
                LOCALE / "exercises" / f"{src.stem}.po",
                ROOT / "exercises" / "solutions" / LANG / src.name,
                "exercise",
            )
        )
    return out


def select(names: list[str] | None) -> list[Edition]:
    eds = editions()
    if not names:
        return eds
    chosen = [e for e in eds if any(e.name.startswith(n) or e.source == Path(n).resolve() for n in names)]
    if not chosen:
        raise SystemExit(f"no notebook matches {names}")
    return chosen


# ------------------------------------------------------------------ what a student reads in a cell
_WORDS = re.compile(r"[A-Za-z]{2,}[^A-Za-z\n]+[A-Za-z]{2,}|[A-Za-z]{3,}\s|\s[A-Za-z]{3,}|[\u4e00-\u9fff]")


def readable_strings(source: str) -> tuple[list[str], list[str]]:
    """(comments, strings with words) of a code cell: what a student reads in it.

    A string counts when it has two words (``"mean wait (min)"``), a word and a space
    (``"protected (c=0.1, b=0.5)"``) or Chinese; keys such as ``"recency"`` and format codes do not. Cells that do not tokenize (IPython magics) count
    their comments only.
    """
    comments: list[str] = []
    strings: list[str] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return [ln.split("#", 1)[1] for ln in source.splitlines() if "#" in ln], []
    for tok in tokens:
        if tok.type == tokenize.COMMENT and re.search(r"[A-Za-z]{2,}|[\u4e00-\u9fff]", tok.string):
            if not tok.string.startswith("#!") and "noqa" not in tok.string:
                comments.append(tok.string)
        elif tok.type == tokenize.STRING or tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            if _WORDS.search(tok.string):
                strings.append(tok.string)
    return comments, strings


def translatable(cell) -> bool:
    source = cell.source
    if not source.strip():
        return False
    if cell.cell_type == "markdown":
        return True
    if cell.cell_type == "code":
        comments, strings = readable_strings(source)
        return bool(comments or strings)
    return False


def code_skeleton(source: str) -> list[tuple[int, str]]:
    """The tokens of a code cell without comments and string contents: what must not change.

    Strings become a placeholder (their prefix kept: an f-string stays an f-string);
    f-string expressions (Python ≥ 3.12 tokenizes them) are kept as code.
    """
    out = []
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            if tok.type in (tokenize.NEWLINE,):
                out.append((tok.type, ""))
            continue
        if tok.type == tokenize.STRING:
            prefix = re.match(r"[A-Za-z]*", tok.string).group(0).lower()
            out.append((tok.type, prefix))
        elif tok.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
            continue
        elif tok.type == tokenize.ENDMARKER:
            continue
        else:
            out.append((tok.type, tok.string))
    return out


# ------------------------------------------------------------------ catalogues
def _new_catalog(edition_name: str) -> Catalog:
    return Catalog(
        locale=LANG,
        header_comment=(
            f"# Chinese (中文) translation of {edition_name}, part of the crmlib CRM course.\n"
            "# Made and updated by `python3 suite.py translate extract`; see docs/TRANSLATING.md.\n"
            "# Licensed like the course itself."
        ),
        project=f"crmlib course: {edition_name}",
        version="0.2",
        copyright_holder="the crmlib authors",
        msgid_bugs_address="",
        language_team="Chinese (Simplified) <zh@li.org>",
        charset="utf-8",
        fuzzy=False,
    )


def read_catalogue(path: Path) -> Catalog:
    """The catalogue at ``path``, with the previous English (``#| msgid``) of fuzzy entries.

    (Babel writes ``#|`` lines but does not read them back; they are read here.)
    """
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=LANG)
    previous = _previous_ids(path.read_text(encoding="utf-8"))
    for message in catalog:
        if message.context in previous:
            message.previous_id = [previous[message.context]]
        # Babel reads a ``#|`` line as a translator comment "| msgid …" (and writes it back wrapped
        # as "# | …" lines): drop it and everything after it, which are the wrapped pieces.
        junk = next((i for i, c in enumerate(message.user_comments) if c.startswith("|")), None)
        if junk is not None:
            del message.user_comments[junk:]
    return catalog


def _previous_ids(text: str) -> dict[str, str]:
    out = {}
    for block in text.split("\n\n"):
        lines = block.splitlines()
        prev = [ln[3:] for ln in lines if ln.startswith("#| ")]
        ctx = [ln for ln in lines if ln.startswith("msgctxt ")]
        if prev and ctx and prev[0].startswith("msgid "):
            prev[0] = prev[0][len("msgid ") :]
            out[denormalize(ctx[0][len("msgctxt ") :])] = denormalize("\n".join(prev))
    return out


def write_catalogue(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=0, include_previous=True, omit_header=False, sort_output=False)
    text = buf.getvalue().decode("utf-8")
    # a stable header: no creation/revision dates (they would change on every run)
    text = re.sub(r'"(POT-Creation-Date|PO-Revision-Date): [^"]*\\n"\n', "", text)
    text = re.sub(r"^# Copyright \(C\) \d{4}", "# Copyright (C)", text, flags=re.M)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)  # atomic: a kernel reading the catalogue never sees half a file


def by_context(catalog: Catalog) -> dict[str, Message]:
    return {m.context: m for m in catalog if m.id and m.context}


def update_notebook_catalogue(edition: Edition) -> dict[str, int]:
    """Bring ``edition.catalogue`` in step with its English notebook; return counts."""
    nb = nbformat.read(edition.source, as_version=4)
    old = by_context(read_catalogue(edition.catalogue)) if edition.catalogue.exists() else {}
    catalog = _new_catalog(edition.name)
    counts = {"new": 0, "changed": 0, "kept": 0, "dropped": 0}
    seen = set()
    for index, cell in enumerate(nb.cells):
        if not translatable(cell):
            continue
        ctx = cell.get("id") or f"cell-{index}"
        seen.add(ctx)
        prev = old.get(ctx)
        comment = f"{cell.cell_type} cell {index}"
        if prev is None:
            catalog.add(cell.source, "", context=ctx, auto_comments=[comment])
            counts["new"] += 1
        elif prev.id == cell.source:
            catalog.add(
                cell.source,
                prev.string,
                context=ctx,
                auto_comments=[comment],
                user_comments=list(prev.user_comments),
                flags=list(prev.flags),
                previous_id=prev.previous_id if prev.fuzzy else (),
            )
            counts["kept"] += 1
        else:
            flags = set(prev.flags) | ({"fuzzy"} if prev.string else set())
            catalog.add(
                cell.source,
                prev.string,
                context=ctx,
                auto_comments=[comment],
                user_comments=list(prev.user_comments),
                flags=sorted(flags),
                previous_id=prev.id if prev.string else (),
            )
            counts["changed"] += 1
    counts["dropped"] = len(set(old) - seen)
    write_catalogue(catalog, edition.catalogue)
    return counts


def update_library_catalogue() -> dict[str, int]:
    """Extract ``_()``, ``gettext()``, ``N_()``, ``ngettext()``, ``pgettext()`` and ``NP_()`` calls into crmlib.po.

    Entries are keyed by (context, msgid): ``pgettext``/``NP_`` give a word a translation of its own
    in one context (a survival table's "events") beside its plain one.
    """
    keywords = {
        "_": None,
        "gettext": None,
        "N_": None,
        "ngettext": (1, 2),
        "pgettext": ((1, "c"), 2),
        "NP_": ((1, "c"), 2),
    }
    found: dict[tuple[str | None, str], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
        str(ROOT / "crmlib"),
        method_map=[("**.py", "python")],
        keywords=keywords,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        for msg in message if isinstance(message, tuple) else (message,):
            if msg:
                found.setdefault((context or None, msg), []).append(f"crmlib/{filename}:{lineno}")
    old = {(m.context or None, m.id): m for m in read_catalogue(LIBRARY_PO) if m.id} if LIBRARY_PO.exists() else {}
    catalog = _new_catalog("crmlib")
    counts = {"new": 0, "kept": 0, "dropped": 0}
    for context, msg in sorted(found, key=lambda key: (key[1], key[0] or "")):
        prev = old.get((context, msg))
        locations = [(loc.rsplit(":", 1)[0], int(loc.rsplit(":", 1)[1])) for loc in found[(context, msg)]]
        if prev is not None:
            catalog.add(
                msg,
                prev.string,
                locations=locations,
                flags=list(prev.flags),
                user_comments=list(prev.user_comments),
                context=context,
            )
            counts["kept"] += 1
        else:
            catalog.add(msg, "", locations=locations, context=context)
            counts["new"] += 1
    counts["dropped"] = len(set(old) - set(found))
    write_catalogue(catalog, LIBRARY_PO)
    return counts


def problems(catalog: Catalog) -> dict[str, list[str]]:
    """Entries that are fuzzy or untranslated, by kind (contexts, or msgids for the library)."""
    fuzzy, missing = [], []
    for m in catalog:
        if not m.id:
            continue
        key = m.context or m.id
        if m.fuzzy:
            fuzzy.append(key)
        elif not m.string:
            missing.append(key)
    return {"fuzzy": fuzzy, "missing": missing}


# ------------------------------------------------------------------ the build
_EXERCISE_LINK = re.compile(r"\]\(\.\./exercises/((?:solutions/)?)([^)#\s]+\.ipynb)")
_CHAPTER_LINK = re.compile(r"\]\(\.\./notebooks/([^)#\s/]+\.ipynb)")


def rewrite_links(markdown: str, kind: str) -> str:
    """Point links between notebooks at the Chinese edition (the folders are one level deeper)."""
    if kind == "chapter":  # notebooks/zh/X -> ../../exercises/zh/Y
        markdown = _EXERCISE_LINK.sub(lambda m: f"](../../exercises/{m.group(1)}zh/{m.group(2)}", markdown)
    else:  # exercises/solutions/zh/X and exercises/zh/X -> ../../notebooks/zh/Y
        markdown = _CHAPTER_LINK.sub(lambda m: f"](../../notebooks/zh/{m.group(1)}", markdown)
    return markdown


class IncompleteCatalogue(Exception):
    pass


def _rel(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def build_notebook(edition: Edition):
    """The Chinese edition of ``edition`` as an nbformat notebook (sources only; outputs cleared)."""
    nb = nbformat.read(edition.source, as_version=4)
    if not edition.catalogue.exists():
        raise IncompleteCatalogue(f"{_rel(edition.catalogue)} does not exist: run `tools/i18n.py extract`")
    entries = by_context(read_catalogue(edition.catalogue))
    zh = copy.deepcopy(nb)
    bad = []
    first_code = True
    for index, cell in enumerate(zh.cells):
        if translatable(cell):
            ctx = cell.get("id") or f"cell-{index}"
            entry = entries.get(ctx)
            if entry is None or entry.id != cell.source or entry.fuzzy or not entry.string:
                bad.append(f"cell {index} ({ctx})")
            else:
                cell.source = entry.string
        if cell.cell_type == "markdown":
            cell.source = rewrite_links(cell.source, edition.kind)
        elif cell.cell_type == "code":
            if first_code:
                cell.source = LANGUAGE_LINE + ("\n" + cell.source if cell.source.strip() else "")
                first_code = False
            cell.outputs = []
            cell.execution_count = None
        cell.metadata.pop("execution", None)
    if bad:
        raise IncompleteCatalogue(
            f"{_rel(edition.catalogue)}: {len(bad)} entries missing or fuzzy, first {', '.join(bad[:5])}"
        )
    zh.metadata.pop("widgets", None)
    zh.metadata["crmlib"] = {**zh.metadata.get("crmlib", {}), "language": LANG, "source": _rel(edition.source)}
    zh.metadata["crmlib"].pop("generated_sha256", None)
    return zh


def cell_signature(nb) -> list[tuple]:
    """What the freshness test compares: cell ids, types, sources and tags (not outputs)."""
    return [(c.get("id"), c.cell_type, c.source, tuple(c.metadata.get("tags", []))) for c in nb.cells]


def is_fresh(edition: Edition) -> bool:
    if not edition.target.exists():
        return False
    built = build_notebook(edition)
    return cell_signature(built) == cell_signature(nbformat.read(edition.target, as_version=4))


def build(names: list[str] | None, *, execute: bool, force: bool = False) -> int:
    status = 0
    for edition in select(names):
        if not edition.catalogue.exists():
            continue  # not translated yet: `status` lists it
        try:
            built = build_notebook(edition)
        except IncompleteCatalogue as exc:
            print(f"skipped {edition.source.relative_to(ROOT)}: {exc}")
            status = 1
            continue
        target = edition.target
        if target.exists() and not force:
            old = nbformat.read(target, as_version=4)
            if cell_signature(old) == cell_signature(built):
                print(f"{target.relative_to(ROOT)} is up to date")
                continue
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(built, target)
        print(f"wrote {target.relative_to(ROOT)}")
        if execute:
            _execute(edition, force=force)
    return status


def _execute(edition: Edition, *, force: bool = False) -> None:
    sys.path.insert(0, str(ROOT / "tools"))
    sys.path.insert(0, str(ROOT / "exercises"))
    if edition.kind == "chapter":
        import execute_notebooks

        execute_notebooks.execute(edition.target)
    else:
        import make_student

        make_student.execute_solutions([edition.name], solutions_dir=edition.target.parent)
        (ROOT / "exercises" / LANG).mkdir(exist_ok=True)
        make_student.generate(edition.target, ROOT / "exercises" / LANG, force=force)


# ------------------------------------------------------------------ how Chinese an edition is
_CODE_SPAN = re.compile(r"```.*?```|`[^`\n]*`|\$\$.*?\$\$|\$[^$\n]*\$|\]\([^)]*\)|<[^>]+>|https?://\S+", re.S)
_LATIN_WORD = re.compile(r"\b[A-Za-z][a-z]{2,}\b")


def english_words(nb) -> int:
    """Lower-case Latin words (3+ letters) a student reads: markdown prose and text outputs.

    Code, math, links and HTML tags are left out; names (capitalised words such as Maister,
    Erlang, CDNOW) are not counted, because a Chinese text keeps them too.
    """
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            count += len(_LATIN_WORD.findall(_CODE_SPAN.sub(" ", cell.source)))
        elif cell.cell_type == "code":
            for out in cell.get("outputs", []):
                text = out.get("text") or out.get("data", {}).get("text/plain", "")
                if isinstance(text, list):
                    text = "".join(text)
                count += len(_LATIN_WORD.findall(text))
    return count


def chinese_share(edition: Edition) -> float | None:
    """1 − (English words left in the Chinese edition) / (English words in the English notebook)."""
    if not edition.target.exists():
        return None
    en = english_words(nbformat.read(edition.source, as_version=4))
    zh = english_words(nbformat.read(edition.target, as_version=4))
    return 1.0 - zh / en if en else 1.0


def status() -> int:
    rows = []
    for edition in editions():
        if edition.catalogue.exists():
            cat = read_catalogue(edition.catalogue)
            prob = problems(cat)
            n = sum(1 for m in cat if m.id)
            share = chinese_share(edition)
            rows.append(
                (
                    str(edition.source.relative_to(ROOT)),
                    n,
                    n - len(prob["fuzzy"]) - len(prob["missing"]),
                    len(prob["fuzzy"]),
                    len(prob["missing"]),
                    "-" if share is None else f"{share:.0%}",
                )
            )
        else:
            rows.append((str(edition.source.relative_to(ROOT)), 0, 0, 0, 0, "no catalogue"))
    if LIBRARY_PO.exists():
        cat = read_catalogue(LIBRARY_PO)
        prob = problems(cat)
        n = sum(1 for m in cat if m.id)
        rows.append(
            (
                "crmlib (library messages)",
                n,
                n - len(prob["fuzzy"]) - len(prob["missing"]),
                len(prob["fuzzy"]),
                len(prob["missing"]),
                "",
            )
        )
    width = max(len(r[0]) for r in rows)
    print(f"{'source':{width}}  entries  translated  fuzzy  missing  Chinese share")
    for r in rows:
        print(f"{r[0]:{width}}  {r[1]:7d}  {r[2]:10d}  {r[3]:5d}  {r[4]:7d}  {r[5]}")
    return 0


def check() -> int:
    bad = 0
    for edition in editions():
        if not edition.catalogue.exists():
            continue
        prob = problems(read_catalogue(edition.catalogue))
        if prob["fuzzy"] or prob["missing"]:
            bad += 1
            print(
                f"INCOMPLETE {edition.catalogue.relative_to(ROOT)}: {len(prob['fuzzy'])} fuzzy, {len(prob['missing'])} missing"
            )
        elif not is_fresh(edition):
            bad += 1
            print(
                f"STALE {edition.target.relative_to(ROOT)}: run `python3 suite.py translate build --execute {edition.name[:2]}`"
            )
    return 1 if bad else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_extract = sub.add_parser("extract", help="update the catalogues from the English sources")
    p_extract.add_argument("names", nargs="*", help="also start catalogues for these notebooks (prefixes such as 03)")
    p_build = sub.add_parser("build", help="write the Chinese notebooks")
    p_build.add_argument("names", nargs="*")
    p_build.add_argument("--execute", action="store_true", help="run them (and make the Chinese student copies)")
    p_build.add_argument("--force", action="store_true", help="rewrite even when the cells are unchanged")
    sub.add_parser("status", help="what is translated")
    sub.add_parser("check", help="exit 1 if a catalogue is incomplete or a Chinese notebook is stale")
    args = parser.parse_args(argv)
    if args.command == "extract":
        # with NAMES: only those notebooks' catalogues (started if new); without: every existing one + the library
        chosen = select(args.names) if args.names else [e for e in editions() if e.catalogue.exists()]
        for edition in chosen:
            counts = update_notebook_catalogue(edition)
            print(f"{edition.catalogue.relative_to(ROOT)}: {counts}")
        if not args.names:
            print(f"{LIBRARY_PO.relative_to(ROOT)}: {update_library_catalogue()}")
        return 0
    if args.command == "build":
        return build(args.names, execute=args.execute, force=args.force)
    if args.command == "status":
        return status()
    return check()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

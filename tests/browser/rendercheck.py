"""Does a notebook's Markdown render as written? Source-side parsing and in-page measurement.

Used by ``tests/test_rendering.py`` (source and output scans, no browser) and by
``tests/browser/test_markdown_rendering.py`` (JupyterLab, the nbconvert pages and the slides in
Chromium). The failure this guards against: the math renderer pairs two signs that were not meant
as math delimiters (``$50 ... $30``) and typesets the words between them as one italic formula
("50aweekatJack′ssupermarket"), or a ``%`` inside a formula comments out the rest of its line.

Source side: :func:`split_math` finds the math spans exactly as JupyterLab's ``removeMath`` does
(``$``, ``$$``, ``\\\\(``, ``\\\\[``, ``\\begin{..}``, code spans skipped, braces balanced, a blank
line cancels an open span); :func:`visible_words` is what a reader should see outside formulas.
Page side: :data:`CELL_JS` returns, for one rendered cell, its text outside formulas and, per
formula, whether MathJax reported an error and the longest run of single italic letters (a
swallowed sentence is a long run: "aweekatJack" is eleven).
"""

from __future__ import annotations

import html
import re
from collections import Counter

# ----------------------------------------------------------------------------- source side

# JupyterLab's MATHSPLIT (packages/rendermime/src/latex.ts)
_MATHSPLIT = re.compile(
    r"(\$\$?|\\(?:begin|end)\{[a-z]*\*?\}|\\[{}$]|[{}]|(?:\n\s*)+|@@\d+@@|\\\\(?:\(|\)|\[|\]))", re.I
)
_FENCE = re.compile(r"^(?P<fence>`{3,}|(?:~T){3,})[^`\n]*\n([\s\S]*?)^(?P=fence)`*$", re.M)
_CODE_SPAN = re.compile(r"(^|[^\\])(`+)([^\n]*?[^`\n])\2(?!`)", re.M)


def split_math(text: str) -> tuple[str, list[str]]:
    """``(text with math replaced by @@n@@ markers, [math spans with their delimiters])``.

    A port of JupyterLab's ``removeMath``, so the spans are the ones JupyterLab typesets.
    """
    math: list[str] = []
    has_code = "`" in text or "~~~" in text
    if has_code:
        text = text.replace("~", "~T")
        text = _FENCE.sub(lambda m: m.group(0).replace("$", "~D"), text)
        text = _CODE_SPAN.sub(lambda m: m.group(0).replace("$", "~D"), text)

        def detilde(s: str) -> str:
            return re.sub(r"~([TD])", lambda m: "~" if m.group(1) == "T" else "$", s)
    else:

        def detilde(s: str) -> str:
            return s

    blocks = _MATHSPLIT.split(text.replace("\r\n", "\n").replace("\r", "\n"))
    start = end = last = None
    braces = 0

    def process(i: int, j: int) -> None:
        block = "".join(blocks[i : j + 1])
        for k in range(j, i, -1):
            blocks[k] = ""
        blocks[i] = f"@@{len(math)}@@"
        math.append(detilde(block))

    i = 1
    while i < len(blocks):
        block = blocks[i]
        if block.startswith("@"):
            blocks[i] = f"@@{len(math)}@@"
            math.append(block)
        elif start is not None:
            if block == end:
                if braces:
                    last = i
                else:
                    process(start, i)
                    start = end = last = None
            elif re.search(r"\n.*\n", block):
                if last is not None:
                    i = last
                    process(start, i)
                start = end = last = None
                braces = 0
            elif block == "{":
                braces += 1
            elif block == "}" and braces:
                braces -= 1
        else:
            if block in ("$", "$$"):
                start, end, braces = i, block, 0
            elif block in ("\\\\(", "\\\\["):
                start, end, braces = i, "\\\\)" if block.endswith("(") else "\\\\]", 0
            elif block[1:6] == "begin":
                start, end, braces = i, "\\end" + block[6:], 0
        i += 2
    if start is not None and last is not None:
        process(start, last)
    return detilde("".join(blocks)), math


_TAG = re.compile(r"<[^>]+>")
_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)(?:\s+\"[^\"]*\")?\)")
_AUTOLINK = re.compile(r"<(https?://[^>]+)>")
_WORD = re.compile(r"[A-Za-z]{2,}|\d+|[\u3400-\u9fff]")


def visible_words(source: str) -> Counter:
    """Words a reader should see outside formulas: letters (2+), numbers and CJK characters.

    Math spans, HTML tags, link targets, HTML entities and Markdown punctuation are removed;
    code spans stay (they are shown literally).
    """
    text, _ = split_math(source)
    text = re.sub(r"@@\d+@@", " ", text)
    text = re.sub(r"^\s{0,8}\d{1,9}[.)](?=\s)", " ", text, flags=re.M)  # ordered-list numbers are drawn, not text
    text = _AUTOLINK.sub(r"\1", text)
    text = _LINK.sub(r"\1", text)
    text = re.sub(r"<!--.*?-->", " ", text, flags=re.S)
    text = _TAG.sub(" ", text)
    text = html.unescape(text)
    text = text.replace("\\", " ")  # Markdown escapes (\*, \_) show the character only
    return Counter(_WORD.findall(text))


def words_of(rendered_text: str) -> Counter:
    return Counter(_WORD.findall(rendered_text))


def missing_words(source: str, rendered_text: str) -> list[str]:
    """Source words (outside formulas) that the rendered text outside formulas lacks."""
    want, have = visible_words(source), words_of(rendered_text)
    return sorted(w for w, n in want.items() if have[w] < n)


def percent_in_math(source: str) -> list[str]:
    """Math spans with an unescaped ``%`` (a TeX comment: the rest of the line disappears)."""
    return [m for m in split_math(source)[1] if re.search(r"(?<!\\)%", m)]


_MONEY = re.compile(r"(?<![\\$])\$\s?\d")


def dollar_problems(source: str) -> list[str]:
    """Dollar signs that are not math delimiters: escaped ``\\$`` or ``$`` before a number used as money.

    The suite's rule (notes/COMMON.md): money is written "USD 50", "50 dollars" or "¥9", never
    with a dollar sign, because every renderer may pair dollar signs into a formula.
    """
    text, spans = split_math(source)
    bad = [f"escaped dollar {m.group(0)!r}" for m in re.finditer(r"\\\$\S{0,12}", source)]
    for span in spans:
        if span.startswith("$") and not span.startswith("$$") and re.match(r"\$\s?\d", span):
            body = span.strip("$")
            # a number opening a formula is fine ($5 \times 3$); prose inside it is not
            if re.search(r"(?:^|\s)[A-Za-z]{2,}\s+[A-Za-z]{2,}", re.sub(r"\\[A-Za-z]+(\{[^}]*\})?", " ", body)):
                bad.append(f"money-like formula {span[:60]!r}")
    leftover = re.sub(r"`[^`]*`", "", text)
    bad += [
        f"unpaired dollar near {leftover[max(0, m.start() - 20) : m.end() + 20]!r}"
        for m in re.finditer(r"(?<!\\)\$", leftover)
    ]
    return bad


# ----------------------------------------------------------------------------- page side

# One rendered cell (or any element): text outside formulas (code and anchors kept/dropped as a
# reader sees them) and, per formula, MathJax errors and the longest run of single italic
# letters. Works for MathJax 3 CHTML (JupyterLab) and SVG (the vendored tex-svg-full) output.
CELL_JS = r"""(root) => {
  const isItalicLetter = (code) => {
    const c = parseInt(code, 16);
    return (c >= 0x1D434 && c <= 0x1D467) || c === 0x210E ||
           (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A);
  };
  const tokenInfo = (el) => {
    // kind (mi/mn/mo/mtext) and the characters of one token, CHTML or SVG
    let kind, chars = [];
    if (el.tagName.toLowerCase().startsWith('mjx-')) {
      kind = el.tagName.toLowerCase().slice(4);
      el.querySelectorAll('mjx-c').forEach(c => {
        const m = [...c.classList].map(k => /^mjx-c([0-9A-F]+)$/.exec(k)).find(Boolean);
        if (m) chars.push(m[1]); else if (c.textContent) chars.push(c.textContent.codePointAt(0).toString(16).toUpperCase());
      });
      if (!chars.length && el.textContent) chars = [...el.textContent].map(ch => ch.codePointAt(0).toString(16).toUpperCase());
    } else {
      kind = el.getAttribute('data-mml-node');
      el.querySelectorAll('[data-c]').forEach(u => chars.push(u.getAttribute('data-c').toUpperCase()));
    }
    return {kind, chars};
  };
  const formulas = [...root.querySelectorAll('mjx-container')].map(f => {
    const error = !!(f.querySelector('mjx-merror, [data-mml-node="merror"], [data-mjx-error]') || f.hasAttribute('data-mjx-error'));
    const message = error ? (f.querySelector('[data-mjx-error]')?.getAttribute('data-mjx-error') || f.textContent || '').slice(0, 200) : '';
    // runs of single italic letters among siblings (subscripts and fractions do not join a run)
    const TOKEN = 'mjx-mi, mjx-mn, mjx-mo, mjx-mtext, g[data-mml-node="mi"], g[data-mml-node="mn"], g[data-mml-node="mo"], g[data-mml-node="mtext"]';
    let maxRun = 0, letters = 0;
    const parents = new Set([...f.querySelectorAll(TOKEN)].map(t => t.parentElement));
    for (const parent of parents) {
      let run = 0;
      for (const child of parent.children) {
        if (!child.matches(TOKEN)) { if (!child.matches('mjx-c, use, rect')) run = 0; continue; }
        const t = tokenInfo(child);
        if (t.kind === 'mi' && t.chars.length === 1 && isItalicLetter(t.chars[0])) { run++; letters++; maxRun = Math.max(maxRun, run); }
        else run = 0;
      }
    }
    // every letter the formula shows (identifiers, operators such as max, and text)
    const isLetter = (code) => { const c = parseInt(code, 16);
      return (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || (c >= 0x1D400 && c <= 0x1D6A5) || (c >= 0x2100 && c <= 0x214F); };
    let allLetters = 0;
    f.querySelectorAll(TOKEN).forEach(t => { if (!t.parentElement.closest(TOKEN)) allLetters += tokenInfo(t).chars.filter(isLetter).length; });
    return {error, message, maxRun, letters, allLetters, display: f.getAttribute('display') === 'true' || f.hasAttribute('display')};
  });
  const clone = root.cloneNode(true);
  clone.querySelectorAll('mjx-container, mjx-assistive-mml, .MathJax_Preview, script, style, a.anchor-link, .jp-InternalAnchorLink, aside.notes').forEach(e => e.remove());
  // blocks and table cells are separate words on the page: keep them apart in the text too
  clone.querySelectorAll('p, div, li, td, th, tr, br, h1, h2, h3, h4, h5, h6, blockquote, dt, dd')
    .forEach(e => e.after(document.createTextNode(' ')));
  // text a reader sees outside formulas, and the part of it outside code (for raw-TeX checks)
  const text = clone.textContent;
  clone.querySelectorAll('code, pre').forEach(e => e.remove());
  return {text, prose: clone.textContent, formulas};
}"""


def tex_letters(span: str) -> int:
    """Latin letters a formula's TeX source should show (command names and environments excluded)."""
    body = span.strip("$")
    if body.startswith("\\(") or body.startswith("\\["):
        body = body[3:-3]
    body = re.sub(r"\\(?:begin|end)\{[^}]*\}", " ", body)
    body = re.sub(r"\\[A-Za-z]+\*?", " ", body)
    return len(re.findall(r"[A-Za-z]", body))


MAX_LETTER_RUN = 4  # "CLV" or "SV" written as math is 2-3 letters; swallowed prose is far longer


def problems(source: str, rendered: dict, *, check_words: bool = True) -> list[str]:
    """Everything wrong with one rendered Markdown cell (empty when it renders as written)."""
    out = []
    _, spans = split_math(source)
    for f in rendered["formulas"]:
        if f["error"]:
            out.append(f"MathJax error: {f['message']!r}")
        if f["maxRun"] > MAX_LETTER_RUN:
            out.append(f"a formula with {f['maxRun']} italic letters in a row (text swallowed by math?)")
    n_src, n_page = len(spans), len(rendered["formulas"])
    if n_page != n_src:
        out.append(f"{n_page} formulas rendered, {n_src} in the source (a dollar sign paired differently?)")
    else:  # formula k is span k: it must show at least the letters its source has (a TeX % drops them)
        for span, f in zip(spans, rendered["formulas"]):
            if "allLetters" in f and f["allLetters"] < tex_letters(span):
                out.append(
                    f"the formula {span[:50]!r} shows {f['allLetters']} of its {tex_letters(span)} letters "
                    "(a % comment or a swallowed part?)"
                )
    prose = rendered["prose"]
    if re.search(r"(?<!\\)\$", prose):
        i = prose.find("$")
        out.append(f"a dollar sign left in the text: {prose[max(0, i - 30) : i + 30]!r}")
    raw = re.findall(r"\\(?:frac|sum|text|mathrm|alpha|beta|lambda|mu|rho|le|ge|times|cdot|begin|end)\b", prose)
    if raw:
        out.append(f"untypeset TeX in the text: {sorted(set(raw))}")
    if check_words:
        miss = missing_words(source, rendered["text"])
        if miss:
            out.append(f"words of the source missing from the page: {miss[:12]}")
    return out

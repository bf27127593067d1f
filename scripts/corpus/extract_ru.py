#!/usr/bin/python3
"""Builds the Russian masked-LM training corpus (see build-corpus.sh).

Extracts sentences from Debian packages with Russian text (fortunes, man
pages, HTML help, .mo catalogues) and from the shared data directory, cleans
and deduplicates them, removes evaluation sentences, and writes a
deterministic train/validation split with a manifest.

Python 3 standard library only; single-threaded; deterministic for given
inputs (no set iteration order, no clocks, no randomness in the output).
"""

import argparse
import csv
import glob
import gzip
import hashlib
import html
import io
import json
import os
import re
import shlex
import struct
import subprocess
import sys
import tarfile
import time
import unicodedata
from html.parser import HTMLParser

RECIPE_VERSION = "2"
VALID_PER_MILLE = 20  # ~2% of distinct sentences go to validation

# ---------------------------------------------------------------- packages

# (package, extractor, predicate on the paths that dpkg-query -L lists)
HTML_SKIP_NAMES = {"search.html", "genindex.html", "developers-reference.html"}


def _html_file(path):
    return (path.endswith((".html", ".htm")) and "/singlehtml/" not in path
            and os.path.basename(path) not in HTML_SKIP_NAMES)


PACKAGES = [
    ("fortunes-ru", "fortune",
     lambda p: p.startswith("/usr/share/games/fortunes/ru/") and not p.endswith((".dat", ".u8"))),
    ("manpages-ru", "man", lambda p: p.startswith("/usr/share/man/ru/") and p.endswith(".gz")),
    ("manpages-ru-dev", "man", lambda p: p.startswith("/usr/share/man/ru/") and p.endswith(".gz")),
    ("libreoffice-help-ru", "html", _html_file),
    ("libreoffice-l10n-ru", "mo", lambda p: p.endswith(".mo")),
    ("gimp-help-ru", "html", _html_file),
    ("debian-handbook", "html", lambda p: "/html/ru-RU/" in p and _html_file(p)),
    ("kicad-doc-ru", "html", _html_file),
    ("doublecmd-help-ru", "html", _html_file),
    ("aptitude-doc-ru", "html", _html_file),
    ("debian-faq-ru", "html", _html_file),
    ("developers-reference-ru", "html", _html_file),
    ("maint-guide-ru", "html", _html_file),
    ("ubuntu-packaging-guide-html-ru", "html", _html_file),
]


def _ru_mo(prefix):
    return lambda p: "/locale/ru/LC_MESSAGES/" in p and p.endswith(".mo") and \
        os.path.basename(p).startswith(prefix)


# Games whose Russian catalogues hold narrative prose (campaign stories, unit
# and nation histories): past-tense verbs with noun subjects, which the
# documentation above rarely has. Their packages pull in a game engine, so
# they are downloaded (apt-get download) and read from the .deb, never installed.
UNPACKED_PACKAGES = [("wesnoth-1.16-data", "mo", _ru_mo("wesnoth"))] + [
    (f"wesnoth-1.16-{c}", "mo", _ru_mo("wesnoth"))
    for c in ("did", "dm", "dw", "ei", "httt", "l", "low", "nr", "sof", "sota", "sotbe",
              "thot", "trow", "tsg", "ttb", "utbs")
] + [("freeciv-data", "mo", _ru_mo("freeciv"))]


def dpkg_version(pkg):
    r = subprocess.run(["dpkg-query", "-W", "-f=${Status}\t${Version}", pkg],
                       capture_output=True, text=True)
    if r.returncode != 0 or "install ok installed" not in r.stdout:
        return None
    return r.stdout.split("\t", 1)[1]


def dpkg_files(pkg, pred):
    r = subprocess.run(["dpkg-query", "-L", pkg], capture_output=True, text=True, check=True)
    return sorted({p for p in r.stdout.splitlines()
                   if pred(p) and os.path.isfile(p) and not os.path.islink(p)})


def deb_path(deb_dir, pkg):
    """The one downloaded .deb of pkg in deb_dir, or None."""
    debs = sorted(glob.glob(os.path.join(deb_dir, glob.escape(pkg) + "_*.deb")))
    if len(debs) > 1:
        raise SystemExit(f"extract_ru: {deb_dir} holds {len(debs)} versions of {pkg}; keep one")
    return debs[0] if debs else None


def deb_version(deb):
    return subprocess.run(["dpkg-deb", "-f", deb, "Version"], capture_output=True, text=True,
                          check=True).stdout.strip()


def deb_members(deb, pred):
    """[(path, bytes)] of the regular files of a .deb whose path matches pred, in path order."""
    tar = subprocess.run(["dpkg-deb", "--fsys-tarfile", deb], capture_output=True, check=True).stdout
    out = []
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        for m in t.getmembers():
            path = "/" + m.name.lstrip("./")
            if m.isfile() and pred(path):
                out.append((path, t.extractfile(m).read()))
    return sorted(out)


# ---------------------------------------------------------------- fortunes

def fortune_paragraphs(data):
    text = data.decode("utf-8", errors="replace")
    for entry in re.split(r"^%[ \t]*$", text, flags=re.M):
        para = []
        for line in entry.split("\n"):
            s = line.strip()
            # attribution ("\t\t-- Author", possibly wrapped): ends the entry
            if re.match(r"^(--|—|-\s*-)\s*\S", s) and re.match(r"^(\t|\s{3,})", line):
                break
            if re.match(r"^(\t|\s{8,})\S", line) and len(s.split()) <= 6 and not re.search(r"[.!?…]$", s):
                continue                  # right-aligned signature
            if not s:
                if para:
                    yield " ".join(para)
                para = []
                continue
            # a dialogue turn or a numbered item starts a new paragraph
            numbered = re.match(r"^\d{1,2}[.)]\s+(?=\S)", s)
            if (numbered or re.match(r"^[—–-]\s", s)) and para:
                yield " ".join(para)
                para = []
            if numbered:
                s = s[numbered.end():]
            para.append(s)
        if para:
            yield " ".join(para)


# ---------------------------------------------------------------- man pages

GROFF_CHARS = {
    "em": "—", "en": "–", "hy": "-", "mi": "-", "lq": "“", "rq": "”", "oq": "‘", "cq": "’",
    "aq": "'", "dq": '"', "Fo": "«", "Fc": "»", "fo": "‹", "fc": "›", "bu": "•", "co": "©",
    "rg": "®", "tm": "™", "mu": "×", "di": "÷", "+-": "±", "<=": "≤", ">=": "≥", "!=": "≠",
    "->": "→", "<-": "←", "ti": "~", "ha": "^", "rs": "\\", "sl": "/", "ba": "|", "ga": "`",
    "aa": "´", "ul": "_", "ru": "_", "pl": "+", "eq": "=", "sc": "§", "de": "°", "at": "@",
    "sh": "#", "Do": "$", "lB": "[", "rB": "]", "lC": "{", "rC": "}", "es": "∅", "if": "∞",
    "dg": "†", "ss": "ß", "Eu": "€", "eu": "€", "Po": "£", "ct": "¢", "bv": "|",
}
GROFF_STRINGS = {"lq": "“", "rq": "”", "Lq": "“", "Rq": "”", "R": "®", "Tm": "™"}

_ESC_RE = re.compile(
    r"\\(?:"
    r"\((?P<c2>..)|\[(?P<cn>[^\]]*)\]"                       # named characters
    r"|\*(?:\((?P<s2>..)|\[(?P<sn>[^\]]*)\]|(?P<s1>.))"      # strings
    r"|f(?:\(..|\[[^\]]*\]|.)"                               # fonts
    r"|s(?:[-+]?\d+|\([-+]?\d\d|\[[^\]]*\])"                 # sizes
    r"|[nmgFkVY](?:\(..|\[[^\]]*\]|.)"                       # registers etc.
    r"|[hvwoXlLDNbSxRHZ]'[^']*'"                             # quoted-argument escapes
    r"|(?P<one>.)"
    r")", re.S)


def _esc_sub(m):
    if m.group("c2") is not None:
        return GROFF_CHARS.get(m.group("c2"), "\ufffd")
    if m.group("cn") is not None:
        n = m.group("cn")
        if re.fullmatch(r"u[0-9A-Fa-f]{4,6}", n):
            return chr(int(n[1:], 16))
        return GROFF_CHARS.get(n, "\ufffd")
    for g in ("s2", "sn", "s1"):
        if m.group(g) is not None:
            return GROFF_STRINGS.get(m.group(g), "")
    one = m.group("one")
    if one is None:
        return ""                                            # font, size, register, ...
    return {"-": "-", "e": "\\", "\\": "\\", ".": ".", "'": "'", "`": "`", " ": " ", "~": " ",
            "0": " ", "_": "_", "t": " "}.get(one, "")      # \& \| \^ \c \% \: ...


def groff_unescape(s):
    return _ESC_RE.sub(_esc_sub, s)


def _macro_args(rest):
    try:
        return shlex.split(rest.replace("\\", "\\\\"))
    except ValueError:                       # unbalanced quotes
        return rest.split()


FONT_MACROS = {"B", "I", "SM", "SB"}
ALT_MACROS = {"BR", "BI", "IB", "RB", "RI", "IR"}
SKIP_BLOCKS = {"nf": "fi", "EX": "EE", "TS": "TE", "SY": "YS", "de": "..", "am": "..", "ig": "..",
               "EQ": "EN", "PS": "PE"}


def man_paragraphs(data):
    text = data.decode("utf-8", errors="replace")
    if re.match(r"\s*\.so\s", text):
        return
    para, end_block, tag_next = [], None, False

    def flush():
        nonlocal para
        out = [groff_unescape(" ".join(para))] if para else []
        para = []
        return out

    for line in text.split("\n"):
        line = re.sub(r'\\".*$', "", line)
        if end_block is not None:
            if re.match(r"^[.']\s*" + re.escape(end_block) + r"\b", line) or (end_block == ".." and line.strip() == ".."):
                end_block = None
            continue
        if line.startswith((".", "'")):
            m = re.match(r"^[.']\s*(\S+)\s*(.*)$", line)
            if not m:
                continue
            name, rest = m.group(1), m.group(2)
            if name in SKIP_BLOCKS:
                end_block = SKIP_BLOCKS[name]
                yield from flush()
                continue
            if name in FONT_MACROS or name in ALT_MACROS:
                args = _macro_args(rest)
                if tag_next:           # the tag of .TP is a term, not prose
                    tag_next = False
                elif args:
                    para.append(("" if name in ALT_MACROS else " ").join(args))
                continue
            if name in ("UE", "ME"):
                if rest and para:
                    para[-1] += rest.strip()
                continue
            if name in ("UR", "MT", "ad", "nh", "hy", "ft", "PD", "ta", "nr", "ds", "pc", "na", "ne",
                        "UC", "q", "if", "ie", "el", "so", "ns", "rs", "ss", "cs", "ul", "cu", "ti"):
                continue
            # everything else (PP, SH, TP, IP, sp, br, RS, in, TH, ...) breaks the paragraph
            yield from flush()
            tag_next = name in ("TP", "TQ")
            continue
        if not line.strip():
            yield from flush()
            continue
        if tag_next:
            tag_next = False
        else:
            para.append(line)
    yield from flush()


# ---------------------------------------------------------------- HTML

BLOCK_TAGS = {"p", "div", "li", "dd", "dt", "td", "th", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
              "br", "table", "ul", "ol", "dl", "blockquote", "section", "article", "caption",
              "figcaption", "hr", "body", "main", "center", "form", "fieldset", "legend", "address"}
SKIP_TAGS = {"script", "style", "pre", "head", "nav", "header", "footer", "aside", "noscript",
             "select", "button", "textarea", "svg", "math", "object", "template", "label", "title"}
SKIP_CLASSES = {"navheader", "navfooter", "toc", "breadcrumb", "breadcrumbs", "related",
                "sphinxsidebar", "footer", "header", "highlight", "bascode", "programlisting",
                "screen", "synopsis", "cmdsynopsis", "funcsynopsis", "literallayout", "MAC", "bug",
                "debug", "pycode", "headerlink", "relatedtopics", "relatedbody", "example-contents",
                "mediaobject", "index", "contents-treeview", "search", "dropdowns"}
CODE_TAGS = {"code", "tt", "samp", "var", "kbd"}
CODE_CLASSES = {"literal", "input", "command", "filename", "option", "userinput", "computeroutput",
                "varname", "envar", "function", "parameter", "systemitem", "replaceable", "code",
                "pre", "keycode", "literal notranslate", "classname", "methodname", "property",
                "constant", "type", "prompt", "uri", "email", "ulink", "package"}
VOID_TAGS = {"br", "img", "meta", "link", "input", "hr", "area", "base", "col", "embed", "source",
             "track", "wbr", "param"}
CODE_OPEN, CODE_CLOSE = "\ue000", "\ue001"   # marks inline code; such sentences are dropped


class _TextParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # (tag, skip, code)
        self.buf = []
        self.paras = []

    def _flags(self):
        skip = any(s for _, s, _ in self.stack)
        code = any(c for _, _, c in self.stack)
        return skip, code

    def _flush(self):
        t = "".join(self.buf)
        self.buf = []
        t = re.sub(r"\s+", " ", t).strip()
        if t:
            self.paras.append(t)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        if tag in BLOCK_TAGS:
            self._flush()
        if tag in VOID_TAGS:
            return
        skip = tag in SKIP_TAGS or bool(classes & SKIP_CLASSES)
        code = tag in CODE_TAGS or bool(classes & CODE_CLASSES)
        if code and not self._flags()[1]:
            self.buf.append(CODE_OPEN)
        self.stack.append((tag, skip, code))

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            if tag in BLOCK_TAGS:
                self._flush()
            return
        if not any(t == tag for t, _, _ in self.stack):
            return
        while self.stack:
            t, _, code = self.stack.pop()
            if code and not self._flags()[1]:
                self.buf.append(CODE_CLOSE)
            if t == tag:
                break
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_data(self, data):
        skip, _ = self._flags()
        if not skip:
            self.buf.append(data)


def html_paragraphs(data):
    p = _TextParser()
    p.feed(data.decode("utf-8", errors="replace"))
    p.close()
    p._flush()
    return p.paras


# ---------------------------------------------------------------- .mo catalogues

def mo_paragraphs(data):
    if len(data) < 28:
        return []
    end = "<" if struct.unpack("<I", data[:4])[0] == 0x950412DE else ">"
    _, _, n, _, toff = struct.unpack(end + "IIIII", data[:20])
    out = []
    for i in range(n):
        ln, off = struct.unpack(end + "II", data[toff + 8 * i: toff + 8 * i + 8])
        if ln == 0:
            continue
        msg = data[off: off + ln].decode("utf-8", errors="replace").split("\x00")[0]
        msg = re.sub(r"~(?=\w)", "", msg)             # LibreOffice mnemonics
        out.extend(x for x in re.split(r"\n\s*\n", msg) if x.strip())
    return out


# ---------------------------------------------------------------- sentence splitting

NO_SPLIT_ABBR = {"см", "ср", "стр", "рис", "табл", "напр", "им", "ул", "проф", "акад", "тел", "гл",
                 "разд", "ст", "св", "доц", "кн", "пер", "просп", "пл", "обл", "р", "с", "ок", "нач",
                 "англ", "лат", "франц", "нем", "греч", "букв", "т.е", "т.к", "т.н", "e.g", "i.e",
                 "mr", "mrs", "dr", "vs", "no", "д-р", "гос", "ген", "полк", "кап", "лейт", "тов",
                 "г-н", "г-жа", "вкл", "прим", "изд", "ред", "пос", "дер", "о", "оз", "р-н", "упр"}
YEARISH = {"г", "гг", "в", "вв"}
SPLIT_RE = re.compile(r"([.!?…]+[»\"”’)\]]*)(\s+)(?=[«\"„“(\[—–-]*\s*[A-ZА-ЯЁ])")


def split_sentences(par):
    par = re.sub(r"\s+", " ", par).strip()
    par = re.sub(r"(?<=[а-яё]{2}[.!?])(?=[А-ЯЁ][а-яё])", " ", par)   # "слово.Слово"
    out, start = [], 0
    for m in SPLIT_RE.finditer(par):
        before = par[start:m.start()]
        toks = before.split()
        last = toks[-1].lstrip("«\"„“([") if toks else ""
        punct = m.group(1)
        if punct.startswith(".") and not punct.startswith("..") and last:
            low = last.lower()
            prev = toks[-2].lower() if len(toks) >= 2 else ""
            if low in ("д", "п") and prev == "т.":
                pass                                      # "и т. д." / "и т. п." ends sentences
            elif low in YEARISH:
                if not re.fullmatch(r"[\d–-]+|[IVXLC]+", prev.upper() if prev else ""):
                    continue
            elif low in ("см", "м", "км", "мм", "кг") and re.fullmatch(r"[\d,.]+", prev):
                pass                                      # a unit after a number
            elif low in NO_SPLIT_ABBR or (len(last) == 1 and last.isalpha()):
                continue                                  # abbreviation or initial
        out.append(par[start:m.end(1)])
        start = m.end(2)
    out.append(par[start:])
    return [s.strip() for s in out if s.strip()]


# ---------------------------------------------------------------- normalisation and filters

_SPACE_RE = re.compile(r"[\s\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE_RE = re.compile(r"[\u00ad\u200b-\u200f\u2060\ufeff]")


def normalise(s):
    if "&" in s:
        s = html.unescape(s)
    s = unicodedata.normalize("NFC", s)
    s = re.sub("[\u0300\u0301]", "", s)           # stress marks
    s = s.replace("``", "«").replace("''", "»")
    s = _INVISIBLE_RE.sub("", s)
    s = _SPACE_RE.sub(" ", s).strip()
    s = s.replace("…", "...")
    s = re.sub(r"[‐‑]", "-", s)
    s = s.replace("−", "-")
    s = re.sub(r"\s*--\s*", " — ", s)
    s = re.sub(r"(?<=\s)[-–‒―—](?=\s)", "—", s)
    s = re.sub(r"^[-–‒―—]\s+", "— ", s)
    s = s.replace("„", "«").replace("“", "«" if "„" not in s else "»").replace("”", "»")
    s = re.sub(r"[‘’‚′]", "'", s)
    if '"' in s:
        parts = s.split('"')
        if len(parts) % 2 == 1:
            s = parts[0] + "".join(("«" if i % 2 else "»") + p for i, p in enumerate(parts[1:], 1))
    s = re.sub(r"«\s+", "«", s)
    s = re.sub(r"\s+»", "»", s)
    s = re.sub(r"\s+([,.;:!?])", r"\1", s)
    s = re.sub(r"^— ", "", s)                     # leading dialogue dash
    s = re.sub(r"^\.\.\.\s*", "", s)              # leading ellipsis
    s = _SPACE_RE.sub(" ", s).strip()
    return s


def norm_key(s):
    s = unicodedata.normalize("NFC", s).lower().replace("ё", "е")
    s = "".join(ch if (ch.isalnum() or ch.isspace()) else " " for ch in s)
    return " ".join(s.split())


CYR = re.compile(r"[а-яёА-ЯЁ]")
NON_RU_CYR = re.compile(r"[іїєґўІЇЄҐЎѣѢѳѲѵѴ]")
LAT = re.compile(r"[A-Za-z]")
BAD_CHARS = re.compile(r"[<>{}\[\]\\|@#$%^*_=~`+•\ufffd\ue000\ue001→←⇒©®™§¶]")
URL_RE = re.compile(r"https?:|ftp:|www\.|://|\b[\w-]+\.(ru|com|org|net|html?|php|txt|de|io|info)\b", re.I)
PATH_RE = re.compile(r"(^|[\s(«])[~.]?/\w|\w/\w")
CODE_RE = re.compile(r"\w\(\w*\)|::|->|\b[A-Za-z]+[_0-9][A-Za-z0-9_]*\b|\b[a-z]+[A-Z]\w*|(^|\s)--?[A-Za-z]"
                     r"|\.\w+\(|\b[A-Za-z]+\.[A-Za-z]+\b|\b0x[0-9a-f]+")
TERMINAL_RE = re.compile(r"[.!?][»)\"]*$")


def _symbolic(ch):
    cat = unicodedata.category(ch)
    return (cat in ("So", "Sk", "Co", "Cn", "Cs", "Cc", "Me") or "\ufe00" <= ch <= "\ufe0f"
            or ch in "‼⁉" or (cat == "Sm" and ch not in "±×÷≤≥≠"))


def strip_caps_label(s):
    """Removes an upper-case label before a sentence: "СОВЕТ Debian ...", "ЗАКОН МЕРФИ Если ..."."""
    toks = s.split()
    i = 0
    while i < len(toks) and re.fullmatch(r"[А-ЯЁA-Z0-9'’-]+", toks[i]):
        i += 1
    if (i < len(toks) and len(re.findall(r"[А-ЯЁ]", " ".join(toks[:i]))) >= 4
            and re.match(r"[«(]?[А-ЯЁA-Z][а-яёa-z]", toks[i])):
        return " ".join(toks[i:])
    return s


def check(s, kind):
    """Returns a drop reason or None for a normalised sentence.

    kind: "lines" (one sentence per line, curated) or the extractor format
    ("fortune", "man", "html", "mo")."""
    if not s:
        return "empty"
    if BAD_CHARS.search(s) or any(_symbolic(ch) for ch in s if ch not in "°№"):
        return "markup"
    if URL_RE.search(s):
        return "url"
    if PATH_RE.search(re.sub(r"(?<=[а-яё])/(?=[а-яё])", " ", s)):
        return "path"
    if CODE_RE.search(s):
        return "code"
    words = [w for w in s.split() if re.search(r"\w", w)]
    if len(words) < 3:
        return "short"
    if len(words) > 40 or len(s) > 300:
        return "long"
    cyr = len(CYR.findall(s))
    lat = len(LAT.findall(s))
    letters = sum(ch.isalpha() for ch in s)
    if letters == 0 or cyr / letters < 0.7 or cyr + lat < letters:
        return "not_cyrillic"
    if NON_RU_CYR.search(s):
        return "not_russian"
    if lat and len(re.findall(r"[A-Za-z][A-Za-z'.-]*", s)) > 3:
        return "not_cyrillic"
    if sum(ch.isdigit() for ch in s) > 0.2 * len(s):
        return "digits"
    nonspace = sum(not ch.isspace() for ch in s)
    if letters < 0.6 * nonspace:
        return "symbols"
    if s.count("(") != s.count(")") or s.count("«") != s.count("»") or '"' in s:
        return "unbalanced"
    upper = sum(ch.isupper() for ch in s)
    if upper > 0.4 * letters and len(words) > 2:
        return "caps"
    if kind == "lines":
        return None
    if kind != "fortune" and s.count(" — ") >= 3:
        return "menu_path"                     # "Сервис — Параметры — Язык — ..."
    first = next((ch for ch in s if ch.isalnum()), "")
    if not first.isupper() or not re.match(r"^[«(]?\w", s):
        return "fragment"
    if TERMINAL_RE.search(s):
        return None
    # an unterminated line is kept only when it is a whole, clean phrase:
    # aphorisms without a full stop, headings, complete UI messages
    if kind == "man" or len(words) < 4 or re.search(r"[:;,—-]$", s) or ":" in s:
        return "no_terminal"                   # man: text cut before a code example
    if re.search(r"[,;]\s+[А-ЯЁA-Z]", s) or re.search(r"\d", s):
        return "no_terminal"                   # lists of labels, numbered items
    return None


# ---------------------------------------------------------------- sources

def package_sentences(kind, files):
    """files: paths to read, or (path, bytes) pairs already read."""
    reader = {"fortune": fortune_paragraphs, "man": man_paragraphs,
              "html": html_paragraphs, "mo": mo_paragraphs}[kind]
    for path in files:
        if isinstance(path, tuple):
            path, data = path
        else:
            with open(path, "rb") as f:
                data = f.read()
        if path.endswith(".gz"):
            data = gzip.decompress(data)
        for par in reader(data):
            yield from split_sentences(par)


def text_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if line:
                yield line


def conllu_texts(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("# text = "):
                yield line[len("# text = "):].strip()


def sha256_file(path):
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def eval_files(shared, extra):
    """RuBLiMP pair files of the shared data plus any extra pair CSVs, by manifest name."""
    files = {"rublimp-dev/" + os.path.basename(p): p
             for p in sorted(glob.glob(os.path.join(shared, "rublimp-dev", "*.csv")))}
    files.update((os.path.abspath(p), p) for p in extra)
    return files


def eval_keys(paths):
    """Keys of both sentences of every pair (RuBLiMP or Grammascope's own pair CSV schema)."""
    keys = {}
    for path in paths:
        with open(path, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                for col in ("source_sentence", "target_sentence", "good", "bad"):
                    v = row.get(col)
                    if v:
                        keys[norm_key(normalise(v))] = True
                        keys[norm_key(v)] = True
    keys.pop("", None)
    return keys


# ---------------------------------------------------------------- main

def collect_sources(shared, deb_dir):
    """[(name, manifest entry, check kind, sentence iterator factory)] in a fixed order."""
    sources = []
    for pkg, kind, pred in PACKAGES:
        ver = dpkg_version(pkg)
        if ver is None:
            print(f"extract_ru: package {pkg} is not installed; skipped", file=sys.stderr)
            continue
        files = dpkg_files(pkg, pred)
        sources.append((pkg, {"type": "debian-package", "version": ver, "format": kind,
                              "files": len(files)}, kind,
                        lambda kind=kind, files=files: package_sentences(kind, files)))
    for pkg, kind, pred in UNPACKED_PACKAGES:
        deb = deb_path(deb_dir, pkg) if deb_dir else None
        if deb is None:
            print(f"extract_ru: package {pkg} is not downloaded; skipped", file=sys.stderr)
            continue
        members = deb_members(deb, pred)
        sources.append((pkg, {"type": "debian-package-unpacked", "version": deb_version(deb),
                              "format": kind, "files": len(members),
                              "deb_sha256": sha256_file(deb)}, kind,
                        lambda kind=kind, members=members: package_sentences(kind, members)))
    for sub, fmt, reader in (("ru-text/*.txt", "lines", text_lines),
                             ("ud/*.conllu", "conllu-text", conllu_texts)):
        for path in sorted(glob.glob(os.path.join(shared, sub))):
            if not os.path.basename(path).upper().startswith("LICENSE"):
                sources.append((sub.split("/")[0] + "/" + os.path.basename(path),
                                {"type": "file", "format": fmt, "sha256": sha256_file(path)},
                                "lines", lambda path=path, reader=reader: reader(path)))
    return sources


def write_atomic(path, text):
    with open(path + ".tmp", "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared-data")
    ap.add_argument("--out")
    ap.add_argument("--dump", help="write per-source kept/dropped sentences here for inspection")
    ap.add_argument("--exclude-pairs", action="append", default=[], metavar="CSV",
                    help="another minimal-pair CSV whose sentences must stay out (repeatable)")
    ap.add_argument("--debs", help="directory with the downloaded .deb files of the unpacked packages")
    ap.add_argument("--list-packages", action="store_true",
                    help="print the text packages to install and exit")
    ap.add_argument("--list-unpacked", action="store_true",
                    help="print the text packages to download (not install) and exit")
    args = ap.parse_args()
    if args.list_packages or args.list_unpacked:
        print(" ".join(p for p, _, _ in (PACKAGES if args.list_packages else UNPACKED_PACKAGES)))
        return
    if not args.shared_data or not args.out:
        ap.error("--shared-data and --out are required")
    t0 = time.monotonic()
    sources = collect_sources(args.shared_data, args.debs)
    evalf = eval_files(args.shared_data, args.exclude_pairs)
    evalk = eval_keys(evalf.values())
    seen, kept, stats = {}, [], []       # kept: (key, sentence, source index)
    for si, (name, meta, ckind, make) in enumerate(sources):
        st = {"extracted": 0, "clean": 0, "duplicate": 0, "evaluation_overlap": 0, "dropped": {}}
        dump_keep, dump_drop = [], []
        for raw in make():
            st["extracted"] += 1
            s = normalise(raw)
            if ckind != "lines":
                s = strip_caps_label(s)
            why = check(s, ckind)
            k = norm_key(s) if why is None else ""
            if why is None:
                st["clean"] += 1
                if k in evalk:
                    why = "evaluation_overlap"
                    st[why] += 1
                elif k in seen:
                    st["duplicate"] += 1
                    continue
            else:
                st["dropped"][why] = st["dropped"].get(why, 0) + 1
            if why:
                dump_drop.append(f"{why}\t{s}\n")
                continue
            seen[k] = True
            kept.append((k, s, si))
            dump_keep.append(s + "\n")
        st["dropped"] = dict(sorted(st["dropped"].items()))
        st["train"] = st["valid"] = 0
        meta.update(st)
        stats.append((name, meta))
        if args.dump:
            os.makedirs(args.dump, exist_ok=True)
            base = os.path.join(args.dump, name.replace("/", "__"))
            write_atomic(base + ".kept.txt", "".join(dump_keep))
            write_atomic(base + ".dropped.tsv", "".join(dump_drop))

    # split by a hash of the key, shuffle each side by another keyed hash
    splits = {"train": [], "valid": []}
    for k, s, si in kept:
        h = hashlib.sha1(k.encode("utf-8")).digest()
        side = "valid" if int.from_bytes(h[:8], "big") % 1000 < VALID_PER_MILLE else "train"
        splits[side].append((hashlib.sha1(b"shuffle:" + k.encode("utf-8")).digest(), s, si))
    os.makedirs(args.out, exist_ok=True)
    totals = {}
    for side, items in splits.items():
        items.sort()
        path = os.path.join(args.out, side + ".txt")
        write_atomic(path, "".join(s + "\n" for _, s, _ in items))
        totals[side] = {"sentences": len(items), "words": sum(len(s.split()) for _, s, _ in items),
                        "characters": sum(len(s) for _, s, _ in items), "sha256": sha256_file(path)}
        for _, _, si in items:
            stats[si][1][side] += 1
    manifest = {
        "recipe_version": RECIPE_VERSION,
        "validation_rule": f"sha1(key) mod 1000 < {VALID_PER_MILLE}",
        "key": "NFC, lowercase, ё→е, punctuation removed, spaces collapsed",
        "evaluation_keys_excluded": len(evalk),
        "evaluation_files": {name: sha256_file(p) for name, p in evalf.items()},
        "sources": {name: meta for name, meta in stats},
        "splits": totals,
    }
    write_atomic(os.path.join(args.out, "manifest.json"),
                 json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")

    cols = ("extracted", "clean", "duplicate", "evaluation_overlap", "train", "valid")
    row = "{:36s} {:>9} {:>8} {:>7} {:>5} {:>8} {:>6}"
    print(row.format("source", "extracted", "clean", "dup", "eval", "train", "valid"))
    for name, m in stats:
        print(row.format(name, *(m[c] for c in cols)))
    print(row.format("total", *(sum(m[c] for _, m in stats) for c in cols)))
    for side, t in totals.items():
        print(f"{side}.txt: {t['sentences']} sentences, {t['words']} words, "
              f"{t['characters']} characters, sha256 {t['sha256']}")
    print(f"written to {args.out} in {time.monotonic() - t0:.0f} s")


if __name__ == "__main__":
    main()

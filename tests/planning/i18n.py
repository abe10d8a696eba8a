"""Compile the planning translations fragment into a temporary catalogue for the tests.

Until the lead merges ``docs/translations-todo-planning.po-fragment`` into the project
catalogue, the report's Indonesian comes from the fragment; this turns it into a GNU ``.mo``
file (no gettext tools needed) that a test puts first on ``LOCALE_PATHS``. Once merged (and the
fragment removed) the project catalogue is used as it is.
"""

from __future__ import annotations

import ast
import struct
from pathlib import Path

FRAGMENT = Path(__file__).resolve().parents[2] / "docs" / "translations-todo-planning.po-fragment"
HEADER = "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=1; plural=0;\n"


def _string(line: str) -> str:
    return ast.literal_eval(line[line.index('"') :])


def parse_po(text: str) -> dict[str, str]:
    """msgid (with ``\\0`` + plural for plural entries) -> msgstr (plural forms ``\\0``-joined)."""
    entries: dict[str, str] = {}
    current: dict[str, list[str]] = {}
    key = None

    def flush():
        if "msgid" in current and any(current.get(k) for k in current if k.startswith("msgstr")):
            msgid = "".join(current["msgid"])
            if "msgid_plural" in current:
                msgid += "\0" + "".join(current["msgid_plural"])
            forms = sorted(k for k in current if k.startswith("msgstr"))
            entries[msgid] = "\0".join("".join(current[k]) for k in forms)
        current.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            if not line:
                flush()
            continue
        if line.startswith('"'):
            current[key].append(_string(line))
            continue
        key = line.split(" ", 1)[0]
        if key == "msgid" and "msgid" in current:
            flush()
        current[key] = [_string(line)]
    flush()
    return entries


def write_mo(entries: dict[str, str], path: Path) -> None:
    """Write a GNU gettext catalogue (little-endian, no hash table)."""
    items = sorted({"": HEADER, **entries}.items(), key=lambda kv: kv[0].encode())
    ids = [k.encode() for k, _ in items]
    strs = [v.encode() for _, v in items]
    n = len(items)
    start = 7 * 4 + 16 * n
    id_table, offset, blob = [], start, b""
    for s in ids:
        id_table.append((len(s), offset))
        blob += s + b"\0"
        offset += len(s) + 1
    str_table = []
    for s in strs:
        str_table.append((len(s), offset))
        blob += s + b"\0"
        offset += len(s) + 1
    header = struct.pack("<7I", 0x950412DE, 0, n, 28, 28 + 8 * n, 0, 0)
    tables = b"".join(struct.pack("<2I", *t) for t in id_table + str_table)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + tables + blob)


def fragment_locale(target: Path) -> Path | None:
    """A locale directory holding the fragment's catalogue, or None when it has been merged."""
    if not FRAGMENT.exists():
        return None
    entries = parse_po(FRAGMENT.read_text(encoding="utf-8"))
    write_mo(entries, target / "id" / "LC_MESSAGES" / "django.mo")
    return target

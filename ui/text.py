"""Text for Markdown: what a person typed is shown exactly as typed, never as a link, icon or HTML."""

from __future__ import annotations

import re
import string

_ESCAPED = frozenset(string.punctuation)  # CommonMark lets a backslash escape every ASCII punctuation character
_SHORTCODE = re.compile(r":(?=[\w+-]+[:/])")  # ':smile:', ':streamlit:', ':material/icon:'
_JOINER = "\u2060"  # an invisible word joiner


def _no_shortcodes(text: str) -> str:
    """Streamlit turns ':name:' in text into an icon or emoji after escapes are read, so a backslash cannot stop it:
    an invisible word joiner after the colon does."""
    return _SHORTCODE.sub(":" + _JOINER, text)


def plain(text: object) -> str:
    """Anything a person typed (file, partner and user names, commentary, challenge text, notes, audit details),
    made safe to put in Markdown: shown exactly as typed, never as a link, image, HTML, heading, list, table,
    colour, icon, emoji or LaTeX. Use it for every such value in st.markdown, st.caption, alerts, labels and titles."""
    if text is None:
        return ""
    escaped = "".join("\\" + c if c in _ESCAPED else c for c in _no_shortcodes(str(text)))
    return escaped.replace("\n", "  \n")  # a new line stays a new line


def message(text: object) -> str:
    """A message the product wrote, which may quote what a person typed (file names, cell values) between backticks:
    the quoted parts are shown as code, everything else literally, whatever the quotes hold."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one is just a character
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    out = []
    for k, part in enumerate(parts):
        if k % 2 == 0 or not part.strip():
            out.append(plain(part if k % 2 == 0 else f"`{part}`"))
        else:
            out.append(f"`{_no_shortcodes(part)}`")
    return "".join(out)

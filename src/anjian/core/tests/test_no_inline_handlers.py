"""No template carries inline behaviour: the Content-Security-Policy (``script-src 'self'``) blocks
inline event handlers (``onclick=…``), ``javascript:`` URLs, htmx's ``hx-on`` (evaluated code) and
inline scripts, so a button written that way silently does nothing (the QR label sheet's 打印 once
did). Behaviour lives in static script files; a data block (``<script type="application/json">``)
is not code and may stay."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import anjian

ROOT = Path(anjian.__file__).resolve().parent
RULES = [
    (re.compile(r"(?<![\w:.-])on[a-z]+\s*=", re.IGNORECASE), "inline event handler"),
    (re.compile(r"javascript\s*:", re.IGNORECASE), "javascript: URL"),
    (re.compile(r"(?<![\w-])(?:data-)?hx-on[:-]", re.IGNORECASE), "htmx hx-on handler"),
    (
        re.compile(r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']application/(?:ld\+)?json)", re.IGNORECASE),
        "inline script",
    ),
]
COMMENT_BLOCK = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.DOTALL)
COMMENT_LINE = re.compile(r"{#.*?#}")


def templates() -> list[Path]:
    return sorted(p for p in ROOT.glob("**/templates/**/*") if p.is_file() and p.suffix in {".html", ".txt", ".xml"})


def _without_comments(text: str) -> str:
    """Template comments blanked out, line numbers kept."""
    text = COMMENT_BLOCK.sub(lambda m: "\n" * m.group().count("\n"), text)
    return COMMENT_LINE.sub("", text)


def problems_in(text: str) -> list[tuple[int, str, str]]:
    found = []
    for number, line in enumerate(_without_comments(text).splitlines(), start=1):
        for pattern, what in RULES:
            match = pattern.search(line)
            if match:
                found.append((number, what, line.strip()[:160]))
    return found


@pytest.mark.parametrize(
    "snippet",
    [
        '<button onclick="window.print()">',
        '<form method="post" onsubmit="return confirm(\'删除？\')">',
        "<body onLoad='init()'>",
        '<a href="javascript:history.back()">',
        '<a href="JavaScript:void(0)">',
        '<button hx-on:click="alert(1)">',
        '<div data-hx-on-htmx-after-request="go()">',
        "<script>window.x = 1</script>",
    ],
)
def test_the_check_finds_inline_behaviour(snippet):
    assert problems_in(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<form method="post" data-confirm="从草稿中删除这一检查项？">',
        '<button type="button" data-print>打印</button>',
        '<input name="session" data-one="1" aria-label="button=x">',
        '<script src="/static/inspections/labels.js"></script>',
        '<script type="application/json" id="stats-data">{"a": 1}</script>',
        "{# an onclick= in a comment is no handler #}",
        '{% comment %}\n<button onclick="x()">\n{% endcomment %}',
    ],
)
def test_the_check_lets_static_behaviour_through(snippet):
    assert not problems_in(snippet)


def test_no_template_has_inline_handlers_or_javascript_urls():
    found = templates()
    assert len(found) > 50  # the walk finds the apps' templates
    problems = [
        f"{path.relative_to(ROOT.parent)}:{number}: {what}: {line}"
        for path in found
        for number, what, line in problems_in(path.read_text(encoding="utf-8"))
    ]
    assert not problems, "inline behaviour in templates (move it to a static script):\n" + "\n".join(problems)

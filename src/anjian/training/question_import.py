"""Questions imported from an xlsx: 题型 (单选/多选/判断), 题目, 选项 (one per line, or separated by
"|"), 答案 (letters such as B or ACD; 正确/错误 for true/false). ``preview`` reads and checks every
row without writing; the service imports only a preview without errors, all rows or none."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from django.utils.translation import gettext_lazy as _

from anjian.core.errors import DomainError
from anjian.core.xlsx import read_sheet
from anjian.training.choices import QuestionKind

COLUMNS = ["题型", "题目", "选项", "答案"]
KINDS = {
    "单选": QuestionKind.SINGLE,
    "单选题": QuestionKind.SINGLE,
    "多选": QuestionKind.MULTIPLE,
    "多选题": QuestionKind.MULTIPLE,
    "判断": QuestionKind.TRUE_FALSE,
    "判断题": QuestionKind.TRUE_FALSE,
}
MAX_ROWS = 1000


@dataclass
class Row:
    number: int
    kind: str
    text: str
    options: list[str] = field(default_factory=list)
    answer: list[int] = field(default_factory=list)
    error: str = ""


TRUE_WORDS = ("正确", "对", "√", "T", "TRUE", "A")
FALSE_WORDS = ("错误", "错", "×", "F", "FALSE", "B")


def parse_answer(kind: str, text: str) -> list[int]:
    """The answer's option indexes: letters (B, ACD) for choices; for true/false a word of
    ``TRUE_WORDS`` or ``FALSE_WORDS``, any other text refused (never taken as 错误)."""
    text = (text or "").strip().upper()
    if kind == QuestionKind.TRUE_FALSE:
        if text in TRUE_WORDS:
            return [0]
        if text in FALSE_WORDS:
            return [1]
        raise DomainError(_("判断题的答案须填“正确”或“错误”。"), field="answer")
    return [ord(c) - ord("A") for c in text if "A" <= c <= "H"]


def preview(upload) -> list[Row]:
    from anjian.training.services.exams import clean_question

    sheet = read_sheet(upload, name=getattr(upload, "name", ""), required=COLUMNS, max_rows=MAX_ROWS)
    rows = []
    for r in sheet.rows:
        kind = KINDS.get(r.get("题型").strip(), "")
        options = [o.strip() for o in re.split(r"[\n|｜]", r.get("选项")) if o.strip()]
        row = Row(number=r.number, kind=kind, text=r.get("题目").strip(), options=options)
        if not kind:
            row.error = "题型须为单选、多选或判断。"
        else:
            try:
                row.answer = parse_answer(kind, r.get("答案"))
                row.options, row.answer = clean_question(kind, row.text, options, row.answer)
            except DomainError as exc:
                row.error = str(exc.message)
        rows.append(row)
    return rows


def as_data(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]


def from_data(data: list[dict]) -> list[Row]:
    return [Row(**d) for d in data]

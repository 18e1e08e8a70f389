"""Built-in Open311 questions for the categories where a reporter's answer helps the dispatcher.

Most categories ask nothing beyond the description (``metadata`` false); these ask what decides how a
report is handled (how much rubbish, a structure still being built or finished, noise by day or at
night). The 119 notices are information only (``variable`` false): the spec's way to show a text.
Loaded by ``zhenwu open311 attributes seed``; editable in the admin afterwards.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.db import transaction

from zhenwu.grid.models import Category, Open311Attribute


class Question(NamedTuple):
    category: str
    code: str
    datatype: str
    required: bool
    description: str
    values: tuple[tuple[str, str], ...] = ()
    hint: str = ""
    variable: bool = True


FIRE = "如有明火或强烈燃气味，请立即拨打 119；本渠道不受理紧急警情。"
QUESTIONS: tuple[Question, ...] = (
    Question("E0101", "AMOUNT", "singlevaluelist", True, "垃圾量",
             (("small", "少量（不足 1 立方米）"), ("heap", "成堆（1–5 立方米）"), ("large", "大量（5 立方米以上）"))),
    Question("E0106", "STAGE", "singlevaluelist", True, "搭建进度", (("building", "正在搭建"), ("built", "已经建成"))),
    Question("E0106", "AREA", "number", False, "估计占地面积", hint="平方米"),
    Question("E0109", "WHEN", "singlevaluelist", True, "噪声时段",
             (("day", "白天"), ("night", "夜间（22:00–次日 6:00）"))),
    Question("E0403", "NOTICE", "string", False, FIRE, variable=False),
    Question("E0405", "NOTICE", "string", False, FIRE, variable=False),
    Question("E0506", "PLATE", "string", False, "车牌号", hint="如 苏K12345"),
    Question("E0507", "BLOCKER", "singlevaluelist", True, "占用物",
             (("vehicle", "车辆"), ("goods", "杂物"), ("stall", "摊点"))),
    Question("P0201", "LAMPS", "number", False, "不亮的路灯盏数"),
    Question("P0201", "POLE", "string", False, "灯杆编号", hint="灯杆上的编号牌"),
    Question("P0301", "STATE", "multivaluelist", True, "垃圾箱情况", (("broken", "破损"), ("full", "满溢"))),
)


def _fields(question: Question, order: int) -> dict[str, Any]:
    return {"datatype": question.datatype, "required": question.required, "variable": question.variable,
            "description": question.description, "datatype_description": question.hint, "order": order,
            "values": [{"key": k, "name": n} for k, n in question.values]}


@transaction.atomic
def open311_attributes_seed() -> int:
    """Add the built-in questions of the categories that exist (idempotent: an existing one is left as the
    admin edited it); returns how many were added."""
    categories = {c.code: c for c in Category.objects.filter(code__in={q.category for q in QUESTIONS})}
    added = 0
    for question in QUESTIONS:
        category = categories.get(question.category)
        if category is None:
            continue
        order = 1 + sum(1 for q in QUESTIONS[:QUESTIONS.index(question)] if q.category == question.category)
        _row, created = Open311Attribute.objects.get_or_create(category=category, code=question.code,
                                                               defaults=_fields(question, order))
        added += created
    return added

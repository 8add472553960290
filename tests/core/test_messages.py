"""Every rule message renders in Chinese and English and says something specific."""

from __future__ import annotations

import importlib
import pkgutil
import string

import pytest

import frontdesk.core
import frontdesk.services
from frontdesk.core import messages


def _load_every_rule_module() -> None:
    for package in (frontdesk.core, frontdesk.services):
        for module in pkgutil.iter_modules(package.__path__):
            importlib.import_module(f"{package.__name__}.{module.name}")


_load_every_rule_module()
CODES = sorted(messages._templates)


def test_there_are_many_rules():
    assert len(CODES) > 100


@pytest.mark.parametrize("code", CODES)
def test_message_renders_in_both_languages(code):
    templates = messages._templates[code]
    fields = set()
    for text in templates.values():
        fields |= {name for _, name, _, _ in string.Formatter().parse(text) if name}

    # both languages use the same parameters (a language's own text may come as
    # name_zh / name_en), so neither can fail at run time
    def base(names: set[str]) -> set[str]:
        return {n.removesuffix("_zh").removesuffix("_en") for n in names}

    zh_fields = {n for _, n, _, _ in string.Formatter().parse(templates["zh"]) if n}
    en_fields = {n for _, n, _, _ in string.Formatter().parse(templates["en"]) if n}
    assert base(zh_fields) == base(en_fields), code
    params = {name: "值" for name in fields if name != "field"}
    problem = messages.error(code, "amount", **params)
    zh, en = problem.text("zh"), problem.text("en")
    assert zh and en and zh != en
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{code} has no Chinese text"
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in templates["en"]), code


def test_unknown_code_is_a_programming_error():
    with pytest.raises(KeyError):
        messages.error("no.such.rule", "x")


def test_language_switch_and_violation_text():
    messages.define_field("demo_field", zh="示例字段", en="Demo field")
    messages.define("demo.rule", zh="{field}不符合规则。", en="{field} breaks the rule.")
    problem = messages.error("demo.rule", "demo_field")
    try:
        messages.set_language("en")
        assert problem.text() == "Demo field breaks the rule."
    finally:
        messages.set_language("zh")
    assert problem.text() == "示例字段不符合规则。"
    violation = messages.RuleViolation([problem])
    assert violation.codes == ["demo.rule"] and "示例字段" in violation.text()
    assert "demo_field" in str(violation)  # logs carry codes and field keys only

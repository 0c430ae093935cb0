"""The web app's dictionaries (ttsjobs_gateway/web/i18n/*.json) against each other and against
the code that looks them up: the same keys in every language, nothing empty, the same {names}
in each message, every key the markup and scripts use is there, and none is left unused."""

from __future__ import annotations

import json
import re

import pytest

from ttsjobs.jobs.state import JobStatus
from ttsjobs_gateway import errors
from ttsjobs_gateway.main import WEB

LANGUAGES = ("en", "zh-TW")
DICTIONARIES = {lang: json.loads((WEB / "i18n" / f"{lang}.json").read_text()) for lang in LANGUAGES}
ENGLISH = DICTIONARIES["en"]
SCRIPTS = {path.name: path.read_text() for path in WEB.glob("*.js")}
MARKUP = (WEB / "index.html").read_text()
NAMESPACES = {key.split(".")[0] for key in ENGLISH}


def _problem_kinds() -> set[str]:
    kinds, todo = set(), [errors.ServiceError]
    while todo:
        cls = todo.pop()
        kinds.add(cls.kind)
        todo.extend(cls.__subclasses__())
    # The framework's own errors (_http_error) and the readiness probe's problem.
    return kinds | {"not-found", "method-not-allowed", "http-error", "not-ready"}


# Keys the scripts build at run time (t(`status.${job.status}`)): each prefix with every value
# it can be given. A new dynamic prefix fails test_dynamic_lookups_are_known until listed here.
DYNAMIC = {
    "status": {s.value for s in JobStatus},
    "notify": {"completed", "failed"},
    "problem": _problem_kinds(),
    "gender": {"female", "male"},
}


def _literal_keys() -> set[str]:
    """Keys named in the markup (data-i18n, data-i18n-<attribute>) and string literals in the
    scripts that look like keys (a dictionary namespace, a dot, a name)."""
    keys = set(re.findall(r'data-i18n(?:-[a-z-]+)?="([^"]+)"', MARKUP))
    names = "|".join(map(re.escape, NAMESPACES))
    for source in SCRIPTS.values():
        keys |= set(re.findall(rf'["`]((?:{names})\.[A-Za-z][\w-]*)["`]', source))
    return keys


def _dynamic_prefixes() -> set[str]:
    found = {p for source in SCRIPTS.values() for p in re.findall(r"`(\w+)\.\$\{", source)}
    return found & NAMESPACES  # `bearer.${key}` and the like are not lookups


def test_the_dictionaries_have_the_same_keys():
    for lang, dictionary in DICTIONARIES.items():
        assert set(dictionary) == set(ENGLISH), (
            f"{lang}: missing {sorted(set(ENGLISH) - set(dictionary))}, "
            f"extra {sorted(set(dictionary) - set(ENGLISH))}"
        )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_message_is_empty(lang):
    empty = [k for k, v in DICTIONARIES[lang].items() if not isinstance(v, str) or not v.strip()]
    assert not empty


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_translation_keeps_the_placeholders(lang):
    names = lambda text: sorted(re.findall(r"\{(\w+)\}", text))  # noqa: E731
    differ = {k: v for k, v in DICTIONARIES[lang].items() if names(v) != names(ENGLISH[k])}
    assert not differ


def test_every_key_the_app_uses_is_in_the_dictionary():
    used = _literal_keys()
    assert len(used) > 50, "the pattern still finds the lookups"
    assert not used - set(ENGLISH), sorted(used - set(ENGLISH))


def test_dynamic_lookups_are_known_and_every_value_has_a_message():
    prefixes = _dynamic_prefixes()
    assert prefixes == set(DYNAMIC), "list a new t(`prefix.${...}`) lookup in DYNAMIC"
    missing = [f"{p}.{v}" for p, values in DYNAMIC.items() for v in values]
    assert not [k for k in missing if k not in ENGLISH], [k for k in missing if k not in ENGLISH]


def test_every_key_is_used():
    dynamic = {f"{p}.{v}" for p, values in DYNAMIC.items() for v in values}
    unused = set(ENGLISH) - _literal_keys() - dynamic
    assert not unused, sorted(unused)


# Characters that exist only in Simplified Chinese: their Traditional forms are what Taiwan reads.
SIMPLIFIED_ONLY = "语设载务页这个删时长错请确认连过说话开试听选择无发还没钥简户态输为们单编辑复间录"


def test_the_chinese_dictionary_is_traditional():
    text = "".join(DICTIONARIES["zh-TW"].values())
    assert not {c for c in text if c in SIMPLIFIED_ONLY}
    assert re.search(r"[\u4e00-\u9fff]", text)

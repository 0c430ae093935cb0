"""Scripts as people write them: every format rule, and every problem named by its line."""

from __future__ import annotations

import pytest

from ttsjobs.contracts.job_request import MAX_PAUSE_MS
from ttsjobs.contracts.script import (
    PAUSE_FORMS,
    PROBLEMS_LISTED,
    ScriptProblem,
    ScriptProblems,
    parse_script,
)


def turns(text: str) -> list[tuple[str, str]]:
    return [(t.speaker, t.text) for t in parse_script(text).turns]


def problems(text: str) -> dict[str, str]:
    with pytest.raises(ScriptProblems) as raised:
        parse_script(text)
    return {p.field: p.reason for p in raised.value.problems}


# Speakers and colons


def test_each_speaker_line_is_a_turn():
    assert turns("Alice: Good morning.\nBob: Morning!\nAlice: Tea?") == [
        ("Alice", "Good morning."),
        ("Bob", "Morning!"),
        ("Alice", "Tea?"),
    ]


def test_a_full_width_colon_needs_no_space_after_it():
    assert turns("爱丽丝：你好。\n鲍勃： 早上好。") == [("爱丽丝", "你好。"), ("鲍勃", "早上好。")]


def test_names_may_have_a_few_words_and_are_spaced_once():
    assert turns("Old  Man\tJenkins : Hello.") == [("Old Man Jenkins", "Hello.")]


def test_a_stage_direction_after_a_name_is_the_same_speaker():
    script = (
        "Alice: Hi.\nAlice (whispering): Quiet.\n"
        "小明（小聲）：噓。\nOld Man Jenkins (V.O.): Hm.\n小明：好。"
    )
    assert turns(script) == [
        ("Alice", "Hi."),
        ("Alice", "Quiet."),
        ("小明", "噓。"),
        ("Old Man Jenkins", "Hm."),
        ("小明", "好。"),
    ]
    assert parse_script("# voice Alice (V.O.): af_heart\nAlice: Hi.").voices == {
        "Alice": "af_heart"
    }


def test_brackets_that_are_not_a_direction_after_a_name_stay_in_it():
    # Nothing before them, nothing in them, nested, or too long to be a direction.
    assert turns("(aside): Hm.")[0][0] == "(aside)"
    assert turns("Bob (): Hm.")[0][0] == "Bob ()"
    assert turns("Bob (a (b)): Hm.")[0][0] == "Bob (a (b))"
    long = "x" * 41
    assert turns(f"Bob ({long}): Hm.")[0][0] == f"Bob ({long})"


def test_only_the_first_colon_separates_the_speaker():
    assert turns("Alice: Note: it is 10:30.") == [("Alice", "Note: it is 10:30.")]


def test_a_url_or_a_time_never_makes_a_speaker():
    script = "Alice: Look here\nhttp://x.example/a\nat 10:30 sharp."
    assert turns(script) == [("Alice", "Look here http://x.example/a at 10:30 sharp.")]


def test_a_sentence_with_a_colon_goes_on_with_the_turn():
    script = "Alice: I said it then\nand this is what I really meant: hello."
    assert turns(script) == [("Alice", "I said it then and this is what I really meant: hello.")]


def test_a_name_of_more_than_64_characters_is_no_speaker():
    long_name = "A" * 65
    assert turns(f"Alice: Hi\n{long_name}: there") == [("Alice", f"Hi {long_name}: there")]


def test_a_speaker_line_may_leave_its_text_to_the_next_lines():
    assert turns("Alice:\n  Good morning.") == [("Alice", "Good morning.")]


# Continuation and joining


def test_latin_lines_are_joined_with_a_space():
    assert turns("Alice: Good\n   morning,\nBob.") == [("Alice", "Good morning, Bob.")]


def test_cjk_lines_are_joined_with_nothing():
    assert turns("爱丽丝：今天天气\n很好。") == [("爱丽丝", "今天天气很好。")]


def test_cjk_next_to_latin_or_hangul_keeps_the_space():
    assert turns("Alice: 你好\nBob") == [("Alice", "你好 Bob")]
    assert turns("민지: 안녕하세요\n반가워요") == [("민지", "안녕하세요 반가워요")]


def test_a_comment_inside_a_turn_does_not_end_it():
    assert turns("Alice: Good\n# a note\nmorning.") == [("Alice", "Good morning.")]


def test_a_blank_line_ends_a_turn():
    assert turns("Alice: One.\n\nBob: Two.") == [("Alice", "One."), ("Bob", "Two.")]


def test_a_line_without_a_speaker_after_a_blank_line_is_named():
    assert problems("Alice: One.\n\nTwo.") == {
        "script.line[3]": "no speaker: the blank line 2 ended the turn before; "
        "start the line with one, as 'Alice: Hello.'"
    }


def test_a_first_line_without_a_speaker_is_named():
    assert problems("Hello there.\nAlice: Hi.") == {
        "script.line[1]": "no speaker, and no turn before it to go on with; "
        "start the line with one, as 'Alice: Hello.'"
    }


def test_a_colon_without_a_space_is_explained():
    reason = problems("Alice:Hello.")["script.line[1]"]
    assert "put a space after the colon" in reason


# Comments


def test_comments_and_indented_comments_are_skipped():
    assert turns("# Act one\n  # scene two\nAlice: Hi.\n\t# end") == [("Alice", "Hi.")]


def test_a_hash_inside_a_line_is_text():
    assert turns("Alice: We are #1.") == [("Alice", "We are #1.")]


# Pauses


def test_a_pause_between_turns_is_the_silence_after_the_first():
    script = parse_script("Alice: One.\n[pause 2s]\nBob: Two.\n[pause 500ms]\nAlice: Three.")
    assert [t.pause_after_ms for t in script.turns] == [2000, 500, None]


def test_pauses_in_fractions_of_seconds_and_any_case_and_spacing():
    script = parse_script("Alice: One.\n  [ Pause 1.5 s ]  \nBob: Two.")
    assert script.turns[0].pause_after_ms == 1500


def test_pauses_in_a_row_add_up():
    script = parse_script("Alice: One.\n\n[pause 1s]\n[pause 250ms]\n\nBob: Two.")
    assert script.turns[0].pause_after_ms == 1250


def test_a_pause_inside_a_turn_lets_the_speaker_go_on_after_it():
    script = parse_script("Alice: Well...\n[pause 1s]\nI do not know.")
    assert [(t.speaker, t.text, t.pause_after_ms) for t in script.turns] == [
        ("Alice", "Well...", 1000),
        ("Alice", "I do not know.", None),
    ]


def test_a_malformed_pause_is_named():
    for bad in ("[pause 2]", "[pause two seconds]", "[pause 2.5ms]", "[pause 2s"):
        assert problems(f"Alice: One.\n{bad}\nBob: Two.") == {
            "script.line[2]": f"write a pause as {PAUSE_FORMS}"
        }, bad


def test_a_pause_must_stand_alone_on_its_line():
    assert problems("Alice: One [pause 1s] two.") == {
        "script.line[1]": "a pause stands alone on its line, as [pause 2s] or [停頓 2秒]"
    }


def test_a_pause_longer_than_the_limit_is_named():
    assert problems("Alice: One.\n[pause 8s]\n[pause 3s]\nBob: Two.") == {
        "script.line[3]": f"11000 ms of pause here; at most {MAX_PAUSE_MS} ms"
    }


def test_a_pause_of_thousands_of_digits_is_named_not_computed():
    assert problems(f"Alice: One.\n[pause {'9' * 5000}s]\nBob: Two.") == {
        "script.line[2]": f"a pause is at most {MAX_PAUSE_MS} ms"
    }


def test_a_pause_before_the_first_or_after_the_last_turn_is_named():
    assert problems("[pause 1s]\nAlice: One.") == {
        "script.line[1]": "a pause before the first turn: audio starts with a turn"
    }
    assert problems("Alice: One.\n[pause 1s]\n") == {
        "script.line[2]": "a pause after the last turn: audio ends with a turn"
    }


# Line endings, BOM, tabs and trailing spaces


def test_windows_line_endings_a_bom_tabs_and_trailing_spaces():
    script = "\ufeffAlice:\tGood morning.  \r\n\tBob!\t\r\n\r\nBob：早上好。 \r\n"
    parsed = parse_script(script)
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Alice", "Good morning. Bob!"),
        ("Bob", "早上好。"),
    ]
    assert parsed.turn_lines == [1, 4]


def test_line_numbers_count_windows_and_old_mac_line_endings_alike():
    assert list(problems("Alice: One.\r\n\r\nTwo.")) == ["script.line[3]"]
    assert list(problems("Alice: One.\r\rTwo.")) == ["script.line[3]"]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c"])
def test_every_unicode_line_separator_ends_a_line(separator):
    parsed = parse_script(f"Alice: Hi, Bob.{separator}Bob: Hi, Alice.{separator}Alice: Bye.")
    assert [(t.speaker, t.text) for t in parsed.turns] == [
        ("Alice", "Hi, Bob."),
        ("Bob", "Hi, Alice."),
        ("Alice", "Bye."),
    ]
    assert parsed.turn_lines == [1, 2, 3]


# Whole-script problems


def test_an_empty_script_is_refused():
    for empty in ("", "\n\n  \n", "# only a comment\n\n# and another"):
        assert problems(empty) == {"script": "no turns: write each as a line like 'Alice: Hello.'"}


def test_a_speaker_who_says_nothing_is_named():
    assert problems("Alice: Hi.\nBob:\n\nAlice: Well?") == {
        "script.line[2]": "Bob says nothing; write it after the colon"
    }


@pytest.mark.parametrize("said", ["...", "。。。！？", "\u200b\u2060\ufeff", "😀 ★"])
def test_a_speaker_with_only_punctuation_or_invisible_characters_is_named(said):
    listed = problems(f"Alice: Hi.\nBob: {said}\nAlice: Well?")
    assert list(listed) == ["script.line[2]"]
    assert listed["script.line[2]"].startswith("Bob says nothing")


@pytest.mark.parametrize("name", ["\u202eecilA", "Al\x01ice", "Bo\u2066b", "Eve\x9b"])
def test_a_speaker_name_with_controls_is_named_by_its_line(name):
    listed = problems(f"Alice: Hi.\n{name}: Hello.")
    assert list(listed) == ["script.line[2]"] and "control character" in listed["script.line[2]"]


def test_an_unstorable_character_is_named_with_its_column():
    assert problems("Alice: Hi.\nBob: a\x00b") == {
        "script.line[2]": "U+0000 at column 7 cannot be stored; remove it"
    }


def test_every_bad_line_is_named_the_first_few_then_a_count():
    listed = problems("\n".join(f"line {i} with no speaker" for i in range(50)))
    assert len(listed) == PROBLEMS_LISTED + 1
    assert listed["script"] == f"50 problems; the first {PROBLEMS_LISTED} are listed"


def test_a_problem_reads_as_its_line():
    assert str(ScriptProblem(7, "no speaker")) == "line 7: no speaker"
    assert ScriptProblem(7, "x").field == "script.line[7]"
    assert str(ScriptProblems([ScriptProblem(2, "a"), ScriptProblem(None, "b")])) == "line 2: a; b"


# Speakers get no voice, unless a "# voice" line gives one


def test_speakers_get_no_voice_from_the_script():
    assert parse_script("Alice: Hi.\nBob: Hello.").voices == {}


def test_a_voice_line_gives_a_speaker_a_voice():
    script = parse_script("# voice Alice: af_heart\n#voice Bob：en-us\nAlice: Hi.\nBob: Hello.")
    assert script.voices == {"Alice": "af_heart", "Bob": "en-us"}
    assert script.voice_lines == {"Alice": 1, "Bob": 2}


def test_a_voice_line_for_no_speaker_or_twice_is_named():
    script = "# voice Carol: af_heart\n# voice Alice: a\n# voice Alice: b\nAlice: Hi."
    assert problems(script) == {
        "script.line[1]": "'# voice' gives Carol a voice, but Carol has no turn",
        "script.line[3]": "Alice's voice is already set on line 2",
    }


def test_a_voice_id_longer_than_the_bound_is_named():
    assert problems(f"# voice Alice: {'v' * 129}\nAlice: Hi.") == {
        "script.line[1]": "a voice id has at most 128 characters"
    }


def test_other_comments_that_start_with_voice_stay_comments():
    assert parse_script("# voice notes are below\nAlice: Hi.").voices == {}


def test_a_pause_written_in_chinese_works_as_in_english():
    script = parse_script("主持人：早安。\n[停頓 2秒]\n來賓：早。\n[停頓500毫秒]\n主持人：開始吧。")
    assert [t.pause_after_ms for t in script.turns] == [2000, 500, None]
    full_width = parse_script("主持人：早安。\n［停頓 １.５秒］\n來賓：早。")
    assert full_width.turns[0].pause_after_ms == 1500
    assert problems("主持人：早安。\n[停頓 兩秒]\n來賓：早。") == {
        "script.line[2]": f"write a pause as {PAUSE_FORMS}"
    }


def test_a_first_comment_line_is_the_title():
    assert parse_script("# 晨間節目\n主持人：早安。").title == "晨間節目"
    assert parse_script("\n\n#   Morning   show \nAlice: Hi.").title == "Morning show"


def test_no_title_without_a_first_comment_line():
    assert parse_script("主持人：早安。\n# 晨間節目\n來賓：早。").title is None
    assert parse_script("# voice 主持人: zf_xiaoxiao\n主持人：早安。").title is None
    assert parse_script("#\n主持人：早安。").title is None
    assert len(parse_script(f"# {'長' * 300}\nAlice: Hi.").title or "") == 200

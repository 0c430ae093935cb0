"""The SSML examples of the Polly, Azure, Google and W3C documentation (tests/fixtures/ssml/,
each beside the turns, roles and warnings it must become) read as the gateway reads them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ttsjobs.contracts.job_request import JobType, RequestLimits
from ttsjobs_gateway.ssml.jobs import ssml_job

FIXTURES = Path(__file__).parents[1] / "fixtures" / "ssml"
CASES = sorted(p.stem for p in FIXTURES.glob("*.xml"))
VOICE_IDS = {"af_heart", "zf_xiaoxiao"}


def test_every_vendor_has_examples():
    assert len(CASES) >= 12
    for vendor in ("polly", "azure", "google", "w3c"):
        assert any(c.startswith(vendor) for c in CASES), vendor
    assert {p.stem for p in FIXTURES.glob("*.json")} == set(CASES)


@pytest.mark.parametrize("case", CASES)
def test_a_documented_example_becomes_its_turns(case):
    expected = json.loads((FIXTURES / f"{case}.json").read_text())
    job = ssml_job(
        (FIXTURES / f"{case}.xml").read_bytes(), {}, RequestLimits(), VOICE_IDS, single_route=False
    )
    dumped = job.request.model_dump(mode="json", exclude_defaults=True)
    assert dumped["turns"] == expected["turns"]
    assert dumped.get("voice_assignments", {}) == expected["voice_assignments"]
    assert job.warnings == expected["warnings"]
    assert job.job_type is JobType.multi_role_tts
    for turn in job.request.turns:  # the markup points at the words it is about
        for span in turn.spoken_as:
            said = turn.text[span.char_start : span.char_end]
            assert said == said.strip() and said, (turn.text, span)


def test_the_pauses_are_where_the_documents_put_them():
    # Read from the fixtures, so a change of a table above shows here as what it means.
    polly = json.loads((FIXTURES / "polly_break.json").read_text())["turns"]
    assert [t.get("pause_after_ms") for t in polly] == [3000, None]
    w3c = json.loads((FIXTURES / "w3c_examples.json").read_text())["turns"]
    assert [t.get("pause_after_ms") for t in w3c[:3]] == [300, 750, 600]  # </s>, <break/>, </p>

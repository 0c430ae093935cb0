"""`ttsjobs dev` runs synthesis with more slots than one user may fill, so that the per-user
limit can be seen at work on its single synthesis process."""

from __future__ import annotations

from ttsjobs_cli.dev import dev_settings
from ttsjobs_synthesis.config import Settings as SynthesisSettings


def test_dev_gives_synthesis_more_slots_than_one_user_may_fill():
    slots = int(dev_settings({})["TTSJOBS_WORKER_SLOTS"])
    per_user = SynthesisSettings.model_fields["per_user_limit"].default
    assert slots > per_user, "a user at the limit leaves a slot for another user"


def test_the_operators_own_slots_setting_wins():
    assert "TTSJOBS_WORKER_SLOTS" not in dev_settings({"TTSJOBS_WORKER_SLOTS": "2"})

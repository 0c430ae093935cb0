"""Each durable consumer is declared once, by the service that reads it: topology turns the
declaration into the server's config and names no service, and the AsyncAPI document's
receivers follow from the same declarations."""

from __future__ import annotations

import ast
from pathlib import Path

from ttsjobs.contracts import subjects
from ttsjobs.contracts.account_events import ACCOUNT_EVENT_CLASSES
from ttsjobs.contracts.job_events import EVENT_CLASSES
from ttsjobs.messaging import topology
from ttsjobs.messaging.topology import Subscription
from ttsjobs_cli.schema_export import SUBSCRIPTIONS, asyncapi, receivers

TOPOLOGY = Path(topology.__file__)
ROOT = Path(__file__).resolve().parents[2]


def _subscription(*filters: str) -> Subscription:
    return Subscription(
        durable="billing", service="billing", description="", filter_subjects=filters
    )


def test_one_filter_is_filter_subject_and_several_are_filter_subjects():
    # An existing consumer made with filter_subject is updated to the same config, not moved.
    one = _subscription("ttsjobs.job.*.created").consumer_config()
    assert one.filter_subject == "ttsjobs.job.*.created" and one.filter_subjects is None
    two = _subscription("ttsjobs.job.*.completed", "ttsjobs.job.*.failed").consumer_config()
    assert two.filter_subject is None
    assert two.filter_subjects == ["ttsjobs.job.*.completed", "ttsjobs.job.*.failed"]
    assert two.durable_name == "billing" and two.max_deliver == -1


def test_a_filter_matches_subjects_token_by_token():
    created = _subscription("ttsjobs.job.*.created")
    assert created.reads("ttsjobs.job.j1.created")
    assert not created.reads("ttsjobs.job.j1.completed")
    assert not created.reads("ttsjobs.job.j1.created.extra")
    assert not created.reads("ttsjobs.job.created")
    tail = _subscription("ttsjobs.dead.>")
    assert tail.reads("ttsjobs.dead.projection.TTSJOBS.7")
    assert not tail.reads("ttsjobs.dead")


def test_another_durable_name_keeps_the_rest():
    [projection] = [s for s in SUBSCRIPTIONS if s.durable == "projection"]
    rebuild = projection.named("projection-rebuild")
    assert rebuild.durable == "projection-rebuild"
    assert rebuild.consumer_config().max_ack_pending == projection.max_ack_pending
    assert rebuild.address == (subjects.STREAM, "projection-rebuild")


def _declared_durables(path: Path) -> set[str]:
    """The durable names a service's subscriptions.py declares (``durable="..."``)."""
    return {
        keyword.value.value
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        for keyword in node.keywords
        if keyword.arg == "durable" and isinstance(keyword.value, ast.Constant)
    }


def test_every_declared_subscription_is_in_the_documents_list():
    # The AsyncAPI document and the contract tests read SUBSCRIPTIONS; a service's declaration
    # left out of it would consume events that no document says it receives.
    listed = {s.durable for s in SUBSCRIPTIONS}
    files = sorted(ROOT.glob("services/*/ttsjobs_*/subscriptions.py"))
    assert len(files) >= 3
    for path in files:
        declared = _declared_durables(path)
        assert declared and declared <= listed, f"{path.parent.name}: {declared - listed}"


def test_durables_are_unique_and_each_reads_its_own_stream():
    assert len({s.durable for s in SUBSCRIPTIONS}) == len(SUBSCRIPTIONS)
    for subscription in SUBSCRIPTIONS:
        on_its_stream = (
            subjects.ALL_JOB_EVENTS
            if subscription.stream == subjects.STREAM
            else subjects.ALL_ACCOUNT_EVENTS
        )
        prefix = on_its_stream.removesuffix("*.*")
        assert all(f.startswith(prefix) for f in subscription.filter_subjects), subscription


def test_who_receives_an_event_follows_from_the_filters():
    def kinds_read_by(durable: str) -> set[str]:
        return {
            cls.kind
            for cls in EVENT_CLASSES
            if durable in {s.durable for s in receivers(subjects.job_event("j1", cls.kind))}
        }

    everything = {cls.kind for cls in EVENT_CLASSES}
    assert kinds_read_by("synthesis") == {"created"}
    assert kinds_read_by("notifier") == {"completed", "failed", "cancelled"}
    assert kinds_read_by("projection") == everything  # the read model needs every one
    for account_cls in ACCOUNT_EVENT_CLASSES:
        subject = subjects.account_event("u1", account_cls.kind)
        assert [s.durable for s in receivers(subject)] == ["projection-accounts"]


def test_the_asyncapi_document_lists_the_declarations():
    doc = asyncapi()
    listed = doc["x-jetstream"]["consumers"]
    assert [c["durable"] for c in listed] == [s.durable for s in SUBSCRIPTIONS]
    assert [c["filter_subjects"] for c in listed] == [
        list(s.filter_subjects) for s in SUBSCRIPTIONS
    ]
    receive = doc["operations"]["projectionReceivesApiKeyRevoked"]
    assert receive["x-durable-consumer"] == "projection-accounts"
    # The gateway reads revocations without a durable consumer.
    assert "x-durable-consumer" not in doc["operations"]["gatewayReceivesApiKeyRevoked"]


def test_topology_names_no_service():
    literals = {
        node.value
        for node in ast.walk(ast.parse(TOPOLOGY.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }
    durables = {s.durable for s in SUBSCRIPTIONS} | {s.service for s in SUBSCRIPTIONS}
    assert not literals & durables
    assert not any(name.endswith("_DURABLE") for name in vars(topology))

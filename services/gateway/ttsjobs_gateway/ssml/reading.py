"""An SSML body read safely: defusedxml's SAX reader (no DTD, so no entity is declared, let
alone expanded, and nothing external is fetched), with caps on nesting, elements and attribute
size. The body's size is the route's body limit (limits.BodyTooLarge), applied before this.

Every refusal is a 422 naming ``body``: billion laughs and external entities (a DTD), depth
10,000, NUL bytes or invalid UTF-8 (not well-formed), a root that is not <speak>, a speak with
nothing to say, a huge attribute.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any
from xml.sax import SAXParseException
from xml.sax.xmlreader import AttributesImpl

import defusedxml.sax
import structlog
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden

from ttsjobs.contracts.job_request import FieldProblem
from ttsjobs_gateway.errors import InvalidRequest
from ttsjobs_gateway.ssml.elements import Refused, SsmlHandler
from ttsjobs_gateway.ssml.voices import Role

log = structlog.get_logger()

MAX_DEPTH = 64
MAX_ELEMENTS = 10_000
MAX_ATTRIBUTE_CHARS = 1_000  # an alias or a phoneme is at most 300 (lexicon.Said)
MAX_ATTRIBUTES = 32


@dataclass(frozen=True)
class Document:
    turns: list[dict[str, Any]]  # Turn's fields
    roles: dict[str, dict[str, Any]]  # speaker -> VoiceAssignment's fields
    warnings: list[str]


class _Capped(SsmlHandler):
    """SsmlHandler within the caps, refusing the document at the first element past one."""

    depth = 0
    elements = 0

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        self.depth += 1
        self.elements += 1
        if self.depth > MAX_DEPTH:
            raise Refused(f"elements nest deeper than {MAX_DEPTH}")
        if self.elements > MAX_ELEMENTS:
            raise Refused(f"more than {MAX_ELEMENTS} elements")
        if len(attrs) > MAX_ATTRIBUTES:
            raise Refused(f"<{name[:40]}> has {len(attrs)} attributes; at most {MAX_ATTRIBUTES}")
        for key, value in attrs.items():
            if len(value) > MAX_ATTRIBUTE_CHARS or len(key) > MAX_ATTRIBUTE_CHARS:
                raise Refused(
                    f"<{name[:40]}> attribute {key[:40]} is {len(value)} characters;"
                    f" at most {MAX_ATTRIBUTE_CHARS}"
                )
        super().startElement(name, attrs)

    def endElement(self, name: str) -> None:
        self.depth -= 1
        super().endElement(name)


def read_document(body: bytes, *, voice_ids: Collection[str], narrator: Role) -> Document:
    """The turns of the ``<speak>`` in ``body``, or a 422 naming ``body``."""
    if not body.strip():
        raise _refused("empty; send a <speak> document")
    handler = _Capped(voice_ids, narrator)
    try:
        defusedxml.sax.parseString(
            body, handler, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise _refused("a DTD (<!DOCTYPE …>) is not allowed; no entity is read") from None
    except (EntitiesForbidden, ExternalReferenceForbidden):
        raise _refused("entities are not allowed; none is read") from None
    except SAXParseException as err:
        where = f"line {err.getLineNumber()}, column {err.getColumnNumber()}"
        raise _refused(f"not well-formed XML: {err.getMessage()} ({where})") from None
    except Refused as err:
        raise _refused(str(err)) from None
    turns = handler.builder.finished()
    if not turns:
        raise _refused("the <speak> element has nothing to say")
    speakers = {turn["speaker"] for turn in turns}
    roles = {name: role for name, role in handler.roles.items() if name in speakers}
    if handler.narrator.speaker in speakers and handler.narrator.assignment:
        roles[handler.narrator.speaker] = handler.narrator.assignment
    log.info("ssml.read", turns=len(turns), speakers=len(speakers), elements=handler.elements,
             warnings=len(handler.warnings))  # fmt: skip
    return Document(turns, roles, handler.warnings)


def _refused(reason: str) -> InvalidRequest:
    log.info("ssml.refused", reason=reason[:200])
    return InvalidRequest([FieldProblem("body", reason)])

"""The Kokoro model with its per-token durations as a second output, made once at install time.

The int8 model's only output is ``audio``, yet its graph already computes how many frames each
token lasts: the duration predictor's sum is rounded, clipped and cast to integers, and that
tensor feeds the CumSum that lays the tokens out in time. Naming it as an output ``duration``
(through an Identity node) leaves the audio bit-identical, and switches on kokoro-onnx's
``create_timed()``: one frame is ``FRAME_SAMPLES`` samples, so the durations say when every
phoneme is spoken. The tensor is found by that structure, not by its name, which an export is
free to change.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import onnx

DURATION_OUTPUT = "duration"
# Samples per predicted frame at 24 kHz: sum(duration) * FRAME_SAMPLES == len(audio).
FRAME_SAMPLES = 600
# Ops that only reshape or pick from a tensor may sit between the Cast and the CumSum.
_PASS_THROUGH = {"Gather", "Squeeze", "Unsqueeze", "Reshape", "Identity"}


class NoDurationTensor(RuntimeError):
    """The graph has no Round → Clip → Cast feeding a CumSum: not the model this expects."""


def _duration_tensor(nodes: Sequence[onnx.NodeProto]) -> str:
    """The output of the Cast after Round → Clip whose value a CumSum adds up."""
    producers = {out: node for node in nodes for out in node.output}

    def made_by(tensor: str, op: str) -> onnx.NodeProto | None:
        node = producers.get(tensor)
        return node if node is not None and node.op_type == op else None

    found: set[str] = set()
    for node in nodes:
        if node.op_type != "CumSum":
            continue
        source = producers.get(node.input[0])
        while source is not None and source.op_type in _PASS_THROUGH:
            source = producers.get(source.input[0])
        if source is None or source.op_type != "Cast":
            continue
        clip = made_by(source.input[0], "Clip")
        if clip is not None and made_by(clip.input[0], "Round") is not None:
            found.add(source.output[0])
    if len(found) != 1:
        raise NoDurationTensor(f"expected one Round → Clip → Cast → CumSum, found {len(found)}")
    return found.pop()


def add_duration_output(source: Path, target: Path) -> None:
    """Write ``source``'s model to ``target`` with the durations as output ``duration``."""
    import onnx

    model = onnx.load(str(source))
    graph = model.graph
    if any(output.name == DURATION_OUTPUT for output in graph.output):
        raise NoDurationTensor(f"{source} already has an output {DURATION_OUTPUT!r}")
    tensor = _duration_tensor(list(graph.node))
    graph.node.append(onnx.helper.make_node("Identity", [tensor], [DURATION_OUTPUT]))
    graph.output.append(
        # One count per token of each batch row, the two pads included.
        onnx.helper.make_tensor_value_info(
            DURATION_OUTPUT, onnx.TensorProto.INT64, ["batch", "tokens"]
        )
    )
    onnx.checker.check_model(model)
    onnx.save(model, str(target))

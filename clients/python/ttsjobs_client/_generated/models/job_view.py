from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.callback_attempt import CallbackAttempt
    from ..models.job_links import JobLinks
    from ..models.job_result import JobResult
    from ..models.multi_role_request import MultiRoleRequest
    from ..models.progress import Progress
    from ..models.single_request import SingleRequest


T = TypeVar("T", bound="JobView")


@_attrs_define
class JobView:
    """
    Attributes:
        id (str):
        status (JobStatus):
        job_type (str):
        provider (str):
        title (None | str):
        input_ (MultiRoleRequest | None): a multi-role job's request as submitted, voices as cast: POST it to
            /api/v1/jobs/tts/multi-role to run it again. null for a single_tts job made from a text, whose request is
            `single`: its text is served once, not again as a dialogue of its sentences. A single_tts job made from SSML has
            its turns here, with their markup, and no `single`: its text alone would not run it again
        progress (Progress):
        result (JobResult | None):
        error_message (None | str):
        created_at (datetime.datetime):
        started_at (datetime.datetime | None):
        completed_at (datetime.datetime | None):
        elapsed (float | None): seconds from submission to the end, or to now while the job is unfinished
        links (JobLinks):
        single (None | SingleRequest | Unset): a single_tts job's request as submitted (the voice as cast): POST it to
            /api/v1/jobs/tts to run it again. The job stores its text once, as the sentences it runs, and gives back exactly
            the text sent
        sentence_ends (list[int] | None | Unset): a single_tts job's sentences, its turns: where each ends in
            `single.text`, in code points (sentence i is text[ends[i-1]:ends[i]], from 0). Progress and turn_timings count
            them in this order
        cancel_requested_at (datetime.datetime | None | Unset):
        expires_at (datetime.datetime | None | Unset): when the job, its audio and captions will be deleted
        callbacks (list[CallbackAttempt] | Unset): each attempt to POST the final event to callback_url
        warnings (list[str] | Unset): what the job does other than asked, though it runs: speakers that share a voice
            because the provider had no more for their wish
        read_model_error (None | str | Unset): set when the read model could not store this job: the answer then comes
            from the job's events, and lists may show it with unstorable characters replaced
    """

    id: str
    status: JobStatus
    job_type: str
    provider: str
    title: None | str
    input_: MultiRoleRequest | None
    progress: Progress
    result: JobResult | None
    error_message: None | str
    created_at: datetime.datetime
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    elapsed: float | None
    links: JobLinks
    single: None | SingleRequest | Unset = UNSET
    sentence_ends: list[int] | None | Unset = UNSET
    cancel_requested_at: datetime.datetime | None | Unset = UNSET
    expires_at: datetime.datetime | None | Unset = UNSET
    callbacks: list[CallbackAttempt] | Unset = UNSET
    warnings: list[str] | Unset = UNSET
    read_model_error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.job_result import JobResult  # noqa: PLC0415
        from ..models.multi_role_request import MultiRoleRequest  # noqa: PLC0415
        from ..models.single_request import SingleRequest  # noqa: PLC0415

        id = self.id

        status = self.status.value

        job_type = self.job_type

        provider = self.provider

        title: None | str
        title = self.title

        input_: dict[str, Any] | None
        if isinstance(self.input_, MultiRoleRequest):
            input_ = self.input_.to_dict()
        else:
            input_ = self.input_

        progress = self.progress.to_dict()

        result: dict[str, Any] | None
        if isinstance(self.result, JobResult):
            result = self.result.to_dict()
        else:
            result = self.result

        error_message: None | str
        error_message = self.error_message

        created_at = self.created_at.isoformat()

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        completed_at: None | str
        if isinstance(self.completed_at, datetime.datetime):
            completed_at = self.completed_at.isoformat()
        else:
            completed_at = self.completed_at

        elapsed: float | None
        elapsed = self.elapsed

        links = self.links.to_dict()

        single: dict[str, Any] | None | Unset
        if isinstance(self.single, Unset):
            single = UNSET
        elif isinstance(self.single, SingleRequest):
            single = self.single.to_dict()
        else:
            single = self.single

        sentence_ends: list[int] | None | Unset
        if isinstance(self.sentence_ends, Unset):
            sentence_ends = UNSET
        elif isinstance(self.sentence_ends, list):
            sentence_ends = self.sentence_ends

        else:
            sentence_ends = self.sentence_ends

        cancel_requested_at: None | str | Unset
        if isinstance(self.cancel_requested_at, Unset):
            cancel_requested_at = UNSET
        elif isinstance(self.cancel_requested_at, datetime.datetime):
            cancel_requested_at = self.cancel_requested_at.isoformat()
        else:
            cancel_requested_at = self.cancel_requested_at

        expires_at: None | str | Unset
        if isinstance(self.expires_at, Unset):
            expires_at = UNSET
        elif isinstance(self.expires_at, datetime.datetime):
            expires_at = self.expires_at.isoformat()
        else:
            expires_at = self.expires_at

        callbacks: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.callbacks, Unset):
            callbacks = []
            for callbacks_item_data in self.callbacks:
                callbacks_item = callbacks_item_data.to_dict()
                callbacks.append(callbacks_item)

        warnings: list[str] | Unset = UNSET
        if not isinstance(self.warnings, Unset):
            warnings = self.warnings

        read_model_error: None | str | Unset
        if isinstance(self.read_model_error, Unset):
            read_model_error = UNSET
        else:
            read_model_error = self.read_model_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "status": status,
                "job_type": job_type,
                "provider": provider,
                "title": title,
                "input": input_,
                "progress": progress,
                "result": result,
                "error_message": error_message,
                "created_at": created_at,
                "started_at": started_at,
                "completed_at": completed_at,
                "elapsed": elapsed,
                "links": links,
            }
        )
        if single is not UNSET:
            field_dict["single"] = single
        if sentence_ends is not UNSET:
            field_dict["sentence_ends"] = sentence_ends
        if cancel_requested_at is not UNSET:
            field_dict["cancel_requested_at"] = cancel_requested_at
        if expires_at is not UNSET:
            field_dict["expires_at"] = expires_at
        if callbacks is not UNSET:
            field_dict["callbacks"] = callbacks
        if warnings is not UNSET:
            field_dict["warnings"] = warnings
        if read_model_error is not UNSET:
            field_dict["read_model_error"] = read_model_error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.callback_attempt import CallbackAttempt  # noqa: PLC0415
        from ..models.job_links import JobLinks  # noqa: PLC0415
        from ..models.job_result import JobResult  # noqa: PLC0415
        from ..models.multi_role_request import MultiRoleRequest  # noqa: PLC0415
        from ..models.progress import Progress  # noqa: PLC0415
        from ..models.single_request import SingleRequest  # noqa: PLC0415

        d = dict(src_dict)
        id = d.pop("id")

        status = JobStatus(d.pop("status"))

        job_type = d.pop("job_type")

        provider = d.pop("provider")

        def _parse_title(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        title = _parse_title(d.pop("title"))

        def _parse_input_(data: object) -> MultiRoleRequest | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                input_type_0 = MultiRoleRequest.from_dict(data)

                return input_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(MultiRoleRequest | None, data)

        input_ = _parse_input_(d.pop("input"))

        progress = Progress.from_dict(d.pop("progress"))

        def _parse_result(data: object) -> JobResult | None:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                result_type_0 = JobResult.from_dict(data)

                return result_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobResult | None, data)

        result = _parse_result(d.pop("result"))

        def _parse_error_message(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        error_message = _parse_error_message(d.pop("error_message"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        def _parse_completed_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                completed_at_type_0 = datetime.datetime.fromisoformat(data)

                return completed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        completed_at = _parse_completed_at(d.pop("completed_at"))

        def _parse_elapsed(data: object) -> float | None:
            if data is None:
                return data
            return cast(float | None, data)

        elapsed = _parse_elapsed(d.pop("elapsed"))

        links = JobLinks.from_dict(d.pop("links"))

        def _parse_single(data: object) -> None | SingleRequest | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                single_type_0 = SingleRequest.from_dict(data)

                return single_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SingleRequest | Unset, data)

        single = _parse_single(d.pop("single", UNSET))

        def _parse_sentence_ends(data: object) -> list[int] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                sentence_ends_type_0 = cast(list[int], data)

                return sentence_ends_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[int] | None | Unset, data)

        sentence_ends = _parse_sentence_ends(d.pop("sentence_ends", UNSET))

        def _parse_cancel_requested_at(
            data: object,
        ) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                cancel_requested_at_type_0 = datetime.datetime.fromisoformat(data)

                return cancel_requested_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        cancel_requested_at = _parse_cancel_requested_at(
            d.pop("cancel_requested_at", UNSET)
        )

        def _parse_expires_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                expires_at_type_0 = datetime.datetime.fromisoformat(data)

                return expires_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        expires_at = _parse_expires_at(d.pop("expires_at", UNSET))

        _callbacks = d.pop("callbacks", UNSET)
        callbacks: list[CallbackAttempt] | Unset = UNSET
        if _callbacks is not UNSET:
            callbacks = []
            for callbacks_item_data in _callbacks:
                callbacks_item = CallbackAttempt.from_dict(callbacks_item_data)

                callbacks.append(callbacks_item)

        warnings = cast(list[str], d.pop("warnings", UNSET))

        def _parse_read_model_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        read_model_error = _parse_read_model_error(d.pop("read_model_error", UNSET))

        job_view = cls(
            id=id,
            status=status,
            job_type=job_type,
            provider=provider,
            title=title,
            input_=input_,
            progress=progress,
            result=result,
            error_message=error_message,
            created_at=created_at,
            started_at=started_at,
            completed_at=completed_at,
            elapsed=elapsed,
            links=links,
            single=single,
            sentence_ends=sentence_ends,
            cancel_requested_at=cancel_requested_at,
            expires_at=expires_at,
            callbacks=callbacks,
            warnings=warnings,
            read_model_error=read_model_error,
        )

        job_view.additional_properties = d
        return job_view

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties

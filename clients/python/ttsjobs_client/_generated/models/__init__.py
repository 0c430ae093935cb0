"""Contains all the data models used in inputs/outputs"""

from .alphabet import Alphabet
from .audio_object import AudioObject
from .callback_attempt import CallbackAttempt
from .caption_file import CaptionFile
from .caption_file_format import CaptionFileFormat
from .casting_answer import CastingAnswer
from .casting_answer_voice_assignments import CastingAnswerVoiceAssignments
from .chapter import Chapter
from .download_captions_format import DownloadCaptionsFormat
from .download_chapters_format import DownloadChaptersFormat
from .field_error import FieldError
from .gender import Gender
from .get_health_response_gethealth import GetHealthResponseGethealth
from .get_lexicon_format_type_0 import GetLexiconFormatType0
from .get_readiness_response_200 import GetReadinessResponse200
from .head_captions_format import HeadCaptionsFormat
from .job_links import JobLinks
from .job_page import JobPage
from .job_result import JobResult
from .job_status import JobStatus
from .job_type import JobType
from .job_view import JobView
from .lexicon_document import LexiconDocument
from .lexicon_entry import LexiconEntry
from .lexicon_list import LexiconList
from .lexicon_summary import LexiconSummary
from .list_models_response_listmodels import ListModelsResponseListmodels
from .list_speech_voices_response_listspeechvoices import (
    ListSpeechVoicesResponseListspeechvoices,
)
from .list_speech_voices_response_listspeechvoices_additional_property_item import (
    ListSpeechVoicesResponseListspeechvoicesAdditionalPropertyItem,
)
from .loudness import Loudness
from .mark import Mark
from .mastering import Mastering
from .multi_role_request import MultiRoleRequest
from .multi_role_request_voice_assignments import MultiRoleRequestVoiceAssignments
from .open_ai_error import OpenAIError
from .open_ai_error_detail import OpenAIErrorDetail
from .output_format import OutputFormat
from .parse_script_json_script_text import ParseScriptJsonScriptText
from .parsed_script import ParsedScript
from .parsed_script_voices import ParsedScriptVoices
from .preview import Preview
from .preview_word import PreviewWord
from .problem import Problem
from .progress import Progress
from .pronunciation_request import PronunciationRequest
from .provider_catalogue import ProviderCatalogue
from .provider_catalogue_summary import ProviderCatalogueSummary
from .put_lexicon_json_lexicon import PutLexiconJsonLexicon
from .reading import Reading
from .rename_request import RenameRequest
from .response_format import ResponseFormat
from .saved_voice_body import SavedVoiceBody
from .saved_voice_list import SavedVoiceList
from .saved_voice_view import SavedVoiceView
from .say_as import SayAs
from .script_job_request import ScriptJobRequest
from .single_request import SingleRequest
from .speech_request import SpeechRequest
from .spoken_as import SpokenAs
from .stems_archive import StemsArchive
from .submit_multi_role_job_gender import SubmitMultiRoleJobGender
from .submit_multi_role_job_mastering import SubmitMultiRoleJobMastering
from .submit_multi_role_job_output_format import SubmitMultiRoleJobOutputFormat
from .submit_single_job_gender import SubmitSingleJobGender
from .submit_single_job_mastering import SubmitSingleJobMastering
from .submit_single_job_output_format import SubmitSingleJobOutputFormat
from .timing_object import TimingObject
from .turn import Turn
from .turn_timing import TurnTiming
from .used_entry import UsedEntry
from .voice_assignment import VoiceAssignment
from .voice_catalogue import VoiceCatalogue
from .voice_info import VoiceInfo
from .voice_info_accent import VoiceInfoAccent
from .voice_info_names import VoiceInfoNames
from .voice_preview_request import VoicePreviewRequest

__all__ = (
    "Alphabet",
    "AudioObject",
    "CallbackAttempt",
    "CaptionFile",
    "CaptionFileFormat",
    "CastingAnswer",
    "CastingAnswerVoiceAssignments",
    "Chapter",
    "DownloadCaptionsFormat",
    "DownloadChaptersFormat",
    "FieldError",
    "Gender",
    "GetHealthResponseGethealth",
    "GetLexiconFormatType0",
    "GetReadinessResponse200",
    "HeadCaptionsFormat",
    "JobLinks",
    "JobPage",
    "JobResult",
    "JobStatus",
    "JobType",
    "JobView",
    "LexiconDocument",
    "LexiconEntry",
    "LexiconList",
    "LexiconSummary",
    "ListModelsResponseListmodels",
    "ListSpeechVoicesResponseListspeechvoices",
    "ListSpeechVoicesResponseListspeechvoicesAdditionalPropertyItem",
    "Loudness",
    "Mark",
    "Mastering",
    "MultiRoleRequest",
    "MultiRoleRequestVoiceAssignments",
    "OpenAIError",
    "OpenAIErrorDetail",
    "OutputFormat",
    "ParsedScript",
    "ParsedScriptVoices",
    "ParseScriptJsonScriptText",
    "Preview",
    "PreviewWord",
    "Problem",
    "Progress",
    "PronunciationRequest",
    "ProviderCatalogue",
    "ProviderCatalogueSummary",
    "PutLexiconJsonLexicon",
    "Reading",
    "RenameRequest",
    "ResponseFormat",
    "SavedVoiceBody",
    "SavedVoiceList",
    "SavedVoiceView",
    "SayAs",
    "ScriptJobRequest",
    "SingleRequest",
    "SpeechRequest",
    "SpokenAs",
    "StemsArchive",
    "SubmitMultiRoleJobGender",
    "SubmitMultiRoleJobMastering",
    "SubmitMultiRoleJobOutputFormat",
    "SubmitSingleJobGender",
    "SubmitSingleJobMastering",
    "SubmitSingleJobOutputFormat",
    "TimingObject",
    "Turn",
    "TurnTiming",
    "UsedEntry",
    "VoiceAssignment",
    "VoiceCatalogue",
    "VoiceInfo",
    "VoiceInfoAccent",
    "VoiceInfoNames",
    "VoicePreviewRequest",
)

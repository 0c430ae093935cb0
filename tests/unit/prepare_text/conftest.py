"""jieba writes its dictionary cache on first use: into a file of the test session's."""

import pytest

from ttsjobs_synthesis.prepare_text.mandarin_readings import prepare_jieba


@pytest.fixture(scope="session", autouse=True)
def _jieba_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    prepare_jieba(tmp_path_factory.mktemp("jieba") / "jieba.cache")

"""The hostile corpus through the upload page (AppTest): every file ends in one plain message, nothing changed,
the refusal audited, and the page goes on working for the next file."""

import pytest

from assurance.access import audit
from tests.pages.helpers import open_page, read, texts
from tests.returns.builders import measure_sheets, xlsx
from tests.returns.conftest import snapshot
from tests.returns.hostile import corpus

CASES = corpus()


pytestmark = pytest.mark.usefixtures("fresh_caches")


def test_every_hostile_file_gets_one_plain_message_on_the_upload_page(engine):
    before = snapshot(engine)
    at = open_page("pages/upload.py", role="chair")
    for case in CASES:
        at.file_uploader[0].upload(case.file_name, case.data, "application/octet-stream").run()
        assert not at.exception, (case.key, [e.message for e in at.exception])
        errors = [read(e.value) for e in at.error]
        assert len(errors) == 1, (case.key, errors)
        assert case.says in errors[0] and errors[0].endswith("Nothing has been changed."), (case.key, errors[0])
        assert "Traceback" not in texts(at)
    assert snapshot(engine) == before
    refused = audit.search(engine, action=audit.UPLOAD_REFUSED)
    assert sorted(refused["Target"]) == sorted(c.file_name for c in CASES)
    # The same session then checks a good return as usual.
    at.file_uploader[0].upload("Police 2025-26 Q2.xlsx", xlsx(measure_sheets()), "application/octet-stream").run()
    assert not at.exception and not at.error
    assert "Partner assurance return POL 2025-26 Q2 from Police 2025-26 Q2.xlsx: 5 measures" in texts(at)

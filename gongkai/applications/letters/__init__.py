"""Letters to the applicant (告知书), editable per agency, as DOCX and PDF.

``kinds`` names the letters and the law they cite, ``defaults`` holds the
built-in template texts, ``render`` turns an application into text, DOCX and
PDF, and ``services.letter_generate`` stores the files with the application.
Only ``kinds`` is imported here: the models import it while they load.
"""

from .kinds import LetterKind, reply_kind_for, reply_kinds_for

__all__ = ["LetterKind", "reply_kind_for", "reply_kinds_for"]

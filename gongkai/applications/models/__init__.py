"""Disclosure applications (依申请公开): the application, its workflow steps and documents."""

from .application import Application, ApplicationSequence, new_submission_key, new_tracking_code
from .choices import (
    CONCLUDED_STATUSES,
    OPEN_STATUSES,
    ApplicantType,
    Channel,
    DeliveryForm,
    DeliveryMethod,
    ExtensionStatus,
    IdentityType,
    Opinion,
    Outcome,
    PartyKind,
    Status,
)
from .documents import Document, DocumentKind
from .steps import Consultation, CorrectionRequest, Extension, FeeNotice

__all__ = [
    "CONCLUDED_STATUSES", "OPEN_STATUSES", "ApplicantType", "Application", "ApplicationSequence", "Channel",
    "Consultation", "CorrectionRequest", "DeliveryForm", "DeliveryMethod", "Document", "DocumentKind", "Extension",
    "ExtensionStatus", "FeeNotice", "IdentityType", "Opinion", "Outcome", "PartyKind", "Status",
    "new_submission_key", "new_tracking_code",
]

from .letters import LetterSettings, LetterTemplate  # noqa: E402

__all__ += ["LetterSettings", "LetterTemplate"]

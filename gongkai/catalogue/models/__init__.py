"""Proactive disclosure (主动公开): items, their versions and attachments, the catalogue and the guide."""

from .catalogue import CatalogueEntry, StandardCatalogue, StandardEntry
from .choices import DisclosureMode, DocumentType, Genre, ItemStatus, PublicationChannel, Validity
from .guide import Guide
from .item import ABSTRACT_MAX_LENGTH, Attachment, IndexSequence, Item, ItemVersion

__all__ = [
    "ABSTRACT_MAX_LENGTH", "Attachment", "CatalogueEntry", "DisclosureMode", "DocumentType", "Genre", "Guide",
    "IndexSequence", "Item", "ItemStatus", "ItemVersion", "PublicationChannel", "StandardCatalogue",
    "StandardEntry", "Validity",
]
from .search import SearchDocument  # noqa: E402

__all__ += ["SearchDocument"]

"""Applicants' identity numbers at rest: encrypted (Fernet), with a keyed hash for equality (docs/decisions/019).

``EncryptedTextField`` stores ``Fernet(key).encrypt(value)``; reading a row
decrypts it, so code and templates see the number as before and masking
(``masking``) decides who sees it in full. Encryption is randomised, so the
column cannot be compared: its ``exact`` lookup is refused for anything but
the empty string, and equality goes through ``DigestField``, an HMAC-SHA256
of the normalised number under a key derived from the same secret, kept
current on every save (``bulk_create`` included).

The keys come from ``settings.GONGKAI_DATA_KEYS`` (the first encrypts, all
decrypt, so a key can be rotated with ``gongkai applications rekey``).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.lookups import Exact

CANNOT_COMPARE = "加密保存的字段不能直接比较，请改用其摘要字段（如 identity_digest）。"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k) for k in keys])
    except (ValueError, TypeError) as e:
        raise ImproperlyConfigured("GONGKAI_DATA_KEYS：密钥格式不正确（应为 Fernet 密钥，44 个字符）。") from e


def _keys() -> tuple[str, ...]:
    keys = tuple(settings.GONGKAI_DATA_KEYS)
    if not keys:
        raise ImproperlyConfigured("没有配置 GONGKAI_DATA_KEYS，无法加密申请人的证件号码。")
    return keys


def encrypt(value: str) -> str:
    return _fernet(_keys()).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str) -> str:
    try:
        return _fernet(_keys()).decrypt(token.encode("ascii")).decode("utf-8")
    except InvalidToken as e:
        raise ImproperlyConfigured(
            "无法解密证件号码：GONGKAI_DATA_KEYS 中没有加密它时使用的密钥（密钥丢失或被更换）。") from e


def rotate(token: str) -> str:
    """The same value encrypted again under the first key."""
    return _fernet(_keys()).rotate(token.encode("ascii")).decode("ascii")


def normalise_identity(value: str) -> str:
    return "".join((value or "").split()).upper()


@lru_cache(maxsize=4)
def _digest_key(first: str) -> bytes:
    # A key of its own, derived from the encryption key, so the digest reveals nothing about the cipher.
    return hmac.new(base64.urlsafe_b64decode(first), b"gongkai identity digest v1", hashlib.sha256).digest()


def identity_digest(value: str) -> str:
    """HMAC-SHA256 of the normalised number; '' for no number. Equal numbers give equal digests."""
    value = normalise_identity(value)
    if not value:
        return ""
    return hmac.new(_digest_key(_keys()[0]), value.encode("utf-8"), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):
    """A short text stored encrypted; ``max_length`` limits the plain value (the stored token is longer)."""

    def __init__(self, *args, max_length=None, **kwargs):
        self.plain_max_length = max_length
        super().__init__(*args, **kwargs)
        if max_length:
            self.validators.append(MaxLengthValidator(max_length))

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        if self.plain_max_length:
            kwargs["max_length"] = self.plain_max_length
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        # Any other lookup (in, contains, startswith, …) would compare ciphertext and silently find nothing.
        return super().get_lookup(lookup_name) if lookup_name in ("exact", "isnull") else None

    def formfield(self, **kwargs):
        from django import forms

        return super().formfield(**{"widget": forms.TextInput, "max_length": self.plain_max_length, **kwargs})


@EncryptedTextField.register_lookup
class EncryptedExact(Exact):
    """``field=""`` still works (no number); comparing a number would silently never match, so it is refused."""

    lookup_name = "exact"

    def get_prep_lookup(self):
        if self.rhs not in ("", None):
            raise TypeError(CANNOT_COMPARE)
        return self.rhs

    def process_rhs(self, compiler, connection):
        return "%s", [self.rhs]


class DigestField(models.CharField):
    """The keyed hash of another field of the same model, recomputed whenever the row is saved."""

    def __init__(self, *args, source: str = "", **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("editable", False), ("blank", True)):
            if kwargs.get(key, default) == default:
                kwargs.pop(key, None)
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        value = identity_digest(getattr(model_instance, self.source))
        setattr(model_instance, self.attname, value)
        return value


def identity_numbers_rekey(*, batch: int = 500) -> int:
    """Encrypt every identity number again under the first key and recompute its digest; return how many.

    After a new key was put first in ``GONGKAI_DATA_KEYS``: once this has run,
    the older keys can be dropped. Batches of ``batch`` rows, each in its own
    transaction, so it can run while the office works.
    """
    from django.db import transaction

    from .models import Application

    done, last = 0, 0
    while True:
        with transaction.atomic():
            rows = list(Application.objects.filter(pk__gt=last).exclude(identity_number="").order_by("pk")
                        .values_list("pk", "identity_number")[:batch])
            for pk, number in rows:
                Application.objects.filter(pk=pk).update(identity_number=number,
                                                         identity_digest=identity_digest(number))
        done += len(rows)
        if len(rows) < batch:
            return done
        last = rows[-1][0]

"""Uploads kept across a failed submit (docs/style.md, Forms).

When a form with a file field fails on another field, the browser cannot send the file again:
the person would have to choose it again, and usually does not notice that it was dropped. A
``KeptUploadsForm`` stores each valid new file of a failed submit in a temporary place of the
default storage (a random directory under ``kept-uploads/``, linked from nowhere) and puts a
signed reference to it in a hidden field. The next submit uses the kept file unless another is
chosen. The reference is signed for one owner (the user) and expires after
``KEPT_UPLOAD_MAX_AGE_SECONDS``; a forged, expired or someone else's reference is a clear error on
the file field. ``purge_kept_uploads`` deletes what was never used.

GOV.UK Design System, "File upload": if there is an error elsewhere, keep the file and say so.
"""

import contextlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

KEPT_DIR = "kept-uploads"
KEPT_SUFFIX = "_kept"
SALT = "lms.uploads.kept"
DEFAULT_MAX_AGE_SECONDS = 24 * 3600


class KeptUploadError(Exception):
    """The reference to a kept file is forged, expired, someone else's, or its file is gone."""


@dataclass(frozen=True)
class KeptUpload:
    field: str
    name: str  # the file's name as the person chose it
    reference: str  # signed: owner and storage path


def max_age_seconds() -> int:
    return int(getattr(settings, "KEPT_UPLOAD_MAX_AGE_SECONDS", DEFAULT_MAX_AGE_SECONDS))


def keep_upload(upload: UploadedFile, *, owner: str) -> KeptUpload:
    """Store ``upload`` in the temporary place; its signed reference for ``owner``."""
    name = File(upload).name or "file"
    base = name.replace("\\", "/").rsplit("/", 1)[-1] or "file"
    upload.seek(0)
    path = default_storage.save(f"{KEPT_DIR}/{secrets.token_hex(16)}/{base}", upload)
    reference = signing.dumps({"owner": owner, "path": path, "name": base}, salt=SALT)
    return KeptUpload(field="", name=base, reference=reference)


def open_kept_upload(reference: str, *, owner: str) -> tuple[File, str]:
    """The kept file of ``reference`` (named as chosen) and its storage path; raises
    ``KeptUploadError`` for a forged, expired or someone else's reference."""
    try:
        value = signing.loads(reference, salt=SALT, max_age=max_age_seconds())
    except signing.BadSignature as error:  # SignatureExpired is one
        raise KeptUploadError(str(error)) from None
    path = str(value.get("path", ""))
    if value.get("owner") != owner or not path.startswith(f"{KEPT_DIR}/"):
        raise KeptUploadError("not this owner's")
    if not default_storage.exists(path):
        raise KeptUploadError("gone")
    return File(default_storage.open(path, "rb"), name=str(value.get("name") or "file")), path


def discard_kept_upload(path: str) -> None:
    """Delete a kept file (and its directory) once used."""
    if path.startswith(f"{KEPT_DIR}/"):
        default_storage.delete(path)
        directory = path.rsplit("/", 1)[0]
        with contextlib.suppress(OSError):  # not empty, or a storage without directories
            default_storage.delete(directory)


def purge_kept_uploads() -> int:
    """Delete the kept files older than their references can be; how many."""
    cutoff = timezone.now() - timedelta(seconds=max_age_seconds())
    removed = 0
    try:
        directories, _files = default_storage.listdir(KEPT_DIR)
    except FileNotFoundError:
        return 0
    for directory in directories:
        for name in default_storage.listdir(f"{KEPT_DIR}/{directory}")[1]:
            path = f"{KEPT_DIR}/{directory}/{name}"
            if default_storage.get_modified_time(path) < cutoff:
                discard_kept_upload(path)
                removed += 1
    return removed


class KeptUploadsForm(forms.Form):
    """A form whose file fields (``kept_upload_fields``) keep a valid file across a failed
    submit. Call ``keep_uploads_for(owner)`` at the end of ``__init__``, after the fields are
    final; call ``keep_valid_uploads()`` after adding errors to a valid form (a service's), and
    ``discard_used_uploads()`` once the kept files were saved elsewhere."""

    kept_upload_fields: tuple[str, ...] = ()
    refused_message = _(
        "The file you chose before can no longer be used (it is too old, or not yours). "
        "Choose it again."
    )

    def keep_uploads_for(self, owner: str) -> None:
        self.upload_owner = owner
        self.kept_uploads: dict[str, KeptUpload] = {}
        self._used_paths: list[str] = []
        self._opened: list[File] = []
        self._refused: list[str] = []
        for name in self.kept_upload_fields:
            if name not in self.fields:
                continue
            self.fields[name + KEPT_SUFFIX] = forms.CharField(
                required=False, widget=forms.HiddenInput
            )
            if self.is_bound:
                self._take_kept(name)

    def _take_kept(self, name: str) -> None:
        reference = self.data.get(self.add_prefix(name + KEPT_SUFFIX)) or ""
        if not reference or self.files.get(self.add_prefix(name)):
            return  # nothing kept, or a new file chosen in its place
        try:
            kept, path = open_kept_upload(reference, owner=self.upload_owner)
        except KeptUploadError:
            self._refused.append(name)
            self._set_reference(name, "")
            return
        files: Any = self.files.copy()  # a MultiValueDict
        files[self.add_prefix(name)] = kept
        self.files = files
        self._used_paths.append(path)
        self._opened.append(kept)
        self.kept_uploads[name] = KeptUpload(name, kept.name or "", reference)

    def _set_reference(self, name: str, reference: str) -> None:
        source: Any = self.data
        data = source.copy()  # a QueryDict is immutable, its copy is not
        data[self.add_prefix(name + KEPT_SUFFIX)] = reference
        self.data = data

    def full_clean(self) -> None:
        super().full_clean()
        if not hasattr(self, "kept_uploads"):
            return
        for name in self._refused:
            self.add_error(name, forms.ValidationError(self.refused_message, code="kept_refused"))
        self.keep_valid_uploads()
        if self.errors:
            self._close_kept()

    def _close_kept(self) -> None:
        for kept in self._opened:
            kept.close()
        self._opened = []

    def keep_valid_uploads(self) -> None:
        """Keep every valid new file of a submit that failed (and forget a kept file whose own
        field is now in error)."""
        if not self.errors:
            return
        self._close_kept()
        for name in self.kept_upload_fields:
            if name not in self.fields:
                continue
            if name in self.errors:
                self.kept_uploads.pop(name, None)
                self._set_reference(name, "")
                continue
            upload: Any = self.cleaned_data.get(name)
            if isinstance(upload, UploadedFile) and name not in self.kept_uploads:
                kept = keep_upload(upload, owner=self.upload_owner)
                self.kept_uploads[name] = KeptUpload(name, kept.name, kept.reference)
                self._set_reference(name, kept.reference)

    def discard_used_uploads(self) -> None:
        self._close_kept()
        for path in self._used_paths:
            discard_kept_upload(path)
        self._used_paths = []

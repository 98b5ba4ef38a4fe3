"""The photos of a hazard: before (the scene) and after (the rectification), stored with their
thumbnails."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from anjian.core import audit
from anjian.core.audit import AuditVerb
from anjian.core.errors import DomainError, NotPermittedError
from anjian.core.images import process_upload
from anjian.hazards import workflow
from anjian.hazards.choices import PhotoPhase
from anjian.hazards.models import Hazard, HazardPhoto
from anjian.hazards.services.common import for_update


def store_photos(hazard: Hazard, by, phase: str, files, at: dt.datetime | None = None) -> list[HazardPhoto]:
    photos = []
    for upload in files or []:
        processed = process_upload(upload)
        photo = HazardPhoto(hazard=hazard, phase=phase, uploaded_by=by, width=processed.width, height=processed.height)
        photo.image.save(processed.image.name, processed.image, save=False)
        photo.thumbnail.save(processed.thumbnail.name, processed.thumbnail, save=False)
        photo.save()
        if at is not None:  # uploaded_at is stamped on creation
            HazardPhoto.objects.filter(pk=photo.pk).update(uploaded_at=at)
            photo.uploaded_at = at
        photos.append(photo)
    return photos


@transaction.atomic
def hazard_add_photo(*, hazard: Hazard, by, phase: str, image) -> HazardPhoto:
    """Add a photo to an open hazard: before-photos by anyone who may see it, after-photos by a rectifier."""
    hazard = for_update(hazard)
    if phase not in PhotoPhase.values:
        raise DomainError(_("照片阶段须为 before（整改前）或 after（整改后）。"), field="phase")
    if not hazard.is_open:
        raise DomainError(_("隐患已%(status)s，不能再上传照片。") % {"status": hazard.get_status_display()})
    if phase == PhotoPhase.AFTER and not workflow.rectifier(hazard, by):
        raise NotPermittedError(_("整改后照片只能由整改责任人、所在科室负责人或本单位负责人上传。"))
    (photo,) = store_photos(hazard, by, phase, [image])
    audit.record(actor=by, verb=AuditVerb.HAZARD_PHOTO_ADDED, target=hazard, note=photo.get_phase_display())
    return photo

"""Pages of entries' documents: upload one to an entry, download one (audited)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrdcase import uploads
from hrdcase.audit import client_ip
from hrdcase.exceptions import StateConflict
from hrdcase.forms import add_service_errors
from hrdcase.tenancy import get_object_for
from logbooks.files import FileTooLarge, attachment_response, check_declared_size
from logbooks.forms.attachments import AttachmentForm
from logbooks.selectors.attachments import attachments_visible
from logbooks.services.attachments import attachment_add, attachment_read
from logbooks.views.entries import entry_for, entry_page


@login_required
@require_POST
def attachment_upload(request: HttpRequest, pk) -> HttpResponse:
    """A refused file answers the entry page again, its form saying why: 413 when too large
    (the upload handler stopped reading it, or the attachment limit), 400 otherwise."""
    entry = entry_for(request, pk)
    if entry.organisation_id != request.user.organisation_id:
        raise Http404
    form = AttachmentForm(request.POST, request.FILES)
    refused = uploads.refusal(request)
    if refused is not None:
        form.is_valid()  # binds the errors; the file part never arrived
        form.errors["file"] = form.error_class([refused.message])
        return entry_page(request, entry, attachment_form=form, status=413)
    if not form.is_valid():
        return entry_page(request, entry, attachment_form=form, status=400)
    upload = form.cleaned_data["file"]
    try:
        check_declared_size(upload.size)
        attachment_add(
            entry=entry, filename=upload.name, data=upload.read(), acting_user=request.user
        )
    except FileTooLarge as error:
        add_service_errors(form, error)
        return entry_page(request, entry, attachment_form=form, status=413)
    except ValidationError as error:
        add_service_errors(form, error)
        return entry_page(request, entry, attachment_form=form, status=400)
    except StateConflict as conflict:
        messages.error(request, conflict.message)
    else:
        messages.success(request, _("Document attached."))
    return redirect("logbooks:entry_detail", pk=entry.pk)


@login_required
def attachment_download(request: HttpRequest, pk) -> HttpResponse:
    attachment = get_object_for(request.user, attachments_visible(request.user), pk)
    data = attachment_read(attachment=attachment, acting_user=request.user, ip=client_ip(request))
    return attachment_response(attachment, data)

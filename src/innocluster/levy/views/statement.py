"""A subsoil user's account statement (page, PDF, XLSX) and its notices (PDF), for the Fund's
staff under ``/staff/levy/reports/`` (any subsoil user, ``levy.read``) and for the company's
representatives under ``/portal/levy/documents/`` (only an organisation they represent through a
confirmed claim, ``levy.documents.own``; another's statement or notice is a 404, as if it did not
exist)."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from innocluster.core import reports
from innocluster.core.access.views import requires
from innocluster.core.http import pdf_attachment
from innocluster.core.policy import values as policy
from innocluster.core.templatetags.money import percent_number
from innocluster.levy import notices
from innocluster.levy.models import Obligation
from innocluster.levy.selectors import obligations as obligation_selectors
from innocluster.levy.selectors import statement as selectors
from innocluster.levy.views import reports as staff_reports
from innocluster.parties import selectors as parties
from innocluster.parties.models import Organisation

OWN = "levy.documents.own"
PORTAL_NS = "levy_documents"


def kind_labels() -> dict[str, str]:
    return {
        selectors.ASSESSED: _("Levy assessed"),
        selectors.ADJUSTED: _("Levy adjusted"),
        selectors.PAYMENT: _("Payment"),
        selectors.RND: _("Direct R&D spending"),
        selectors.CREDIT_APPLIED: _("Credit applied"),
        selectors.RELEASED: _("Settled above the amount owed: moved to a credit"),
        selectors.RELEASE_UNDONE: _("Payment undone: its credit taken back"),
        selectors.OTHER: _("Other entry"),
    }


def notice_labels() -> dict[str, str]:
    return {
        notices.ASSESSMENT: _("Assessment notice"),
        notices.REMINDER: _("Reminder"),
        notices.ARREARS: _("Arrears notice"),
    }


def _respond_statement(request, holder, *, index_url: str, index_label: str, notice_url: str):
    start, end = reports.date_range(request)
    data = selectors.statement(holder, start, end)
    labels = kind_labels()
    title = _("Account statement: %(name)s") % {"name": holder.name}

    def table():
        header = [_("Date"), _("What"), _("Payment reference"), _("Charged"), _("Settled"), _("Balance")]
        rows: list[tuple] = [(start, _("Opening balance"), "", None, None, data.opening)]
        rows += [
            (m.date, labels[m.kind], m.reference, m.charged, m.settled, m.balance) for m in data.movements
        ]
        rows.append((end, _("Closing balance"), "", data.charged, data.settled, data.closing))
        rows.append(())
        rows.append(
            (
                _("Obligations"),
                _("Year"),
                _("Payment reference"),
                _("Due"),
                _("Outstanding"),
                _("Due date"),
                _("Share, %"),
                _("Rate, %"),
            )
        )
        rows += [
            (
                o.contract.number,
                o.year,
                o.reference,
                o.amount,
                o.outstanding,
                o.due_date,
                percent_number(o.share),
                percent_number(o.rate),
            )
            for o in data.obligations
        ]
        rows.append(())
        rows.append((_("Credits"), _("Kind of credit"), _("Usable until"), _("Amount"), _("Left"), ""))
        rows += [
            (c.source_year, c.get_kind_display(), c.expires_on or _("no time limit"), c.amount, c.left, "")
            for c in data.credits
        ]
        return header, rows

    return reports.respond(
        request,
        name="statement",
        title=title,
        subtitle=_("BIN %(bin)s · %(period)s") % {"bin": holder.bin, "period": reports.period(start, end)},
        body="levy/reports/_statement.html",
        context={
            "data": data,
            "holder": holder,
            "labels": labels,
            "notice_url": notice_url,
            "notice_labels": notice_labels(),
            "today": policy.today(),
        },
        filename=f"levy-statement-{holder.bin}-{start.isoformat()}-{end.isoformat()}",
        table=table,
        form="range",
        form_values={"from": start.isoformat(), "to": end.isoformat()},
        index_url=index_url,
        index_label=index_label,
        printed_note=_("Printed on %(date)s from the Fund's ledger (levy receivable of this subsoil user).")
        % {"date": reports.day(policy.today())},
    )


def _notice(obligation: Obligation | None, kind: str):
    if obligation is None or not notices.available(obligation, kind):
        raise Http404(_("There is no such notice."))
    return pdf_attachment(notices.notice_pdf(obligation, kind), notices.filename(obligation, kind))


def _obligation(reference: str) -> Obligation | None:
    return Obligation.objects.select_related("contract", "holder").filter(reference=reference).first()


# --- staff -------------------------------------------------------------------------------------


@staff_reports.report
def statement(request, bin: str):
    holder = Organisation.objects.filter(bin=bin).first()
    if holder is None:
        raise Http404(_("There is no organisation with this BIN."))
    return _respond_statement(
        request,
        holder,
        index_url=staff_reports.index_url(),
        index_label=staff_reports.index_label(),
        notice_url="levy_reports:notice",
    )


@requires(staff_reports.READ)
@require_safe
def notice(request, reference: str, kind: str):
    return _notice(_obligation(reference), kind)


# --- the company's portal ------------------------------------------------------------------------


def _portal_index_url() -> str:
    return reverse(f"{PORTAL_NS}:index")


def _portal_index_label() -> str:
    return _("Levy documents")


own_report = reports.report_view(OWN, index_url=_portal_index_url, index_label=_portal_index_label)


def _own(request, organisation_id) -> bool:
    return parties.represents(request.user, organisation_id)


@requires(OWN)
@require_safe
def portal_index(request):
    """The subsoil users the representative acts for, each with its statement and the notices of
    its open obligations."""
    organisations = list(parties.organisations_of(request.user).filter(subsoil_user=True).order_by("name_ru"))
    owed = list(
        obligation_selectors.obligations()
        .filter(holder__in=organisations)
        .filter(outstanding__gt=0)
        .order_by("holder__name_ru", "year", "reference")
    )
    return render(
        request,
        "levy/reports/portal_index.html",
        {
            "organisations": organisations,
            "obligations": owed,
            "notice_labels": notice_labels(),
            "today": policy.today(),
        },
    )


@own_report
def portal_statement(request, bin: str):
    holder = Organisation.objects.filter(bin=bin).first()
    if holder is None or not _own(request, holder.pk):
        raise Http404(_("There is no such statement."))
    return _respond_statement(
        request,
        holder,
        index_url=_portal_index_url(),
        index_label=_portal_index_label(),
        notice_url=f"{PORTAL_NS}:notice",
    )


@requires(OWN)
@require_safe
def portal_notice(request, reference: str, kind: str):
    obligation = _obligation(reference)
    if obligation is None or not _own(request, obligation.holder_id):
        raise Http404(_("There is no such notice."))
    return _notice(obligation, kind)

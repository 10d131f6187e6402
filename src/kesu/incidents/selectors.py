"""Reads of incidents: lists, one incident's figures, a complaint's incident, the active incidents for
a caller (deflection), and the figures analytics reads (per incident and overall)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime

from django.db.models import Count, Min, Q

from kesu.complaints.models import ComplaintEvent, EventKind
from kesu.core.errors import FieldError
from kesu.customers.identities import phone_normalise
from kesu.customers.models import CustomerIdentity, IdentityKind
from kesu.incidents.models import (
    BurstSuggestion,
    Deflection,
    Incident,
    IncidentLink,
    Source,
    State,
    SuggestionState,
)
from kesu.incidents.scope import CompiledScope, Facts, region_segments

ACTIVE = (State.ACTIVE, State.MONITORING)


@dataclass(frozen=True)
class Figures:
    linked: int
    waiting: int
    with_handler: int
    answered: int
    deflected: int
    deflected_ivr: int
    deflected_portal: int
    closed_by_incident: int
    self_healed: int
    self_healed_share: float | None
    first_match_at: datetime | None
    time_to_declaration_minutes: float | None

    def as_dict(self) -> dict:
        return asdict(self)


_HANDLER_KINDS = (EventKind.ASSIGNED, EventKind.STARTED, EventKind.NOTE, EventKind.CONTACTED, EventKind.TRANSFERRED)


def incident_figures(incident: Incident) -> Figures:
    """Linked; answered (sent at least the first announcement); deflected (IVR, portal); self-healed
    share = closed by the incident with no handler action ÷ linked; time from the first matching
    complaint to the declaration."""
    links = IncidentLink.objects.filter(incident=incident)
    counts = links.aggregate(
        linked=Count("pk"), waiting=Count("pk", filter=Q(waits=True)),
        answered=Count("pk", filter=Q(answered_version__gt=0)),
        closed=Count("pk", filter=Q(closed_by_incident_at__isnull=False)),
        first=Min("complaint__created_at"),
    )
    handled = set(
        ComplaintEvent.objects.filter(complaint__incident_link__incident=incident, kind__in=_HANDLER_KINDS,
                                      actor__isnull=False).values_list("complaint_id", flat=True).distinct()
    )
    closed_ids = set(links.filter(closed_by_incident_at__isnull=False).values_list("complaint_id", flat=True))
    self_healed = len(closed_ids - handled)
    deflections = dict(Deflection.objects.filter(incident=incident).values_list("source").annotate(n=Count("pk")))
    first = counts["first"]
    to_declaration = None
    if first is not None and first < incident.declared_at:
        to_declaration = round((incident.declared_at - first).total_seconds() / 60, 1)
    elif first is not None:
        to_declaration = 0.0
    linked = counts["linked"]
    return Figures(
        linked=linked, waiting=counts["waiting"], with_handler=linked - counts["waiting"],
        answered=counts["answered"], deflected=sum(deflections.values()),
        deflected_ivr=deflections.get(Source.IVR, 0), deflected_portal=deflections.get(Source.PORTAL, 0),
        closed_by_incident=counts["closed"], self_healed=self_healed,
        self_healed_share=round(self_healed / linked, 3) if linked else None,
        first_match_at=first, time_to_declaration_minutes=to_declaration,
    )


def incidents_overview() -> dict:
    """The figures over all incidents (what analytics shows next to its own)."""
    links = IncidentLink.objects.aggregate(
        linked=Count("pk"), answered=Count("pk", filter=Q(answered_version__gt=0)),
        closed=Count("pk", filter=Q(closed_by_incident_at__isnull=False)))
    per = [incident_figures(i) for i in Incident.objects.all()]
    waits = [f.time_to_declaration_minutes for f in per if f.time_to_declaration_minutes is not None]
    self_healed = sum(f.self_healed for f in per)
    return {
        "incidents": len(per), "active": Incident.objects.filter(state__in=ACTIVE).count(),
        "linked": links["linked"], "answered": links["answered"],
        "deflected": Deflection.objects.count(),
        "deflected_ivr": Deflection.objects.filter(source=Source.IVR).count(),
        "deflected_portal": Deflection.objects.filter(source=Source.PORTAL).count(),
        "self_healed_share": round(self_healed / links["linked"], 3) if links["linked"] else None,
        "time_to_declaration_minutes_median": sorted(waits)[len(waits) // 2] if waits else None,
    }


def incident_list(*, state: str = "") -> list[Incident]:
    rows = Incident.objects.select_related("owner").annotate(linked_count=Count("links"))
    if state:
        rows = rows.filter(state=state)
    return list(rows.order_by("-declared_at", "-id"))


def incident_get(incident_id: int) -> Incident | None:
    return Incident.objects.select_related("owner", "declared_by").filter(pk=incident_id).first()


def complaint_incident(complaint_id: int) -> dict | None:
    """What a complaint's detail shows of its incident: id, title, state, how it was matched."""
    link = IncidentLink.objects.select_related("incident").filter(complaint_id=complaint_id).first()
    if link is None:
        return None
    incident = link.incident
    return {
        "id": incident.pk, "title": incident.title, "state": incident.state, "how": link.how,
        "score": link.score, "reasons": link.reasons, "waits": link.waits, "exception": link.exception,
        "linked_at": link.linked_at, "expected_recovery_at": incident.expected_recovery_at,
        "announcement": {"zh-hans": incident.announcement_zh, "en": incident.announcement_en},
    }


def linked_complaints(incident: Incident, *, limit: int = 200) -> list[IncidentLink]:
    return list(IncidentLink.objects.filter(incident=incident).select_related("complaint", "complaint__customer")
                .order_by("-linked_at", "-id")[:limit])


def incidents_for(*, phone: str = "", region: str = "", product: str = "") -> list[Incident]:
    """The active incidents that concern a caller (by the region of the customer with this phone), a
    region or a product — what an IVR plays before the caller is queued."""
    regions: list[str] = [region] if region else []
    if phone:
        normal = phone_normalise(phone)
        identity = CustomerIdentity.objects.select_related("customer").filter(kind=IdentityKind.PHONE,
                                                                              value=normal).first()
        if identity is not None and identity.customer.region:
            regions.append(identity.customer.region)
    found = []
    for incident in Incident.objects.filter(state__in=ACTIVE).order_by("-declared_at"):
        scope = incident.scope or {}
        scoped_regions = scope.get("regions") or []
        products = [p.lower() for p in scope.get("products") or []]
        by_region = any(r.startswith(s) or s.startswith(r) for r in regions for s in scoped_regions) if regions else False
        by_product = bool(product) and product.lower() in products
        if not scoped_regions and regions and not product:
            by_region = False
        if by_region or by_product:
            found.append(incident)
    return found


def incident_for_text(*, text: str, region: str = "", product: str = "") -> Incident | None:
    """The portal's check before filing: the active incident the customer's text (and region) matches."""
    facts = Facts(region=region, customer_region="", product=product, categories=frozenset(), tags=frozenset(),
                  text=text)
    best = None
    for incident in Incident.objects.filter(state__in=ACTIVE).order_by("-declared_at"):
        scope = CompiledScope.compile(incident.pk, incident.starts_at, incident.scope)
        found = scope.match(facts)
        if found is not None and (best is None or found.score > best[1]):
            best = (incident, found.score)
    return best[0] if best else None


def suggestions_open() -> list[BurstSuggestion]:
    return list(BurstSuggestion.objects.filter(state=SuggestionState.OPEN).order_by("-created_at"))



def incident_panel(user, complaint_id: int) -> dict:
    """What the complaint page (the handler's desk) shows of the complaint's incident."""
    return {"incident_link": complaint_incident(complaint_id),
            "incident_can_handle": bool(user.can("complaint.handle"))}


def incidents_public() -> list[Incident]:
    """The active incidents the portal shows (newest first)."""
    return list(Incident.objects.filter(state__in=ACTIVE).order_by("-declared_at")[:10])


def incident_regions() -> dict[str, list[str]]:
    """The provinces, cities and districts the active incidents' scopes name (the portal's region
    field offers them), each level in the order first named."""
    levels: dict[str, list[str]] = {"provinces": [], "cities": [], "districts": []}
    for scope in Incident.objects.filter(state__in=ACTIVE).values_list("scope", flat=True):
        for region in (scope or {}).get("regions") or ():
            parts = region_segments(region)
            named = {"provinces": parts[0]} if parts else {}
            if len(parts) == 2:  # 广东省深圳市, or a municipality's district: 北京市朝阳区
                named["cities" if parts[1].endswith(("市", "州", "盟", "地区")) else "districts"] = parts[1]
            elif len(parts) >= 3:
                named["cities"], named["districts"] = parts[1], parts[2]
            for level, name in named.items():
                if name not in levels[level]:
                    levels[level].append(name)
    return levels


def portal_match(*, text: str, phone: str = "", email: str = "", region: str = "") -> Incident | None:
    """Before a portal customer files: the active incident their text matches, using the region they
    gave on the form, else the region of the customer known by this phone or e-mail, and any region
    their text names."""
    if region:
        return incident_for_text(text=text, region=region)
    try:
        phone = phone_normalise(phone) if phone else ""
    except FieldError:  # not a phone number: the form says so when the complaint is filed
        phone = ""
    for kind, value in ((IdentityKind.PHONE, phone), (IdentityKind.EMAIL, (email or "").strip().lower())):
        if value:
            identity = CustomerIdentity.objects.select_related("customer").filter(kind=kind, value=value).first()
            if identity is not None and identity.customer.region:
                region = identity.customer.region
                break
    return incident_for_text(text=text, region=region)

"""Writers for customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kesu.core.bulk import rows_create
from kesu.core.errors import FieldError, FieldErrors
from kesu.core.prepared import PreparedQuery
from kesu.customers.identities import identity_normalise
from kesu.customers.models import Customer, CustomerIdentity, IdentityKind, Tier


@dataclass(frozen=True)
class CustomerHandles:
    """What an intake knows about who is complaining."""

    name: str = ""
    phone: str = ""
    email: str = ""
    external_id: str = ""
    tier: str = ""
    region: str = ""

    def identities(self) -> list[tuple[str, str]]:
        pairs = [
            (IdentityKind.PHONE, self.phone),
            (IdentityKind.EMAIL, self.email),
            (IdentityKind.EXTERNAL, self.external_id),
        ]
        return [(str(kind), identity_normalise(kind, raw)) for kind, raw in pairs if raw]

    def check(self) -> list[tuple[str, str]]:
        """Validate every handle and the tier; return the normalised identities.

        Raises FieldErrors naming every bad field, not just the first.
        """
        errors: list[FieldError] = []
        pairs: list[tuple[str, str]] = []
        for kind, raw in (
            (IdentityKind.PHONE, self.phone),
            (IdentityKind.EMAIL, self.email),
            (IdentityKind.EXTERNAL, self.external_id),
        ):
            if raw:
                try:
                    pairs.append((str(kind), identity_normalise(kind, raw)))
                except FieldError as error:
                    errors.append(error)
        if not self.phone and not self.email and not self.external_id and not self.name.strip():
            errors.append(
                FieldError("customer", "customer.handles_missing")
            )
        if self.tier and self.tier not in Tier.values:
            errors.append(
                FieldError("customer.tier", "field.unknown", value=self.tier, choices=list(Tier.values))
            )
        if errors:
            raise FieldErrors(errors)
        return pairs


_IDENTITY = PreparedQuery(  # every intake reads it: compiled once (issue 16)
    lambda kind, value: CustomerIdentity.objects.select_related("customer")
    .filter(kind=kind, value=value).order_by("pk")[:1],
    kind=str, value=str,
)


def customer_find_or_create(*, handles: CustomerHandles, now: datetime) -> Customer:
    """Find the customer by any of their handles, or create one; add handles we did not know yet.

    Must run inside a transaction (complaint intake calls it from its own).
    """
    pairs = handles.check()
    customer, found_at = None, 0
    for index, (kind, value) in enumerate(pairs):
        identity = _IDENTITY.first(kind=kind, value=value)
        if identity:
            customer, found_at = identity.customer, index
            break
    if customer is None:
        customer = Customer(
            name=handles.name.strip()[:128] or pairs[0][1],
            tier=handles.tier or Tier.REGULAR,
            region=handles.region[:64],
            created_at=now,
        )
        rows_create(Customer, [customer])  # as ``save()`` writes it, without Django's insert compiler
        customer.created_just_now = True  # type: ignore[attr-defined]  # no complaints yet: intake need not look
        new_pairs = pairs
    else:
        # the handles before the one found belong to no one; only those after it may be known
        later = pairs[found_at + 1:]
        known = set(customer.identities.values_list("kind", "value")) if later else set()
        new_pairs = [*pairs[:found_at], *(pair for pair in later if pair not in known)]
    if new_pairs:
        # a handle that already belongs to another customer stays there (ignore_conflicts)
        rows_create(
            CustomerIdentity,
            [CustomerIdentity(customer=customer, kind=kind, value=value) for kind, value in new_pairs],
            ignore_conflicts=True,
        )
    return customer

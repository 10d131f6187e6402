"""Writers for customers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kesu.core.errors import FieldError, FieldErrors
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


def customer_find_or_create(*, handles: CustomerHandles, now: datetime) -> Customer:
    """Find the customer by any of their handles, or create one; add handles we did not know yet.

    Must run inside a transaction (complaint intake calls it from its own).
    """
    pairs = handles.check()
    customer = None
    for kind, value in pairs:
        identity = CustomerIdentity.objects.select_related("customer").filter(kind=kind, value=value).first()
        if identity:
            customer = identity.customer
            break
    if customer is None:
        customer = Customer.objects.create(
            name=handles.name.strip()[:128] or pairs[0][1],
            tier=handles.tier or Tier.REGULAR,
            region=handles.region[:64],
            created_at=now,
        )
        new_pairs = pairs
    else:
        known = set(customer.identities.values_list("kind", "value"))
        new_pairs = [pair for pair in pairs if pair not in known]
    if new_pairs:
        # a handle that already belongs to another customer stays there (ignore_conflicts)
        CustomerIdentity.objects.bulk_create(
            [CustomerIdentity(customer=customer, kind=kind, value=value) for kind, value in new_pairs],
            ignore_conflicts=True,
        )
    return customer

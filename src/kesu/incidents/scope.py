"""An incident's scope, checked and compiled once; matching a complaint against it is pure and cheap.

A scope names regions (a tree written as the complaint centre writes it: ``广东省深圳市南山区`` is
below ``广东省深圳市``), products, categories (a category covers its sub-categories), tags and keywords.
A complaint matches on each dimension the scope names; regions are required when named. The score
is the share of the named dimensions that match (regions included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kesu.core.errors import FieldError, FieldErrors

DIMENSIONS = ("regions", "products", "categories", "tags", "keywords")
MAX_ITEMS = 200
MAX_ITEM = 64
_SEGMENT = re.compile(r".+?(?:自治区|特别行政区|新区|省|市|区|县|旗|镇|乡|街道)")


def region_segments(region: str) -> list[str]:
    """``广东省深圳市南山区`` → ``["广东省", "深圳市", "南山区"]`` (a trailing rest kept as is)."""
    parts = _SEGMENT.findall(region)
    rest = region[sum(len(p) for p in parts):]
    return parts + ([rest] if rest else [])


def _short(segment: str) -> str:
    """The name without its level (``南山区`` → ``南山``), used to find a region named in free text."""
    for suffix in ("特别行政区", "自治区", "新区", "街道", "省", "市", "区", "县", "旗", "镇", "乡"):
        if segment.endswith(suffix) and len(segment) > len(suffix) + 1:
            return segment[: -len(suffix)]
    return segment


def scope_clean(raw: object, *, categories: frozenset[str] | None = None, field_name: str = "scope") -> dict:
    """A scope from the API / a form: every bad item is named (``scope.regions[2]``), at once. At least
    one dimension must be given, or the incident would match every complaint."""
    if not isinstance(raw, dict):
        raise FieldError(field_name, "incident.scope_not_object")
    errors: list[FieldError] = []
    clean: dict[str, list[str]] = {}
    for name in raw:
        if name not in DIMENSIONS:
            errors.append(FieldError(f"{field_name}.{name}", "incident.scope_unknown", name=name))
    for name in DIMENSIONS:
        values = raw.get(name) or []
        if not isinstance(values, list):
            errors.append(FieldError(f"{field_name}.{name}", "incident.scope_not_list"))
            continue
        if len(values) > MAX_ITEMS:
            errors.append(FieldError(f"{field_name}.{name}", "field.list_too_long", limit=MAX_ITEMS))
            continue
        items: list[str] = []
        for i, value in enumerate(values):
            where = f"{field_name}.{name}[{i}]"
            if not isinstance(value, str) or not value.strip():
                errors.append(FieldError(where, "field.required"))
            elif len(value.strip()) > MAX_ITEM:
                errors.append(FieldError(where, "field.too_long", limit=MAX_ITEM, got=len(value.strip())))
            elif name == "categories" and categories is not None and value.strip() not in categories:
                errors.append(FieldError(where, "category.unknown", value=value.strip()))
            elif name == "keywords" and len(value.strip()) < 2:
                errors.append(FieldError(where, "incident.keyword_short", value=value.strip()))
            else:
                items.append(value.strip())
        clean[name] = sorted(set(items), key=items.index)
    if not errors and not any(clean.values()):
        errors.append(FieldError(field_name, "incident.scope_empty"))
    if errors:
        raise FieldErrors(errors)
    return clean


@dataclass(frozen=True)
class Facts:
    """What matching reads of a complaint (built once per intake)."""

    region: str
    customer_region: str
    product: str
    categories: frozenset[str]  # its category and the ancestors
    tags: frozenset[str]
    text: str


@dataclass(frozen=True)
class Match:
    score: float
    reasons: tuple[dict, ...]


@dataclass
class CompiledScope:
    incident_id: int
    starts_at: object
    regions: tuple[str, ...]
    region_words: tuple[tuple[str, str], ...]  # (region, the most specific name as written in text)
    products: frozenset[str]
    categories: frozenset[str]
    tags: frozenset[str]
    keywords: tuple[str, ...]
    keyword_pattern: re.Pattern | None = field(default=None)
    dimensions: int = 0

    @classmethod
    def compile(cls, incident_id: int, starts_at, scope: dict) -> CompiledScope:
        regions = tuple(scope.get("regions") or ())
        words = []
        for region in regions:
            last = region_segments(region)[-1] if region else ""
            if last:
                words.append((region, _short(last)))
        keywords = tuple(scope.get("keywords") or ())
        return cls(
            incident_id=incident_id, starts_at=starts_at, regions=regions, region_words=tuple(words),
            products=frozenset(p.lower() for p in scope.get("products") or ()),
            categories=frozenset(scope.get("categories") or ()), tags=frozenset(scope.get("tags") or ()),
            keywords=keywords,
            keyword_pattern=re.compile("|".join(map(re.escape, keywords))) if keywords else None,
            dimensions=sum(1 for name in DIMENSIONS if scope.get(name)),
        )

    def match(self, facts: Facts) -> Match | None:
        """None when the complaint is outside the scope (a named region that does not match, or no
        dimension at all); else the share of named dimensions that match, with the reasons."""
        reasons: list[dict] = []
        if self.regions:
            region = _region_match(self, facts)
            if region is None:
                return None
            reasons.append(region)
        if self.products and facts.product.lower() in self.products:
            reasons.append({"on": "product", "value": facts.product})
        common = self.categories & facts.categories
        if common:
            reasons.append({"on": "category", "value": sorted(common)[0]})
        tags = self.tags & facts.tags
        if tags:
            reasons.append({"on": "tag", "value": sorted(tags)[0]})
        if self.keyword_pattern is not None:
            found = sorted(set(self.keyword_pattern.findall(facts.text)))
            if found:
                reasons.append({"on": "words", "value": "、".join(found[:5])})
        matched = len(reasons)
        if matched == 0 or (self.regions and matched == 1 and self.dimensions > 1):
            return None  # the region alone does not make an outage complaint
        return Match(score=round(matched / self.dimensions, 3), reasons=tuple(reasons))


def _region_match(scope: CompiledScope, facts: Facts) -> dict | None:
    for region in scope.regions:
        if facts.region and facts.region.startswith(region):
            return {"on": "region", "value": region, "from": "complaint"}
    for region in scope.regions:
        if facts.customer_region and facts.customer_region.startswith(region):
            return {"on": "region", "value": region, "from": "customer"}
    for region, word in scope.region_words:
        if word and word in facts.text:
            return {"on": "region", "value": region, "from": "text"}
    return None

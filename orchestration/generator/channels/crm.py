"""CRM contacts: stale addresses after moves, old names after marriage, duplicates."""

from __future__ import annotations

from orchestration.generator import hazards as hz
from orchestration.generator.context import Ctx, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.timeline import DAY, END_TS

CONTACTS = "crm.contacts"

_LEAD = Weighted(["web", "store", "event", "referral"], [45, 35, 12, 8])


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("crm"):
        return
    r, tl = ctx.r, ctx.timeline
    created = tl.online_ts(r, p.start_ts, max(p.start_ts, p.end_ts - 10 * DAY))
    _contact(ctx, p, trail, created, duplicate=False)
    if r.chance(ctx.rates.duplicate_account) and created < END_TS - 30 * DAY:
        _contact(ctx, p, trail, tl.online_ts(r, created + 20 * DAY, END_TS), duplicate=True)


def _contact(ctx: Ctx, p: Person, trail: Trail, created: int, duplicate: bool) -> None:
    r, pr, rates = ctx.r, ctx.pr, ctx.rates
    tags: list[str] = []
    pr.person_tags(p, tags)
    if duplicate:
        tags.append(hz.DUPLICATE_ACCOUNT)
    contact_id = f"CT{ctx.next_id('crm_contact'):08d}"
    updated = created + int(r.u() ** 2 * (END_TS - created))
    missing = pr.missing
    first, last = pr.names(p, created, tags, updatable=True)
    addr = pr.address(p, created, tags, updatable=True)
    email = None if r.u() < 0.12 or missing(tags) else pr.email(p, tags)
    landline = None
    if p.household.landline is not None and r.u() < 0.5:
        landline = pr.format_phone(p.household.landline, tags)
        if p.household.size > 1:
            tags.append(hz.SHARED_PHONE)
    mobile = None
    if p.mobile is not None and r.u() < 0.65 and not missing(tags):
        mobile = pr.format_phone(p.mobile, tags)
    if r.chance(rates.junk_identifier):
        if r.u() < 0.5:
            email = pr.junk_email(tags)
        else:
            mobile = pr.junk_phone(tags)
    stage = "churned" if p.end_ts < END_TS else r.choice(("lead", "customer", "customer", "vip"))
    row: Row = {
        "contact_id": contact_id,
        "salutation": pr.salutation(p) or None if r.u() < 0.8 else None,
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": landline,
        "mobile": mobile,
        "street": None if missing(tags) else pr.street(addr.street, tags),
        "postcode": addr.postcode,
        "city": addr.city,
        "country": pr.country(addr.country),
        "birth_date": p.birth_day if r.u() < 0.5 else None,
        "lead_source": r.weighted(_LEAD),
        "lifecycle_stage": stage,
        "created_at": created,
        "updated_at": updated,
    }
    ctx.out.add_identity(CONTACTS, row, contact_id, p.person_id, tags)

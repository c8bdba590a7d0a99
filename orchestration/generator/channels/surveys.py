"""Survey and preference-centre responses: zero-party interests, values, channels."""

from __future__ import annotations

from orchestration.generator.context import Ctx, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.timeline import DAY

RESPONSES = "surveys.responses"

_INTERESTS = (
    "running",
    "yoga",
    "hiking",
    "football",
    "fitness",
    "cycling",
    "swimming",
    "tennis",
    "outdoor",
    "streetwear",
    "basketball",
    "skiing",
    "climbing",
)
_VALUES = (
    "sustainability",
    "price",
    "quality",
    "brand",
    "comfort",
    "design",
    "fair_trade",
    "local",
)
_CONTENT = ("offers", "new_arrivals", "guides", "events", "sustainability_stories")
_GENDER_WORDS = {
    "f": ("female", "weiblich", "w"),
    "m": ("male", "männlich", "m"),
    "d": ("diverse", "divers", "d"),
}


def _preferred_channel(ctx: Ctx, p: Person) -> str:
    options = []
    if p.uses("email"):
        options += ["email"] * 3
    if p.uses("sms"):
        options.append("sms")
    if p.uses("app"):
        options += ["app"] * 2
    options += ["post", "none"] if ctx.r.u() < 0.3 else []
    return ctx.r.choice(options) if options else ctx.r.choice(("email", "post", "none"))


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("survey"):
        return
    r, pr, cat = ctx.r, ctx.pr, ctx.catalog
    interests = r.sample(_INTERESTS, 1 + r.below(4))
    values = r.sample(_VALUES, 1 + r.below(3))
    content = r.sample(_CONTENT, 1 + r.below(3))
    preferred = _preferred_channel(ctx, p)
    nps_base = r.between(5, 10)
    n = 1 + (1 if r.u() < ctx.mix.surveys_per_respondent - 1 else 0)
    for _ in range(n):
        live = [
            s for s in cat.surveys if s.start_day * DAY < p.end_ts and s.end_day * DAY > p.start_ts
        ]
        survey = r.choice(live)
        lo = max(p.start_ts, survey.start_day * DAY)
        hi = min(p.end_ts, survey.end_day * DAY + DAY - 1)
        ts = ctx.timeline.online_ts(r, lo, hi)
        tags: list[str] = []
        email = pr.email(p, tags) if r.u() < 0.55 else None
        if r.chance(ctx.rates.junk_identifier):
            email = pr.junk_email(tags)
        give_name = r.u()
        first = last = None
        if give_name < 0.55:
            first, last = pr.names(p, ts, tags)
        elif give_name < 0.65:
            first = pr.first_name(p, tags)
        addr = pr.address(p, ts, tags) if r.u() < 0.6 else None
        if first or addr or email:
            pr.person_tags(p, tags)
        response_id = f"resp_{ctx.next_id('response'):010x}"
        row: Row = {
            "response_id": response_id,
            "survey_id": survey.survey_id,
            "submitted_at": ts,
            "email": email,
            "first_name": first,
            "last_name": last,
            "postcode": addr.postcode if addr else None,
            "birth_year": p.birth_year if r.u() < 0.5 else None,
            "gender": r.choice(_GENDER_WORDS[p.gender]) if r.u() < 0.6 else None,
            "interests": ";".join(interests),
            "purchase_values": ";".join(values),
            "preferred_channel": preferred,
            "content_preferences": ";".join(content),
            "nps": min(10, max(0, nps_base + r.between(-2, 1))),
        }
        ctx.out.add_identity(RESPONSES, row, response_id, p.person_id, tags)

"""Help desk tickets: requester email/phone/name as given, order numbers mentioned."""

from __future__ import annotations

from orchestration.generator.context import Ctx, Row, Trail
from orchestration.generator.population import Person
from orchestration.generator.rand import Weighted
from orchestration.generator.timeline import DAY, END_TS

TICKETS = "support.tickets"

_CHANNELS = Weighted(["email", "phone", "chat", "social"], [50, 25, 20, 5])
_ORDER_REASONS = Weighted(
    ["delivery", "return", "payment", "product_question", "complaint"], [35, 30, 10, 15, 10]
)
_OTHER_REASONS = Weighted(["product_question", "account", "complaint"], [50, 35, 15])


def run(ctx: Ctx, p: Person, trail: Trail) -> None:
    if not p.uses("support"):
        return
    r, pr, tl = ctx.r, ctx.pr, ctx.timeline
    orders = [(o.order_id, o.ts) for o in trail.web_orders] + trail.marketplace_orders
    n = max(1, r.poisson(ctx.mix.tickets_per_requester))
    for _ in range(n):
        tags: list[str] = []
        channel = r.weighted(_CHANNELS)
        ref = None
        if orders and r.u() < 0.7:
            ref, ots = r.choice(orders)
            created = min(END_TS, ots + DAY + int(r.expo(5 * DAY)))
            reason = r.weighted(_ORDER_REASONS)
        else:
            created = tl.online_ts(r, p.start_ts, p.end_ts)
            reason = r.weighted(_OTHER_REASONS)
        give_email = r.u() < {"email": 0.97, "chat": 0.7, "phone": 0.25, "social": 0.1}[channel]
        email = pr.email(p, tags) if give_email else None
        phone = None
        if channel == "phone" or r.u() < 0.1:
            phone = pr.phone(p, tags, landline_share=0.3)
        k = r.u()
        if k < 0.6:
            name = pr.full_name(p, created, tags)
        elif k < 0.85:
            name = pr.first_name(p, tags)
        elif k < 0.95:
            name = f"{pr.salutation(p)} {pr.last_name(p, created, tags)}".strip()
        else:
            name = None
        if name or email or phone:
            pr.person_tags(p, tags)
        u = r.u()
        recent = created > END_TS - 10 * DAY
        status = (
            "open" if (recent and u < 0.6) or u < 0.04 else ("pending" if u < 0.1 else "solved")
        )
        solved = min(END_TS, created + 600 + int(r.expo(DAY))) if status == "solved" else None
        ticket_id = f"T{ctx.next_id('ticket'):07d}"
        row: Row = {
            "ticket_id": ticket_id,
            "channel": channel,
            "created_at": created,
            "solved_at": solved,
            "requester_email": email,
            "requester_phone": phone,
            "requester_name": name,
            "order_reference": ref,
            "reason": reason,
            "status": status,
            "csat_score": r.between(1, 5) if solved and r.u() < 0.4 else None,
        }
        ctx.out.add_identity(TICKETS, row, ticket_id, p.person_id, tags)

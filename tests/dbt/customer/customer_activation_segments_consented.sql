{#- Only consenting customers are in an activation-purpose segment (var
    customer_segment_purpose_consent): every current member of such a segment has
    consent (customer_consent_spells: granted, for the purpose and channel the var
    maps the segment's purpose to, or the segment's own channel) valid at the
    segment's latest evaluation. Returns each offending membership. Past entries:
    customer_activation_entries_consented (warn). -#}
{{ config(tags=['customer'], meta={'dagster': {'ref': {'name': 'customer_segment_memberships'}}}) }}
with

memberships as (

    select membership_key, customer_id, segment_name, purpose, entered_at, is_current
    from {{ ref('customer_segment_memberships') }}

),

latest_evaluations as (

    select segment_name, max(evaluated_at) as evaluated_at
    from {{ ref('customer_segment_evaluations') }}
    group by segment_name

),

gates as (

    {{ segment_consent_gates() }}

),

checks as (

    select memberships.membership_key, memberships.customer_id, memberships.segment_name, latest_evaluations.evaluated_at as checked_at,
        gates.consent_purpose, gates.consent_channel
    from memberships
    inner join gates on memberships.segment_name = gates.segment_name
    inner join latest_evaluations on memberships.segment_name = latest_evaluations.segment_name
    where memberships.is_current

)

{{ unconsented('checks') }}

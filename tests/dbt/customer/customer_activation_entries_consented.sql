{#- Every membership spell of an activation-purpose segment started with consent
    valid at its entry, as the consent history is known now. A warning, not an
    error: a statement that arrives late (an unsubscribe exported days after it was
    made) can show that a past entry, gated correctly on what was known then, had no
    consent; the current members are checked strictly by
    customer_activation_segments_consented. Returns each such spell. -#}
{{ config(tags=['customer'], severity='warn', meta={'dagster': {'ref': {'name': 'customer_segment_memberships'}}}) }}
with

memberships as (

    select membership_key, customer_id, segment_name, purpose, entered_at, is_current
    from {{ ref('customer_segment_memberships') }}

),

gates as (

    {{ segment_consent_gates() }}

),

checks as (

    select memberships.membership_key, memberships.customer_id, memberships.segment_name, memberships.entered_at as checked_at,
        gates.consent_purpose, gates.consent_channel
    from memberships
    inner join gates on memberships.segment_name = gates.segment_name

)

{{ unconsented('checks') }}

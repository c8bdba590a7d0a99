{#- Every membership spell of an activation-purpose segment started with consent
    valid at its entry, as the consent history is known now. A warning, not an
    error: a statement that arrives late (an unsubscribe exported days after it was
    made) can show that a past entry, gated correctly on what was known then, had no
    consent; the current members are checked strictly by
    customer_activation_segments_consented. Returns each such spell. -#}
{{ config(tags=['customer'], severity='warn', meta={'dagster': {'ref': {'name': 'customer_segment_memberships'}}}) }}
{%- set consent = var('customer_segment_purpose_consent') %}
with

memberships as (

    select membership_key, customer_id, segment_name, purpose, entered_at, is_current
    from {{ ref('customer_segment_memberships') }}

),

gates as (

    select cast(null as {{ dbt.type_string() }}) as segment_name, cast(null as {{ dbt.type_string() }}) as consent_purpose,
        cast(null as {{ dbt.type_string() }}) as consent_channel
    where 1 = 0
{%- for seg in var('customer_segments') if seg.purpose in consent %}
    {%- set gate = consent[seg.purpose] %}
    {%- set channel = seg.get('channel') or gate.get('channel') %}
    union all
    select '{{ seg.name }}', '{{ gate.purpose }}', {% if channel %}'{{ channel }}'{% else %}cast(null as {{ dbt.type_string() }}){% endif %}
{%- endfor %}

),

checks as (

    select memberships.membership_key, memberships.customer_id, memberships.segment_name, memberships.entered_at as checked_at,
        gates.consent_purpose, gates.consent_channel
    from memberships
    inner join gates on memberships.segment_name = gates.segment_name

)

select checks.membership_key, checks.customer_id, checks.segment_name, checks.checked_at
from checks
where not exists (
    select 1
    from {{ ref('customer_consent_spells') }} as spells
    where spells.customer_id = checks.customer_id
        and spells.is_consented
        and spells.purpose = checks.consent_purpose
        and (checks.consent_channel is null or spells.channel = checks.consent_channel)
        and spells.valid_from <= checks.checked_at
        and (spells.valid_to is null or spells.valid_to > checks.checked_at)
)

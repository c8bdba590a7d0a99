{#- Shared by the activation consent tests (tests/dbt/customer/customer_activation_*).

    segment_consent_gates(): one row per activation-purpose segment of var
    customer_segments with the consent purpose and channel (the segment's own channel,
    else the one var customer_segment_purpose_consent maps its purpose to) its members
    need.

    unconsented(checks): the rows of CTE `checks` (membership_key, customer_id,
    segment_name, checked_at, consent_purpose, consent_channel) with no granted consent
    spell (customer_consent_spells) for that purpose and channel valid at checked_at. -#}
{% macro segment_consent_gates() -%}
    {%- set consent = var('customer_segment_purpose_consent') -%}
    select cast(null as {{ dbt.type_string() }}) as segment_name, cast(null as {{ dbt.type_string() }}) as consent_purpose,
        cast(null as {{ dbt.type_string() }}) as consent_channel
    where 1 = 0
{%- for seg in var('customer_segments') if seg.purpose in consent %}
    {%- set gate = consent[seg.purpose] %}
    {%- set channel = seg.get('channel') or gate.get('channel') %}
    union all
    select '{{ seg.name }}', '{{ gate.purpose }}', {% if channel %}'{{ channel }}'{% else %}cast(null as {{ dbt.type_string() }}){% endif %}
{%- endfor %}
{%- endmacro %}

{% macro unconsented(checks) -%}
select {{ checks }}.membership_key, {{ checks }}.customer_id, {{ checks }}.segment_name, {{ checks }}.checked_at
from {{ checks }}
where not exists (
    select 1
    from {{ ref('customer_consent_spells') }} as spells
    where spells.customer_id = {{ checks }}.customer_id
        and spells.is_consented
        and spells.purpose = {{ checks }}.consent_purpose
        and ({{ checks }}.consent_channel is null or spells.channel = {{ checks }}.consent_channel)
        and spells.valid_from <= {{ checks }}.checked_at
        and (spells.valid_to is null or spells.valid_to > {{ checks }}.checked_at)
)
{%- endmacro %}

{#- Probabilistic matching (Fellegi-Sunter). Candidate pairs come from the blocking
    rules in var identity_blocking_rules; each comparison in var identity_comparisons
    puts a pair in its first level whose condition holds; the level's match weight is
    log2(m/u) with m and u estimated by Splink (seeds/identity/identity_match_weights.csv,
    retrain with `python -m orchestration.identity.training`). The pair's match weight
    is the prior's weight plus the sum of its levels' weights; every level and weight is
    kept so that each link can be explained. A pair in a level listed in var
    identity_veto_levels (a contradicting first name or birth date), or for which a
    condition in var identity_veto_rules holds (two accounts of one marketplace), never
    links; veto_reason names the first veto that applies. -#}
{%- set comparisons = var('identity_comparisons') -%}
{%- set vetoes = var('identity_veto_levels', []) -%}
{%- set veto_rules = var('identity_veto_rules', []) -%}
{%- set feature_columns = ['first_name_key', 'first_name_root', 'last_name_key', 'last_name_fold',
                           'birth_date', 'birth_year', 'postcode', 'street_key', 'city_key',
                           'email_hash', 'email_local', 'email_domain', 'phone_e164',
                           'marketplace_buyer'] -%}

{%- set veto_cases = [] -%}
{%- for v in vetoes -%}
    {%- set parts = v.split('.') -%}
    {%- do veto_cases.append({'when': parts[0] ~ "_level = '" ~ parts[1] ~ "'", 'reason': v}) -%}
{%- endfor -%}

with

features as (

    select
        record_key,
        {{ feature_columns | join(',\n        ') }}
    from {{ ref('int_identity_match_features') }}

),

weights as (

    select
        comparison,
        level,
        cast(m_probability as double) as m_probability,
        cast(u_probability as double) as u_probability
    from {{ ref('identity_match_weights') }}

),

prior as (

    select
        {{ log2_expr('m_probability / (cast(1 as double) - m_probability)') }} as prior_weight
    from weights
    where comparison = '__prior__'

),

candidate_pairs as (

    {% for rule in var('identity_blocking_rules') -%}
    select l.record_key as record_key_l, r.record_key as record_key_r
    from features as l
    inner join features as r
        on {{ rule }}
        and l.record_key < r.record_key
    {% if not loop.last %}union
    {% endif -%}
    {%- endfor %}

),

compared as (

    select
        candidate_pairs.record_key_l,
        candidate_pairs.record_key_r,
        {%- for c in comparisons %}
        case
            {%- for level in c.levels %}
            when {{ level.sql }} then '{{ level.label }}'
            {%- endfor %}
        end as {{ c.name }}_level,
        {%- endfor %}
        {%- if veto_rules %}
        case
            {%- for rule in veto_rules %}
            when {{ rule.sql }} then '{{ rule.name }}'
            {%- endfor %}
        end as veto_rule
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as veto_rule
        {%- endif %}
    from candidate_pairs
    inner join (
        select
            record_key,
            {%- for col in feature_columns %}
            {{ col }} as {{ col }}_l{{ ',' if not loop.last }}
            {%- endfor %}
        from features
    ) as l on candidate_pairs.record_key_l = l.record_key
    inner join (
        select
            record_key,
            {%- for col in feature_columns %}
            {{ col }} as {{ col }}_r{{ ',' if not loop.last }}
            {%- endfor %}
        from features
    ) as r on candidate_pairs.record_key_r = r.record_key

),

weighted as (

    select
        compared.record_key_l,
        compared.record_key_r,
        {%- for c in comparisons %}
        compared.{{ c.name }}_level,
        coalesce({{ log2_expr('w_' ~ c.name ~ '.m_probability / w_' ~ c.name ~ '.u_probability') }}, cast(0 as double)) as {{ c.name }}_weight,
        {%- endfor %}
        compared.veto_rule,
        prior.prior_weight
    from compared
    cross join prior
    {%- for c in comparisons %}
    left join weights as w_{{ c.name }}
        on w_{{ c.name }}.comparison = '{{ c.name }}'
        and w_{{ c.name }}.level = compared.{{ c.name }}_level
        and compared.{{ c.name }}_level <> 'null'
    {%- endfor %}

),

scored as (

    select
        weighted.*,
        prior_weight {%- for c in comparisons %} + {{ c.name }}_weight{% endfor %} as match_weight
    from weighted

),

vetoed as (

    select
        scored.*,
        {%- if veto_cases %}
        case
            {%- for v in veto_cases %}
            when {{ v.when }} then '{{ v.reason }}'
            {%- endfor %}
            else veto_rule
        end as veto_reason
        {%- else %}
        veto_rule as veto_reason
        {%- endif %}
    from scored

)

select
    record_key_l,
    record_key_r,
    {%- for c in comparisons %}
    {{ c.name }}_level,
    {{ c.name }}_weight,
    {%- endfor %}
    prior_weight,
    match_weight,
    cast(1 as double) / (cast(1 as double) + power(cast(2 as double), -match_weight)) as match_probability,
    cast(veto_reason as {{ dbt.type_string() }}) as veto_reason,
    veto_reason is not null as is_vetoed,
    veto_reason is null
        and cast(1 as double) / (cast(1 as double) + power(cast(2 as double), -match_weight))
        >= cast({{ var('identity_match_threshold') }} as double) as is_match
from vetoed

{#- Probabilistic matching (Fellegi-Sunter). Candidate pairs come from the blocking
    rules in var identity_blocking_rules; each comparison in var identity_comparisons
    puts a pair in its first level whose condition holds; the level's match weight is
    log2(m/u) with m and u estimated by Splink (seeds/identity/identity_match_weights.csv,
    retrain with `python -m orchestration.identity.training`). The pair's match weight
    is the prior's weight plus the sum of its levels' weights; every level and weight is
    kept so that each link can be explained. A pair in a level listed in var
    identity_veto_levels (a contradicting first name or birth date), or for which a
    condition in var identity_veto_rules holds (two accounts of one marketplace), or
    that agrees on none of the comparisons in var identity_required_evidence (a name
    alone: at scale many people share one), never links; veto_reason names the first
    veto that applies.

    The prior (log-odds that two random records are one person) shrinks as the data
    grows: N records hold about N^2/2 pairs but only ~N matching ones. With var
    identity_prior = 'estimated' (the default) it is re-estimated on every build the way
    Splink trains it: the pairs var identity_prior_rules find, over all pairs, divided
    by var identity_prior_rule_recall (the share of true matches those rules find);
    'seed' takes the trained value from the weights seed instead.

    A level with `tf_adjust: <column>` is term-frequency adjusted (Splink's method): its
    u is the share of records carrying the pair's value instead of the level's average,
    so "Sophie Schmitz" agreeing counts for more than "Thomas Müller" agreeing. -#}
{%- set comparisons = var('identity_comparisons') -%}
{%- set vetoes = var('identity_veto_levels', []) -%}
{%- set veto_rules = var('identity_veto_rules', []) -%}
{%- set prior_source = var('identity_prior', 'estimated') -%}
{%- set evidence = var('identity_required_evidence', []) -%}
{%- set tf_levels = [] -%}
{%- for c in comparisons -%}
    {%- for level in c.levels if level.get('tf_adjust') -%}
        {%- do tf_levels.append({'comparison': c.name, 'label': level.label, 'column': level.tf_adjust}) -%}
    {%- endfor -%}
{%- endfor -%}
{%- set feature_columns = ['first_name_key', 'first_name_root', 'last_name_key', 'last_name_fold',
                           'birth_date', 'birth_year', 'postcode', 'street_key', 'city_key',
                           'email_hash', 'email_local', 'email_domain', 'phone_e164',
                           'marketplace_buyer'] -%}

{%- set veto_cases = [] -%}
{%- for v in vetoes -%}
    {#- 'first_name.else', or levels that veto together: 'first_name.initial+email.else' -#}
    {%- set terms = [] -%}
    {%- for part in v.split('+') -%}
        {%- set cl = part.split('.') -%}
        {%- do terms.append(cl[0] ~ "_level = '" ~ cl[1] ~ "'") -%}
    {%- endfor -%}
    {%- do veto_cases.append({'when': terms | join(' and '), 'reason': v}) -%}
{%- endfor -%}
{%- if evidence -%}
    {%- set agreements = [] -%}
    {%- for c in evidence -%}
        {%- do agreements.append(c ~ "_level not in ('null', 'else')") -%}
    {%- endfor -%}
    {%- do veto_cases.append({'when': 'not (' ~ (agreements | join(' or ')) ~ ')', 'reason': 'no_evidence_beyond_name'}) -%}
{%- endif -%}

with

features as (

    select
        record_key,
        {{ feature_columns | join(',\n        ') }}
    from {{ ref('int_identity_match_features') }}

),

feature_count as (

    select cast(count(*) as double) as records from features

),

weights as (

    select
        comparison,
        level,
        cast(m_probability as double) as m_probability,
        cast(u_probability as double) as u_probability
    from {{ ref('identity_match_weights') }}

),

{% if prior_source == 'estimated' %}
prior_pairs as (

    {{ rule_pairs('features', var('identity_prior_rules')) }}

),

prior_estimate as (

    select
        cast(count(*) as double)
        / (max(feature_count.records) * (max(feature_count.records) - 1) / 2)
        / cast({{ var('identity_prior_rule_recall') }} as double) as match_share
    from prior_pairs
    cross join feature_count

),

prior as (

    -- clamped: at least one match in a billion pairs, at most even odds
    select {{ log2_expr('match_share / (cast(1 as double) - match_share)') }} as prior_weight
    from (
        select least(greatest(coalesce(match_share, 0), cast(1e-9 as double)), cast(0.5 as double)) as match_share
        from prior_estimate
    ) as clamped

),
{% else %}
prior as (

    select
        {{ log2_expr('m_probability / (cast(1 as double) - m_probability)') }} as prior_weight
    from weights
    where comparison = '__prior__'

),
{% endif %}

{% for t in tf_levels -%}
tf_{{ t.comparison }} as (

    -- share of compared records carrying each value
    select
        {{ t.column }} as tf_value,
        cast(count(*) as double) / max(feature_count.records) as tf
    from features
    cross join feature_count
    where {{ t.column }} is not null
    group by {{ t.column }}

),

{% endfor -%}
candidate_pairs as (

    {{ rule_pairs('features', var('identity_blocking_rules')) }}

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
        {%- for t in tf_levels %}
        {{ t.column }}_l as tf_value_{{ t.comparison }},
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
        coalesce({{ log2_expr('w_' ~ c.name ~ '.m_probability / w_' ~ c.name ~ '.u_probability') }}, cast(0 as double))
        {%- for t in tf_levels if t.comparison == c.name %}
            + case
                when compared.{{ c.name }}_level = '{{ t.label }}' and tf_{{ c.name }}.tf is not null
                    then {{ log2_expr('w_' ~ c.name ~ '.u_probability / tf_' ~ c.name ~ '.tf') }}
                else cast(0 as double)
            end
        {%- endfor %} as {{ c.name }}_weight,
        {%- endfor %}
        compared.veto_rule,
        prior.prior_weight
    from compared
    cross join prior
    {%- for t in tf_levels %}
    left join tf_{{ t.comparison }} on compared.tf_value_{{ t.comparison }} = tf_{{ t.comparison }}.tf_value
    {%- endfor %}
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

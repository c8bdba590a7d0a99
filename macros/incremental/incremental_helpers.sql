{#- Incremental builds of the large fact tables (README "Incremental builds").

    On DuckDB these models are `incremental` with strategy delete+insert on a rebuild
    key: a run recomputes, from every staging row, only the touches / orders whose
    source rows were loaded since the model's newest load time, and replaces their old
    rows. Spark tables without Delta cannot delete rows, and an insert_overwrite of
    partitions would have to rewrite whole partitions that late-arriving events can
    reach anywhere in the past, so on Spark the same models build as tables. -#}
{% macro large_fact_materialization() -%}
    {{ return('incremental' if target.type == 'duckdb' else 'table') }}
{%- endmacro %}


{#- The earliest load time an incremental run reads: the newest `loaded_at` in the
    model's own table minus var incremental_lookback_minutes. A scalar subquery, for
    `where <staging>.loaded_at >= ...` inside `{% if is_incremental() %}`. Load time,
    not event time: a late event with an old timestamp is still a new row. -#}
{% macro incremental_loaded_since() -%}
    {{ return(adapter.dispatch('incremental_loaded_since', 'omnichannel_cdp')()) }}
{%- endmacro %}

{% macro default__incremental_loaded_since() -%}
    (
        select
            coalesce(max(loaded_at), cast('1900-01-01' as timestamp))
            - interval '{{ var("incremental_lookback_minutes") | int }}' minute
        from {{ this }}
    )
{%- endmacro %}

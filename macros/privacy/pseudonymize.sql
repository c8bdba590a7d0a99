{#- pseudonymize(col): HMAC-SHA256 of col (text, UTF-8) keyed by the secret in the
    environment variable CDP_PSEUDONYM_KEY, as 64 lowercase hex characters; null when
    col is null. Unlike hash_identifier, nobody without the key can recompute it from a
    guessed email or phone, and the key never appears in the SQL: on DuckDB it is the
    function cdp_pseudonym that dbt_plugins/cdp_pseudonym.py registers with the key, on
    Spark the JVM reads the variable. Pseudonymise normalised values (canonical email,
    E.164 phone) so that equal identifiers give equal pseudonyms. -#}
{% macro pseudonymize(col) -%}
    {{ return(adapter.dispatch('pseudonymize', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro duckdb__pseudonymize(col) -%}
    cdp_pseudonym(cast({{ col }} as varchar))
{%- endmacro %}

{#- commons-codec ships with Spark; System.getenv is read where the query runs. As on
    DuckDB, CDP_PSEUDONYM_DEV_KEY=1 stands in the public development key of
    dbt_plugins/cdp_pseudonym.py when no key is set (demos and tests only); without
    either, the query fails. reflect() returns an unset variable as the text 'null',
    which must never become the key. -#}
{% macro spark__pseudonymize(col) -%}
    cast(case when {{ col }} is not null then
        reflect('org.apache.commons.codec.digest.HmacUtils', 'hmacSha256Hex',
                coalesce(
                    nullif(reflect('java.lang.System', 'getenv', 'CDP_PSEUDONYM_KEY'), 'null'),
                    case when reflect('java.lang.System', 'getenv', 'CDP_PSEUDONYM_DEV_KEY') = '1'
                        then 'cdp-development-key-not-a-secret-do-not-use-in-production' end,
                    raise_error('CDP_PSEUDONYM_KEY is not set: no pseudonyms without the secret key')),
                cast({{ col }} as string))
    end as string)
{%- endmacro %}

{#- Generic text clean-up used by the normalisation macros and the staging models. -#}

{#- trim_to_null(col): cast to string, trim spaces, empty -> null. For ids, codes and
    free text that needs no other normalisation. -#}
{% macro trim_to_null(col) -%}
    {{ return(adapter.dispatch('trim_to_null', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__trim_to_null(col) -%}
    nullif(trim(cast({{ col }} as {{ dbt.type_string() }})), '')
{%- endmacro %}


{#- squish(col): every run of whitespace (incl. tab, newline, no-break space U+00A0 and
    BOM U+FEFF) becomes one space, then trimmed; empty -> null. -#}
{% macro squish(col) -%}
    {{ return(adapter.dispatch('squish', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__squish(col) -%}
    {%- set ws_run %}[\s\x{00A0}\x{FEFF}]+{% endset -%}
    nullif(trim({{ omnichannel_cdp.regexp_replace_all('cast(' ~ col ~ ' as ' ~ dbt.type_string() ~ ')', ws_run, ' ') }}), '')
{%- endmacro %}


{#- unicode_nfc(col): Unicode NFC composition, so "u" + combining diaeresis equals "ü".
    DuckDB: nfc_normalize(). Spark has no NFC function: its variant only composes the
    German umlauts (a/o/u/A/O/U + U+0308) and leaves every other decomposed sequence as
    it is (name_key() removes combining marks anyway). -#}
{% macro unicode_nfc(col) -%}
    {{ return(adapter.dispatch('unicode_nfc', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__unicode_nfc(col) -%}
    {%- set ns = namespace(expr=col) -%}
    {%- for base, composed in [('a', 'ä'), ('o', 'ö'), ('u', 'ü'), ('A', 'Ä'), ('O', 'Ö'), ('U', 'Ü')] -%}
        {%- set pattern = base ~ '\\x{0308}' -%}
        {%- set ns.expr = omnichannel_cdp.regexp_replace_all(ns.expr, pattern, composed) -%}
    {%- endfor -%}
    {{ ns.expr }}
{%- endmacro %}

{% macro duckdb__unicode_nfc(col) -%}
    nfc_normalize({{ col }})
{%- endmacro %}


{#- fold_accents(col): strip diacritics ("é" -> "e", "ñ" -> "n"). DuckDB: strip_accents().
    Elsewhere: translate() over the common precomposed Latin letters plus removal of
    combining marks (\p{M}); letters without a decomposition (ø, ł, æ) are kept. -#}
{% macro fold_accents(col) -%}
    {{ return(adapter.dispatch('fold_accents', 'omnichannel_cdp')(col)) }}
{%- endmacro %}

{% macro default__fold_accents(col) -%}
    {%- set accented = 'àáâãäåāăąçćĉčďèéêëēĕėęěĝğġģĥìíîïĩīĭįıĵķĺļľñńņňòóôõöōŏőŕŗřśŝşšșţťțùúûüũūŭůűųŵýÿŷźżž'
                      ~ 'ÀÁÂÃÄÅĀĂĄÇĆĈČĎÈÉÊËĒĔĖĘĚĜĞĠĢĤÌÍÎÏĨĪĬĮİĴĶĹĻĽÑŃŅŇÒÓÔÕÖŌŎŐŔŖŘŚŜŞŠȘŢŤȚÙÚÛÜŨŪŬŮŰŲŴÝŸŶŹŻŽ' -%}
    {%- set plain    = 'aaaaaaaaaccccdeeeeeeeeegggghiiiiiiiiijklllnnnnoooooooorrrssssstttuuuuuuuuuuwyyyzzz'
                      ~ 'AAAAAAAAACCCCDEEEEEEEEEGGGGHIIIIIIIIIJKLLLNNNNOOOOOOOORRRSSSSSTTTUUUUUUUUUUWYYYZZZ' -%}
    {%- if accented | length != plain | length -%}
        {{ exceptions.raise_compiler_error('fold_accents: translate tables differ in length') }}
    {%- endif -%}
    {%- set marks %}\p{M}{% endset -%}
    {{ omnichannel_cdp.regexp_replace_all('translate(' ~ col ~ ', ' ~ omnichannel_cdp.sql_string(accented) ~ ', ' ~ omnichannel_cdp.sql_string(plain) ~ ')', marks, '') }}
{%- endmacro %}

{% macro duckdb__fold_accents(col) -%}
    strip_accents({{ col }})
{%- endmacro %}

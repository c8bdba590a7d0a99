{#-
    Portable regular-expression helpers. Patterns are plain Jinja strings (not SQL
    expressions) and are quoted with sql_string() for the adapter. Write patterns in the
    common subset of RE2 (DuckDB) and java.util.regex (Spark): character classes,
    [+] / [.] for literal metacharacters, \s, \p{L}, \x{00A0}, {m,n}, anchors. Jinja string
    literals decode backslash escapes, so build patterns that contain backslashes in a
    {% set p %}...{% endset %} block.
-#}

{#- regexp_replace_all(col, pattern, replacement): replace every match of pattern.
    replacement is literal text (no back-references: \1 and $1 are not portable). -#}
{% macro regexp_replace_all(col, pattern, replacement) -%}
    {{ return(adapter.dispatch('regexp_replace_all', 'omnichannel_cdp')(col, pattern, replacement)) }}
{%- endmacro %}

{% macro default__regexp_replace_all(col, pattern, replacement) -%}
    regexp_replace({{ col }}, {{ omnichannel_cdp.sql_string(pattern) }}, {{ omnichannel_cdp.sql_string(replacement) }})
{%- endmacro %}

{#- DuckDB replaces only the first match unless the 'g' option is given; RE2 treats \ in
    the replacement specially (\1 back-references), so a literal backslash is doubled. -#}
{% macro duckdb__regexp_replace_all(col, pattern, replacement) -%}
    regexp_replace({{ col }}, {{ omnichannel_cdp.sql_string(pattern) }}, {{ omnichannel_cdp.sql_string(replacement | replace("\\", "\\\\")) }}, 'g')
{%- endmacro %}

{#- Java's replaceAll treats $ and \ in the replacement specially: escape them. -#}
{% macro spark__regexp_replace_all(col, pattern, replacement) -%}
    regexp_replace({{ col }}, {{ omnichannel_cdp.sql_string(pattern) }}, {{ omnichannel_cdp.sql_string(replacement | replace("\\", "\\\\") | replace("$", "\\$")) }})
{%- endmacro %}


{#- regexp_like(col, pattern): true when pattern matches anywhere in col (anchor it with
    ^...$ for a full match); null when col is null. -#}
{% macro regexp_like(col, pattern) -%}
    {{ return(adapter.dispatch('regexp_like', 'omnichannel_cdp')(col, pattern)) }}
{%- endmacro %}

{% macro default__regexp_like(col, pattern) -%}
    regexp_like({{ col }}, {{ omnichannel_cdp.sql_string(pattern) }})
{%- endmacro %}

{% macro duckdb__regexp_like(col, pattern) -%}
    regexp_matches({{ col }}, {{ omnichannel_cdp.sql_string(pattern) }})
{%- endmacro %}

{% macro spark__regexp_like(col, pattern) -%}
    ({{ col }} rlike {{ omnichannel_cdp.sql_string(pattern) }})
{%- endmacro %}

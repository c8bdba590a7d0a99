{#- Tie rule of the consent history: when one record carries conflicting consent
    statements at the same instant (e.g. a double opt-in and an unsubscribe with the
    same timestamp), the lower rank wins, so the safer answer - no consent - wins
    every tie: withdrawn, denied, undeliverable, pending, then granted. An unknown
    status ranks first (safest). -#}
{% macro consent_status_rank(column) -%}
    case {{ column }}
        when 'withdrawn' then 1
        when 'denied' then 2
        when 'undeliverable' then 3
        when 'pending' then 4
        when 'granted' then 5
        else 0
    end
{%- endmacro %}

{#- why_linked(record_a, record_b): print the chain of evidence that puts two records
    in one customer, or say that they are different customers.

        dbt run-operation why_linked --args '{record_a: "crm.contacts:C000123", record_b: "pos.receipts:R9"}'

    Walks fct_identity_links (record -> link node -> record ...) breadth-first within
    the customer (an event starts from its group's representative, see
    dim_customer_identity_map.linked_via_record_key) and prints each hop: the identifier shared, or the probabilistic
    match with every comparison's level and weight, or the analyst's must-link. -#}
{% macro why_linked(record_a, record_b) %}
    {%- set links = ref('fct_identity_links') -%}
    {%- set comparisons = var('identity_comparisons') -%}
    {%- set ids = run_query("select record_key, customer_id, linked_via_record_key from " ~ ref('dim_customer_identity_map')
        ~ " where record_key in ('" ~ record_a | replace("'", "''") ~ "', '" ~ record_b | replace("'", "''") ~ "')") -%}
    {%- set customer = {} -%}{%- set via = {} -%}
    {%- for row in ids.rows -%}{%- do customer.update({row[0]: row[1]}) -%}{%- do via.update({row[0]: row[2]}) -%}{%- endfor -%}
    {%- for r in [record_a, record_b] if r not in customer -%}
        {{ exceptions.raise_compiler_error("why_linked: no identity record " ~ r) }}
    {%- endfor -%}
    {%- if customer[record_a] != customer[record_b] -%}
        {{ print(record_a ~ " -> " ~ customer[record_a] ~ "\n" ~ record_b ~ " -> " ~ customer[record_b]
                 ~ "\nDifferent customers: no chain of links joins them.") }}
        {{ return(none) }}
    {%- endif -%}
    {%- set level_cols = [] -%}
    {%- for c in comparisons -%}{%- do level_cols.append(c.name ~ "_level || ' (' || cast(round(" ~ c.name ~ "_weight, 1) as " ~ dbt.type_string() ~ ") || ')'") -%}{%- endfor -%}
    {%- set rows = run_query("select record_key, link_node, link_kind, link_rule, match_probability, "
        ~ level_cols | join(", ") ~ " from " ~ links ~ " where customer_id = '" ~ customer[record_a] ~ "'") -%}
    {%- set by_record = {} -%}{%- set by_node = {} -%}{%- set evidence = {} -%}
    {%- for row in rows.rows -%}
        {%- do by_record.setdefault(row[0], []).append(row[1]) -%}
        {%- do by_node.setdefault(row[1], []).append(row[0]) -%}
        {%- set detail = [] -%}
        {%- if row[2] == 'probabilistic' -%}
            {%- for c in comparisons -%}{%- do detail.append(c.name ~ "=" ~ row[5 + loop.index0]) -%}{%- endfor -%}
            {%- do evidence.update({row[1]: "probabilistic match, p=" ~ ('%.6f' % row[4]) ~ ": " ~ detail | join(", ")}) -%}
        {%- elif row[2] == 'identifier' -%}
            {%- do evidence.update({row[1]: "shared " ~ row[3] ~ " (" ~ row[1].split(':')[2][:16] ~ "...)"}) -%}
        {%- else -%}
            {%- do evidence.update({row[1]: "must-link: " ~ row[3]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {#- an event (page view, ad click) carries its evidence through its group's earliest
        event (linked_via_record_key): search between those, then add the group hops -#}
    {%- set start, goal = via[record_a], via[record_b] -%}
    {#- breadth-first search from start; came_from[record] = (previous record, node) -#}
    {%- set came_from = {start: none} -%}
    {%- set ns = namespace(frontier=[start]) -%}
    {%- for _ in range(by_record | length) if goal not in came_from and ns.frontier -%}
        {%- set next_frontier = [] -%}
        {%- for r in ns.frontier -%}
            {%- for node in by_record.get(r, []) -%}
                {%- for other in by_node[node] if other not in came_from -%}
                    {%- do came_from.update({other: (r, node)}) -%}
                    {%- do next_frontier.append(other) -%}
                {%- endfor -%}
            {%- endfor -%}
        {%- endfor -%}
        {%- set ns.frontier = next_frontier -%}
    {%- endfor -%}
    {%- set hops = [] -%}
    {%- set cur = namespace(r=goal) -%}
    {%- for _ in range(came_from | length) if came_from[cur.r] is not none -%}
        {%- set prev, node = came_from[cur.r] -%}
        {%- do hops.insert(0, prev ~ "  --[" ~ evidence[node] ~ "]-->  " ~ cur.r) -%}
        {%- set cur.r = prev -%}
    {%- endfor -%}
    {%- set same_ids = "same cookie and account: events resolved as one group" -%}
    {%- if record_a != start -%}{%- do hops.insert(0, record_a ~ "  --[" ~ same_ids ~ "]-->  " ~ start) -%}{%- endif -%}
    {%- if record_b != goal -%}{%- do hops.append(goal ~ "  --[" ~ same_ids ~ "]-->  " ~ record_b) -%}{%- endif -%}
    {{ print("Customer " ~ customer[record_a] ~ ": " ~ record_a ~ " and " ~ record_b ~ " are linked in " ~ hops | length ~ " hop(s):") }}
    {%- for h in hops %}{{ print("  " ~ loop.index ~ ". " ~ h) }}{% endfor -%}
{% endmacro %}

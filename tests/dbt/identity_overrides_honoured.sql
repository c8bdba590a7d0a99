-- Analyst overrides are honoured 100 %: every must-link pair shares a customer id and
-- no cannot-link pair does.
select 'must_link' as override, m.record_key_a, m.record_key_b
from {{ ref('identity_must_link') }} as m
inner join {{ ref('dim_customer_identity_map') }} as a on m.record_key_a = a.record_key
inner join {{ ref('dim_customer_identity_map') }} as b on m.record_key_b = b.record_key
where a.customer_id <> b.customer_id
union all
select 'cannot_link' as override, c.record_key_a, c.record_key_b
from {{ ref('identity_cannot_link') }} as c
inner join {{ ref('dim_customer_identity_map') }} as a on c.record_key_a = a.record_key
inner join {{ ref('dim_customer_identity_map') }} as b on c.record_key_b = b.record_key
where a.customer_id = b.customer_id

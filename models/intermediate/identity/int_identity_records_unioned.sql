{#- One row per identity record of every channel, in one shape: the identifiers and
    matching attributes identity resolution uses. Column expressions per source are
    listed once below; a source without an attribute gets null.
    Event records (page views, ad clicks: nothing but a cookie and an account) come
    one row per group of events with the same ids (int_identity_events_collected):
    grouped_records says how many events the row stands for, event_group_key which.
    var identity_as_of (a timestamp, default none) resolves identities as they were at
    that time: records observed later are left out. The identity benchmark uses it to
    measure how many customer ids survive the arrival of new data. -#}
{%- set record_sources = [
    {'model': 'stg_web_shop__customers', 'observed_at': 'coalesce(updated_at, created_at)', 'profile': true,
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email', 'phone': 'phone_e164',
     'first_name': 'first_name', 'last_name': 'last_name', 'birth_date': 'birth_date',
     'postcode': 'postcode', 'street': 'street', 'city': 'city', 'country': 'country_code',
     'web_customer_id': 'customer_id'},
    {'model': 'stg_web_shop__orders', 'observed_at': 'ordered_at',
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email',
     'postcode': 'shipping_postcode', 'city': 'shipping_city', 'country': 'shipping_country_code',
     'web_customer_id': 'customer_id', 'cookie_id': 'cookie_id', 'web_order_id': 'order_id'},
    {'model': 'stg_mobile_app__installs', 'observed_at': 'installed_at', 'profile': true,
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email',
     'web_customer_id': 'customer_id', 'device_id': 'device_id'},
    {'model': 'stg_pos__receipts', 'observed_at': 'receipt_at',
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email', 'phone': 'phone_e164',
     'full_name': 'customer_name', 'loyalty_card_id': 'loyalty_card_id', 'web_order_id': 'original_order_id'},
    {'model': 'stg_crm__contacts', 'observed_at': 'coalesce(updated_at, created_at)', 'profile': true,
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email',
     'phone': 'coalesce(mobile_e164, phone_e164)', 'phone_2': 'phone_e164',
     'first_name': 'first_name', 'last_name': 'last_name', 'birth_date': 'birth_date',
     'postcode': 'postcode', 'street': 'street', 'city': 'city', 'country': 'country_code',
     'crm_contact_id': 'contact_id'},
    {'model': 'stg_email__subscribers', 'observed_at': 'subscribed_at', 'profile': true,
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email',
     'first_name': 'first_name'},
    {'model': 'stg_sms__subscribers', 'observed_at': 'opted_in_at', 'profile': true,
     'phone': 'phone_e164', 'first_name': 'first_name', 'country': 'country_code'},
    {'model': 'stg_marketplace__orders', 'observed_at': 'ordered_at',
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email',
     'full_name': 'buyer_name', 'postcode': 'ship_postcode', 'street': 'ship_street', 'city': 'ship_city',
     'country': 'ship_country_code', 'marketplace_buyer': "marketplace || ':' || buyer_id"},
    {'model': 'stg_support__tickets', 'observed_at': 'created_at',
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email', 'phone': 'phone_e164',
     'full_name': 'requester_name', 'web_order_id': 'order_reference'},
    {'model': 'stg_loyalty__members', 'observed_at': 'enrolled_at', 'profile': true,
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email', 'phone': 'phone_e164',
     'first_name': 'first_name', 'last_name': 'last_name', 'birth_date': 'birth_date',
     'postcode': 'postcode', 'loyalty_card_id': 'loyalty_card_id'},
    {'model': 'stg_surveys__responses', 'observed_at': 'submitted_at',
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email',
     'first_name': 'first_name', 'last_name': 'last_name', 'birth_year': 'birth_year', 'postcode': 'postcode'},
    {'model': 'stg_wifi__logins', 'observed_at': 'logged_in_at',
     'email': 'email_canonical', 'email_hash': 'email_hash', 'relay': 'is_relay_email', 'phone': 'phone_e164'},
] -%}
{%- set text_columns = ['email', 'email_hash', 'phone', 'phone_2', 'web_customer_id', 'crm_contact_id',
                        'loyalty_card_id', 'device_id', 'cookie_id', 'marketplace_buyer', 'web_order_id',
                        'postcode', 'country'] -%}

with

blocklist as (

    select identifier_type, value from {{ ref('identity_identifier_blocklist') }}

),

{% for s in record_sources %}
{{ s.model }} as (

    select
        record_key,
        cast({{ "'" ~ s.model.replace('stg_', '').replace('__', '.') ~ "'" }} as {{ dbt.type_string() }}) as source_table,
        cast({{ s.observed_at }} as timestamp) as observed_at,
        {{ 'true' if s.get('profile') else 'false' }} as is_profile_record,
        {%- for c in text_columns %}
        cast({{ s.get(c, 'null') }} as {{ dbt.type_string() }}) as {{ c }}_value,
        {%- endfor %}
        {{ s.get('relay', 'false') }} as is_relay_email,
        {%- if s.get('full_name') %}
        {{ person_name_part(s.full_name, 'first') }} as first_name_raw,
        {{ person_name_part(s.full_name, 'last') }} as last_name_raw,
        {%- else %}
        cast({{ s.get('first_name', 'null') }} as {{ dbt.type_string() }}) as first_name_raw,
        cast({{ s.get('last_name', 'null') }} as {{ dbt.type_string() }}) as last_name_raw,
        {%- endif %}
        cast({{ s.get('birth_date', 'null') }} as date) as birth_date,
        cast({{ s.get('birth_year', 'year(' ~ s.birth_date ~ ')' if s.get('birth_date') else 'null') }} as int) as birth_year,
        cast({{ s.get('street', 'null') }} as {{ dbt.type_string() }}) as street_raw,
        cast({{ s.get('city', 'null') }} as {{ dbt.type_string() }}) as city_raw,
        cast(1 as bigint) as grouped_records,
        cast(null as {{ dbt.type_string() }}) as event_group_key
    from {{ ref(s.model) }}

),
{% endfor %}

event_groups as (

    -- events with the same ids are one record here: their earliest event (which keeps
    -- anchoring and stable ids exactly as if every event were listed)
    select
        {{ earliest_of('observed_at', 'record_key') }} as record_key,
        min(source_table) as source_table,
        min(observed_at) as observed_at,
        false as is_profile_record,
        {%- for c in text_columns %}
        {%- if c in ['cookie_id', 'web_customer_id'] %}
        min({{ c }}) as {{ c }}_value,
        {%- else %}
        cast(null as {{ dbt.type_string() }}) as {{ c }}_value,
        {%- endif %}
        {%- endfor %}
        false as is_relay_email,
        cast(null as {{ dbt.type_string() }}) as first_name_raw,
        cast(null as {{ dbt.type_string() }}) as last_name_raw,
        cast(null as date) as birth_date,
        cast(null as int) as birth_year,
        cast(null as {{ dbt.type_string() }}) as street_raw,
        cast(null as {{ dbt.type_string() }}) as city_raw,
        count(*) as grouped_records,
        event_group_key
    from {{ ref('int_identity_events_collected') }}
    group by event_group_key

),

unioned as (

    {% for s in record_sources -%}
    select * from {{ s.model }}
    union all
    {% endfor -%}
    select * from event_groups

),

keyed as (

    select
        record_key,
        source_table,
        observed_at,
        is_profile_record,
        -- relay addresses identify a marketplace buyer, not a person's mailbox
        case when not coalesce(is_relay_email, false) then email_value end as email_canonical,
        case when not coalesce(is_relay_email, false) then email_hash_value end as email_hash,
        phone_value as phone_e164,
        phone_2_value as phone_e164_2,
        {{ name_key('first_name_raw') }} as first_name_key,
        {{ name_key('last_name_raw') }} as last_name_key,
        birth_date,
        birth_year,
        {{ normalize_postcode('postcode_value') }} as postcode,
        {{ street_key('street_raw') }} as street_key,
        {{ name_key('city_raw') }} as city_key,
        country_value as country_code,
        web_customer_id_value as web_customer_id,
        crm_contact_id_value as crm_contact_id,
        loyalty_card_id_value as loyalty_card_id,
        device_id_value as device_id,
        cookie_id_value as cookie_id,
        marketplace_buyer_value as marketplace_buyer,
        web_order_id_value as web_order_id,
        grouped_records,
        event_group_key
    from unioned

),

guarded as (

    -- block-listed junk (test@test.com, 0123456789, "Kunde") is not evidence of anything
    select
        keyed.record_key,
        keyed.source_table,
        keyed.observed_at,
        keyed.is_profile_record,
        case when be.value is null then keyed.email_canonical end as email_canonical,
        case when be.value is null then keyed.email_hash end as email_hash,
        case when bp.value is null and not {{ is_junk_phone('keyed.phone_e164') }} then keyed.phone_e164 end as phone_e164,
        case when bp2.value is null and not {{ is_junk_phone('keyed.phone_e164_2') }} then keyed.phone_e164_2 end as phone_e164_2,
        case when bf.value is null then keyed.first_name_key end as first_name_key,
        case when bl.value is null then keyed.last_name_key end as last_name_key,
        keyed.birth_date,
        keyed.birth_year,
        keyed.postcode,
        keyed.street_key,
        keyed.city_key,
        keyed.country_code,
        keyed.web_customer_id,
        keyed.crm_contact_id,
        keyed.loyalty_card_id,
        keyed.device_id,
        keyed.cookie_id,
        keyed.marketplace_buyer,
        keyed.web_order_id,
        keyed.grouped_records,
        keyed.event_group_key,
        (be.value is not null or bp.value is not null or bf.value is not null or bl.value is not null
            or coalesce({{ is_junk_phone('keyed.phone_e164') }}, false)) as has_blocked_identifier
    from keyed
    left join blocklist as be on be.identifier_type = 'email' and be.value = keyed.email_canonical
    left join blocklist as bp on bp.identifier_type = 'phone' and bp.value = keyed.phone_e164
    left join blocklist as bp2 on bp2.identifier_type = 'phone' and bp2.value = keyed.phone_e164_2
    left join blocklist as bf on bf.identifier_type = 'name' and bf.value = keyed.first_name_key
    left join blocklist as bl on bl.identifier_type = 'name' and bl.value = keyed.last_name_key
    {%- if var('identity_as_of', none) %}
    where keyed.observed_at is null or keyed.observed_at < cast('{{ var("identity_as_of") }}' as timestamp)
    {%- endif %}

)

select
    record_key,
    source_table,
    observed_at,
    is_profile_record,
    email_canonical,
    email_hash,
    {{ split_email('email_canonical', 'local') }} as email_local,
    {{ split_email('email_canonical', 'domain') }} as email_domain,
    phone_e164,
    phone_e164_2,
    first_name_key,
    last_name_key,
    birth_date,
    birth_year,
    postcode,
    street_key,
    city_key,
    country_code,
    web_customer_id,
    crm_contact_id,
    loyalty_card_id,
    device_id,
    cookie_id,
    marketplace_buyer,
    web_order_id,
    grouped_records,
    event_group_key,
    has_blocked_identifier
from guarded

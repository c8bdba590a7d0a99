-- Cluster-size alarm: a customer with implausibly many profile records (accounts,
-- contacts, members, subscribers, installs) is the classic symptom of a junk or shared
-- identifier fusing people. The test measures the largest such cluster: it warns above
-- var identity_cluster_size_warn and fails above var identity_cluster_size_error.
{{ config(
    fail_calc='coalesce(max(profile_records), 0)',
    warn_if='>' ~ var('identity_cluster_size_warn'),
    error_if='>' ~ var('identity_cluster_size_error')
) }}
select customer_id, count(*) as profile_records
from {{ ref('dim_customer_identity_map') }}
where is_profile_record
group by customer_id

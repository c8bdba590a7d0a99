-- int_attribution_shapley_values enumerates the 2^n coalitions of the n channels seen in
-- the paths, up to var attribution_shapley_max_channels; beyond it the values would be
-- wrong. If this fails, raise the var (cost doubles per channel) or map channels together
-- in seeds/attribution/attribution_channel_grouping.csv.
select count(distinct channel) as channels
from {{ ref('int_journey_path_touches') }}
having count(distinct channel) > {{ var('attribution_shapley_max_channels') | int }}

-- The Markov chains are solved to var attribution_markov_tolerance. If this fails,
-- raise var attribution_markov_iterations.
select attribution_model, channel, error_bound
from {{ ref('fct_attribution_markov_effects') }}
where not is_converged

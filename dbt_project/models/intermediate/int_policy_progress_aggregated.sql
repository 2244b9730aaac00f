-- Policy × period rollup of the in-scope pairs: each (unit, KPI) pair weighs the same, capped ratios
-- only, means over pairs with data; H and R pairs also apart (macro pair_rollup, shared with
-- projects).
{{ pair_rollup(['policy_code']) }}

-- Aggregates (including FILTER, ordered-set, boolean and statistical) and window functions.

-- name: create_sales
CREATE TABLE aw_sales(region text, month int, amount numeric(8,2));
-- name: insert_sales
INSERT INTO aw_sales VALUES ('n', 1, 10), ('n', 2, 20), ('n', 3, 30), ('s', 1, 5), ('s', 2, 5), ('s', 3, NULL);
-- name: basic_aggregates
SELECT count(*), sum(amount), min(amount), max(amount), avg(amount) FROM aw_sales;
-- name: group_by_region
SELECT region, sum(amount) AS total, count(amount) AS n FROM aw_sales GROUP BY region ORDER BY region;
-- name: aggregate_filter
SELECT sum(amount) FILTER (WHERE month > 1) AS late, count(*) FILTER (WHERE amount IS NULL) AS missing FROM aw_sales;
-- name: bool_aggregates
SELECT bool_and(amount > 1) AS all_, bool_or(amount > 25) AS any_, every(month > 0) AS ev FROM aw_sales;
-- name: string_agg
SELECT region, string_agg(month::text, ',' ORDER BY month) AS months FROM aw_sales GROUP BY region ORDER BY region;
-- name: array_agg_by_group
SELECT region, array_agg(amount ORDER BY month) AS amounts FROM aw_sales GROUP BY region ORDER BY region;
-- name: percentile_cont_disc
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY amount) AS med, percentile_disc(0.5) WITHIN GROUP (ORDER BY amount) AS disc FROM aw_sales;
-- name: percentile_cont_types
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) AS a, pg_typeof(percentile_cont(0.5) WITHIN GROUP (ORDER BY x)) AS t, percentile_cont(0.25) WITHIN GROUP (ORDER BY x) AS q FROM (VALUES (1.5), (2.25), (10.125)) v(x);
-- name: mode
SELECT mode() WITHIN GROUP (ORDER BY amount) AS m FROM aw_sales;
-- name: stddev_variance
SELECT round(stddev(amount), 4) AS sd, round(variance(amount), 4) AS var FROM aw_sales;
-- name: count_distinct
SELECT count(DISTINCT region) AS r, count(DISTINCT amount) AS a FROM aw_sales;
-- name: grouping_sets_rollup
SELECT region, month, sum(amount) FROM aw_sales GROUP BY ROLLUP (region, month) ORDER BY region NULLS LAST, month NULLS LAST;
-- name: row_number_partition
SELECT region, month, row_number() OVER (PARTITION BY region ORDER BY month DESC) AS rn FROM aw_sales ORDER BY region, month;
-- name: rank_dense_rank
SELECT month, amount, rank() OVER (ORDER BY amount), dense_rank() OVER (ORDER BY amount) FROM aw_sales WHERE region = 's' OR month = 1 ORDER BY amount, month;
-- name: running_sum
SELECT region, month, sum(amount) OVER (PARTITION BY region ORDER BY month) AS running FROM aw_sales ORDER BY region, month;
-- name: window_frame_rows
SELECT month, amount, avg(amount) OVER (ORDER BY month ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS moving FROM aw_sales WHERE region = 'n' ORDER BY month;
-- name: lag_lead
SELECT month, lag(amount) OVER w AS prev, lead(amount, 1, 0) OVER w AS next FROM aw_sales WHERE region = 'n' WINDOW w AS (ORDER BY month) ORDER BY month;
-- name: first_last_value
SELECT DISTINCT region, first_value(amount) OVER w AS first, last_value(amount) OVER w AS last FROM aw_sales WINDOW w AS (PARTITION BY region ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) ORDER BY region;
-- name: ntile_percent_rank
SELECT month, ntile(2) OVER (ORDER BY month) AS nt, round(percent_rank() OVER (ORDER BY month)::numeric, 2) AS pr FROM aw_sales WHERE region = 'n' ORDER BY month;
-- name: count_over_partition
SELECT region, month, count(*) OVER (PARTITION BY region) AS n FROM aw_sales ORDER BY region, month;
-- name: window_in_subquery_filter
SELECT region, month FROM (SELECT region, month, row_number() OVER (PARTITION BY region ORDER BY amount DESC NULLS LAST, month) AS rn FROM aw_sales) t WHERE rn = 1 ORDER BY region;
-- name: aggregate_in_where_error
SELECT region FROM aw_sales WHERE sum(amount) > 1;
-- name: ungrouped_column_error
SELECT region, month FROM aw_sales GROUP BY region;
-- name: drop_sales
DROP TABLE aw_sales;
-- name: sum_integer_type
SELECT sum(x) AS s, pg_typeof(sum(x)) AS t FROM (VALUES (1::int), (2)) v(x);
-- name: sum_bigint_type
SELECT pg_typeof(sum(x)) AS t FROM (VALUES (1::bigint)) v(x);
-- name: avg_of_integers_scale
SELECT avg(x) AS a FROM (VALUES (1), (2)) v(x);

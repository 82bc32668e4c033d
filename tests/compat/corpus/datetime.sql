-- Dates, times, timestamps and intervals: input, output, arithmetic, formatting, truncation.
-- Only fixed values (no now()), with TimeZone set to UTC by the runner.

-- name: date_literal
SELECT DATE '2024-02-29' AS d, '2024-03-01'::date - '2024-02-01'::date AS days;
-- name: date_plus_int
SELECT '2024-02-28'::date + 2 AS d, '2024-03-01'::date - 1 AS p;
-- name: date_plus_interval
SELECT '2024-01-31'::date + interval '1 month' AS d;
-- name: timestamp_literal
SELECT TIMESTAMP '2024-05-06 07:08:09.123456' AS ts, '2024-05-06 07:08'::timestamp AS short;
-- name: timestamptz_output
SELECT '2024-05-06 07:08:09+02'::timestamptz AS tz;
-- name: timestamptz_at_time_zone
SELECT '2024-05-06 12:00:00+00'::timestamptz AT TIME ZONE 'America/New_York' AS ny;
-- name: time_literal
SELECT TIME '13:14:15' AS t, '23:59:59.5'::time AS frac;
-- name: interval_output
SELECT interval '1 day 2 hours' AS a, interval '90 minutes' AS b, interval '1 year 2 months' AS c;
-- name: interval_arith
SELECT interval '1 hour' * 3 AS m, interval '1 day' - interval '1 hour' AS d, interval '3 days' / 2 AS q;
-- name: timestamp_difference
SELECT '2024-03-01 12:00'::timestamp - '2024-02-28 06:30'::timestamp AS diff;
-- name: date_trunc_timestamp
SELECT date_trunc('day', '2024-05-06 07:08:09'::timestamp) AS d, date_trunc('month', '2024-05-06 07:08:09'::timestamp) AS m;
-- name: date_trunc_hour_week
SELECT date_trunc('hour', '2024-05-06 07:08:09'::timestamp) AS h, date_trunc('week', '2024-05-08'::timestamp) AS w;
-- name: date_trunc_on_date
SELECT date_trunc('day', '2024-05-06'::date) AS d;
-- name: date_trunc_timestamptz
SELECT date_trunc('day', '2024-05-06 23:30:00+00'::timestamptz) AS d;
-- name: date_trunc_table_column
CREATE TABLE dt_ev(id int, ts timestamp);
-- name: date_trunc_insert
INSERT INTO dt_ev VALUES (1, '2024-05-06 07:00'), (2, '2024-05-06 19:00'), (3, '2024-05-07 01:00');
-- name: date_trunc_group_by
SELECT date_trunc('day', ts) AS day, count(*) FROM dt_ev GROUP BY 1 ORDER BY 1;
-- name: drop_events
DROP TABLE dt_ev;
-- name: extract_fields
SELECT extract(year FROM '2024-05-06'::date) AS y, extract(month FROM '2024-05-06 07:08:09'::timestamp) AS m, extract(dow FROM '2024-05-05'::date) AS dow;
-- name: extract_epoch
SELECT extract(epoch FROM '2024-01-01 00:00:00+00'::timestamptz) AS e;
-- name: date_part
SELECT date_part('hour', '2024-05-06 07:08:09'::timestamp) AS h, date_part('doy', '2024-02-01'::date) AS doy;
-- name: extract_from_interval
SELECT extract(hour FROM interval '5 hours 30 minutes') AS h, extract(epoch FROM interval '1 day') AS e;
-- name: make_date_time
SELECT make_date(2024, 2, 29) AS d, make_time(13, 14, 15.5) AS t, make_timestamp(2024, 1, 2, 3, 4, 5) AS ts;
-- name: make_interval
SELECT make_interval(days => 10) AS a, make_interval(hours => 3, mins => 5) AS b, make_interval(1, 2) AS c;
-- name: date_bin
SELECT date_bin('15 minutes', '2024-05-06 07:08:09'::timestamp, '2024-01-01'::timestamp) AS b;
-- name: age_fixed
SELECT age('2024-05-06'::timestamp, '2020-01-01'::timestamp) AS a;
-- name: justify
SELECT justify_hours(interval '27 hours') AS h, justify_days(interval '35 days') AS d;
-- name: to_char_timestamp
SELECT to_char('2024-05-06 07:08:09'::timestamp, 'YYYY-MM-DD HH24:MI:SS') AS a, to_char('2024-05-06'::date, 'Dy, DD Mon YYYY') AS b;
-- name: to_char_am_pm
SELECT to_char('2024-05-06 15:08:09'::timestamp, 'HH12:MI AM') AS a, to_char('2024-05-06'::date, 'FMMonth FMDD') AS b;
-- name: to_date
SELECT to_date('05 Dec 2000', 'DD Mon YYYY') AS d, to_date('2024-02-29', 'YYYY-MM-DD') AS e;
-- name: to_timestamp_format
SELECT to_timestamp('2024-05-06 07:08:09', 'YYYY-MM-DD HH24:MI:SS') AS ts;
-- name: to_timestamp_epoch
SELECT to_timestamp(0) AS epoch, to_timestamp(1700000000) AS t;
-- name: special_values
SELECT 'epoch'::timestamp AS e, 'infinity'::date AS i, '-infinity'::timestamp AS ni;
-- name: today_is_current_date
SELECT 'today'::date = current_date AS today, 'tomorrow'::date - 'yesterday'::date AS span;
-- name: now_is_transaction_time
SELECT now() = current_timestamp AS same, now() >= '2020-01-01'::timestamptz AS recent;
-- name: invalid_date
SELECT '2023-02-29'::date;
-- name: invalid_timestamp_text
SELECT 'not a date'::timestamp;
-- name: date_comparison
SELECT '2024-01-01'::date < '2024-01-02'::timestamp AS lt, '2024-01-01'::date = '2024-01-01 00:00'::timestamp AS eq;
-- name: between_dates
SELECT '2024-05-06'::date BETWEEN '2024-05-01' AND '2024-05-31' AS b;
-- name: overlaps
SELECT (DATE '2024-01-01', DATE '2024-02-01') OVERLAPS (DATE '2024-01-15', DATE '2024-03-01') AS o;
-- name: generate_series_dates
SELECT generate_series('2024-01-01'::timestamp, '2024-01-03', '1 day') AS d;
-- name: date_output_typeof
SELECT pg_typeof('2024-01-01'::date + 1) AS a, pg_typeof('2024-01-01'::date + interval '1 day') AS b;
-- name: timestamp_precision
SELECT '2024-05-06 07:08:09.123456'::timestamp(0) AS p0, '2024-05-06 07:08:09.126'::timestamp(2) AS p2;
-- name: isfinite
SELECT isfinite('infinity'::date) AS i, isfinite('2024-01-01'::date) AS f;
-- name: to_char_many_patterns
SELECT to_char('2024-05-06 15:08:09.123456'::timestamp, 'Month|MON|mon|Day|DY|D|DDD|Q|WW|W|CC|J|YY|Y,YYY|SSSS|MS|US|FF3|A.M.|pm|DDth|FMDDTH') AS t;
-- name: to_char_fill_mode_and_quotes
SELECT to_char('2024-01-02 00:05:06'::timestamp, 'FMHH12 FMMI FMSS FMMM/FMDD "at YYYY" \"q') AS t;
-- name: to_char_timestamptz_utc
SELECT to_char('2024-05-06 07:08:09+00'::timestamptz, 'YYYY-MM-DD HH24:MI:SS') AS t;
-- name: to_char_null_and_infinity
SELECT to_char(NULL::timestamp, 'YYYY') IS NULL AS n, to_char('infinity'::timestamp, 'YYYY') IS NULL AS i;
-- name: to_date_forms
SELECT to_date('20240506', 'YYYYMMDD') AS a, to_date('2024-5-6', 'YYYY-MM-DD') AS b, to_date('06 may 2024', 'DD Month YYYY') AS c, to_date('75-05-06', 'YY-MM-DD') AS d, to_date('2024', 'YYYY-MM-DD') AS e;
-- name: to_date_month_out_of_range
SELECT to_date('2024-13-06', 'YYYY-MM-DD');
-- name: to_date_feb_30
SELECT to_date('2023-02-29', 'YYYY-MM-DD');
-- name: to_date_not_a_number
SELECT to_date('2024-ab-06', 'YYYY-MM-DD');
-- name: to_date_bad_month_name
SELECT to_date('2024 Foo 06', 'YYYY Mon DD');
-- name: to_timestamp_12_hour
SELECT to_timestamp('2024-05-06 03:08:09 PM', 'YYYY-MM-DD HH12:MI:SS AM') AS a, to_timestamp('2024-05-06 12:00 am', 'YYYY-MM-DD HH12:MI AM') AS b;
-- name: to_timestamp_fractions
SELECT to_timestamp('2024-05-06 07:08:09.12', 'YYYY-MM-DD HH24:MI:SS.MS') AS a, to_timestamp('2024-05-06 07:08:09.123456', 'YYYY-MM-DD HH24:MI:SS.US') AS b;
-- name: to_timestamp_hour_13_on_12_hour_clock
SELECT to_timestamp('2024-05-06 13:00', 'YYYY-MM-DD HH12:MI');
-- name: to_timestamp_minute_out_of_range
SELECT to_timestamp('2024-05-06 07:61', 'YYYY-MM-DD HH24:MI');
-- name: timestamptz_plus_00_offset
SELECT '2024-01-01 00:00:00+00'::timestamptz AS a, '2024-01-01 00:00:00+05'::timestamptz AS b, '2024-01-01 00:00:00-02:30'::timestamptz AS c;
-- name: to_date_year_out_of_range
SELECT to_date('999999999-01-01', 'YYYY-MM-DD');
-- name: to_timestamp_year_out_of_range
SELECT to_timestamp('300000-01-01', 'YYYY-MM-DD');
-- name: to_char_unsupported_pattern
SELECT to_char('2024-05-06'::timestamp, 'RM');
-- name: time_precision_ties
SELECT '1990-01-01 00:00:00.5'::timestamp(0) AS before_2000, '2010-01-01 00:00:00.5'::timestamp(0) AS after_2000, '1960-01-01 00:00:00.5'::timestamp(0) AS before_1970, '23:59:59.6'::time(0) AS t;
-- name: time_precision_cast_forms
SELECT CAST('2024-05-06 07:08:09.126' AS timestamptz(1)) AS a, '2024-05-06 07:08:09.5'::timestamp(0) with time zone AS b, '07:08:09.16'::time(1) AS c, timestamp(2) '2024-05-06 07:08:09.125' AS d, '-infinity'::timestamp(0) AS e;
-- name: time_precision_nested_cast
SELECT ('2024-05-06 07:08:09.126'::timestamp)::timestamp(1) AS a, '2024-05-06 07:08:09.126'::timestamp(6) AS b;
-- name: time_precision_table
CREATE TABLE tp_t (a timestamp(2), b timestamptz(0), c time(1), d timestamp(6) without time zone);
-- name: time_precision_insert_exact
INSERT INTO tp_t VALUES ('2024-05-06 07:08:09.12', '2024-05-06 07:08:09', '07:08:09.1', '2024-05-06 07:08:09.123456');
-- name: time_precision_insert_rounded_cast
INSERT INTO tp_t (a) VALUES ('2024-05-06 07:08:09.126'::timestamp(2));
-- name: time_precision_select
SELECT a, b, c, d FROM tp_t ORDER BY a;
-- name: time_precision_insert_extra_digits
INSERT INTO tp_t (a) VALUES ('2024-05-06 07:08:09.126');
-- name: extract_numeric_epochs
SELECT extract(epoch from '2024-01-01 00:00:00.25'::timestamp) AS ts, extract(epoch from date '2024-01-01') AS d, extract(epoch from interval '1 year 1 month 1 day 00:00:01.5') AS iv, extract(epoch from time '01:00:00.5') AS t;
-- name: extract_seconds_keep_fraction
SELECT extract(second from '2024-01-01 00:00:09.25'::timestamp) AS s, extract(milliseconds from '2024-01-01 00:00:09.25'::timestamp) AS ms, extract(microseconds from '2024-01-01 00:00:09.25'::timestamp) AS us, extract(second from interval '-1 min -30.5 s') AS neg, extract(second from time '01:02:03.5') AS t;
-- name: extract_fields_numeric
SELECT extract(year from date '2024-05-06') AS y, extract('dow' from timestamp '2024-05-06') AS d, EXTRACT(DAY FROM interval '40 days') AS dd, extract(quarter from date '2024-05-06') AS q, pg_typeof(extract(hour from timestamp '2024-05-06 07:00')) AS t;
-- name: extract_column_name
SELECT extract(hour from timestamp '2024-05-06 07:00'), date_part('hour', timestamp '2024-05-06 07:00');
-- name: date_part_stays_double
SELECT pg_typeof(date_part('epoch', timestamp '2024-01-01 00:00:00.5')) AS t, date_part('epoch', timestamp '2024-01-01 00:00:00.5') AS e;
-- name: justify_signs
SELECT justify_hours(interval '-27 hours 1 day') AS h, justify_days(interval '-35 days 1 month') AS d, justify_interval(interval '1 mon -1 hour') AS i, justify_interval(interval '-1 mon 32 days 25 hours') AS j;
-- name: overlaps_nulls_and_reversed
SELECT (TIMESTAMP '2024-02-01', TIMESTAMP '2024-01-01') OVERLAPS (TIMESTAMP '2024-01-15', NULL) AS a, (TIMESTAMP '2024-01-01', NULL) OVERLAPS (TIMESTAMP '2024-01-01', TIMESTAMP '2024-01-02') AS b, (DATE '2024-01-01', DATE '2024-01-10') OVERLAPS (DATE '2024-01-10', DATE '2024-01-20') AS touching, (TIME '10:00', TIME '12:00') OVERLAPS (TIME '11:00', TIME '13:00') AS t;

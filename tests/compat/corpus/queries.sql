-- Query shapes: joins, subqueries, CTEs (also recursive and writable), set operations,
-- UPSERT, UPDATE ... FROM, DELETE ... USING, LIMIT/OFFSET, VALUES, LATERAL.

-- name: create_dept
CREATE TABLE q_dept(id int PRIMARY KEY, name text);
-- name: create_emp
CREATE TABLE q_emp(id int PRIMARY KEY, name text, dept_id int, salary numeric(8,2), boss int);
-- name: insert_dept
INSERT INTO q_dept VALUES (1, 'eng'), (2, 'ops'), (3, 'empty');
-- name: insert_emp
INSERT INTO q_emp VALUES (1, 'ann', 1, 100.00, NULL), (2, 'bob', 1, 80.50, 1), (3, 'cy', 2, 70.00, 1), (4, 'di', NULL, 60.00, 3);
-- name: inner_join
SELECT e.name, d.name AS dept FROM q_emp e JOIN q_dept d ON d.id = e.dept_id ORDER BY e.id;
-- name: left_join
SELECT e.name, d.name AS dept FROM q_emp e LEFT JOIN q_dept d ON d.id = e.dept_id ORDER BY e.id;
-- name: right_join_unmatched
SELECT d.name, count(e.id) AS n FROM q_emp e RIGHT JOIN q_dept d ON d.id = e.dept_id GROUP BY d.name ORDER BY d.name;
-- name: full_join
SELECT e.name, d.name AS dept FROM q_emp e FULL JOIN q_dept d ON d.id = e.dept_id ORDER BY e.name NULLS LAST, d.name;
-- name: using_join
SELECT name, count(*) FROM q_emp JOIN (SELECT id AS dept_id, name AS dname FROM q_dept) d USING (dept_id) GROUP BY name ORDER BY name;
-- name: self_join
SELECT e.name, b.name AS boss FROM q_emp e LEFT JOIN q_emp b ON b.id = e.boss ORDER BY e.id;
-- name: cross_join_count
SELECT count(*) FROM q_emp CROSS JOIN q_dept;
-- name: scalar_subquery
SELECT name, (SELECT name FROM q_dept WHERE id = q_emp.dept_id) AS dept FROM q_emp ORDER BY id;
-- name: exists_subquery
SELECT name FROM q_dept d WHERE EXISTS (SELECT 1 FROM q_emp e WHERE e.dept_id = d.id) ORDER BY name;
-- name: in_subquery
SELECT name FROM q_emp WHERE dept_id IN (SELECT id FROM q_dept WHERE name = 'eng') ORDER BY name;
-- name: scalar_subquery_too_many_rows
SELECT (SELECT id FROM q_emp);
-- name: cte
WITH rich AS (SELECT * FROM q_emp WHERE salary > 75) SELECT name FROM rich ORDER BY name;
-- name: cte_multiple
WITH a AS (SELECT 1 AS x), b AS (SELECT x + 1 AS y FROM a) SELECT * FROM a, b;
-- name: recursive_cte
WITH RECURSIVE chain(id, name, depth) AS (SELECT id, name, 0 FROM q_emp WHERE boss IS NULL UNION ALL SELECT e.id, e.name, c.depth + 1 FROM q_emp e JOIN chain c ON e.boss = c.id) SELECT name, depth FROM chain ORDER BY depth, name;
-- name: recursive_cte_counter
WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 5) SELECT sum(n) FROM t;
-- name: writable_cte
WITH moved AS (UPDATE q_emp SET salary = salary + 1 WHERE id = 4 RETURNING id, salary) SELECT * FROM moved;
-- name: union_all_order
SELECT name FROM q_emp WHERE id < 3 UNION ALL SELECT name FROM q_dept ORDER BY 1;
-- name: union_distinct
SELECT dept_id FROM q_emp UNION SELECT id FROM q_dept ORDER BY 1;
-- name: intersect_except
SELECT id FROM q_dept INTERSECT SELECT dept_id FROM q_emp EXCEPT SELECT 2 ORDER BY 1;
-- name: limit_offset
SELECT id FROM q_emp ORDER BY id LIMIT 2 OFFSET 1;
-- name: fetch_first
SELECT id FROM q_emp ORDER BY id FETCH FIRST 1 ROWS ONLY;
-- name: values_list
SELECT * FROM (VALUES (1, 'a'), (2, 'b')) AS v(n, s) ORDER BY n DESC;
-- name: lateral
SELECT d.name, top.name AS top_earner FROM q_dept d LEFT JOIN LATERAL (SELECT name FROM q_emp e WHERE e.dept_id = d.id ORDER BY salary DESC LIMIT 1) top ON true ORDER BY d.id;
-- name: distinct_on
SELECT DISTINCT ON (dept_id) dept_id, name FROM q_emp ORDER BY dept_id, salary DESC;
-- name: upsert_do_update
INSERT INTO q_dept VALUES (1, 'engineering') ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name;
-- name: upsert_do_nothing
INSERT INTO q_dept VALUES (2, 'x') ON CONFLICT DO NOTHING;
-- name: upsert_returning
INSERT INTO q_dept VALUES (4, 'new') ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name RETURNING *;
-- name: select_after_upsert
SELECT id, name FROM q_dept ORDER BY id;
-- name: update_from
UPDATE q_emp SET salary = salary * 2 FROM q_dept WHERE q_dept.id = q_emp.dept_id AND q_dept.name = 'ops';
-- name: update_returning
UPDATE q_emp SET name = upper(name) WHERE id = 1 RETURNING id, name, salary;
-- name: delete_using
DELETE FROM q_emp USING q_dept WHERE q_dept.id = q_emp.dept_id AND q_dept.name = 'ops';
-- name: delete_returning
DELETE FROM q_emp WHERE dept_id IS NULL RETURNING name;
-- name: select_remaining
SELECT id, name, salary FROM q_emp ORDER BY id;
-- name: insert_select
INSERT INTO q_dept SELECT id + 10, name || '-copy' FROM q_dept WHERE id < 3;
-- name: group_by_having
SELECT dept_id, count(*) FROM q_emp GROUP BY dept_id HAVING count(*) > 1 ORDER BY dept_id;
-- name: order_by_alias_and_ordinal
SELECT name AS n, id FROM q_dept ORDER BY n DESC LIMIT 3;
-- name: select_for_update
SELECT id FROM q_dept WHERE id = 1 FOR UPDATE;
-- name: limit_all
SELECT count(*) FROM (SELECT id FROM q_dept ORDER BY id LIMIT ALL) t;
-- name: create_defaults_only
CREATE TABLE q_log(id int DEFAULT 7, at_text text DEFAULT 'none');
-- name: insert_default_values
INSERT INTO q_log DEFAULT VALUES;
-- name: insert_default_keyword
INSERT INTO q_log VALUES (DEFAULT, 'x');
-- name: select_defaults
SELECT id, at_text FROM q_log ORDER BY at_text;
-- name: drop_log
DROP TABLE q_log;
-- name: drop_query_tables
DROP TABLE q_emp, q_dept;
-- name: generate_series_select_list
SELECT generate_series(1, 3) AS g;
-- name: generate_series_from
SELECT * FROM generate_series(1, 10, 4) AS g;
-- name: generate_series_unaliased
SELECT generate_series(1,3);
-- name: select_without_from
SELECT 1 AS a, 'x' AS b, true AS c, NULL AS d;

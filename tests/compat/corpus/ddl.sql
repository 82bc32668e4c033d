-- DDL as applications and migration tools write it: keys, defaults, foreign key actions,
-- ALTER TABLE, indexes, views, materialized views.

-- name: create_parent
CREATE TABLE ddl_authors(id integer PRIMARY KEY, name text NOT NULL, email text UNIQUE);
-- name: create_child_cascade
CREATE TABLE ddl_books(id integer PRIMARY KEY, author_id integer REFERENCES ddl_authors(id) ON DELETE CASCADE, title text);
-- name: create_child_set_null
CREATE TABLE ddl_reviews(id integer PRIMARY KEY, author_id integer REFERENCES ddl_authors(id) ON DELETE SET NULL, stars int CHECK (stars BETWEEN 1 AND 5));
-- name: insert_authors
INSERT INTO ddl_authors VALUES (1, 'ann', 'ann@x'), (2, 'bob', 'bob@x');
-- name: insert_books
INSERT INTO ddl_books VALUES (10, 1, 'A'), (11, 1, 'B'), (12, 2, 'C');
-- name: insert_reviews
INSERT INTO ddl_reviews VALUES (100, 1, 5), (101, 2, 3);
-- name: fk_violation
INSERT INTO ddl_books VALUES (13, 99, 'orphan');
-- name: check_violation
INSERT INTO ddl_reviews VALUES (102, 1, 9);
-- name: pk_violation
INSERT INTO ddl_authors VALUES (1, 'dup', 'dup@x');
-- name: unique_violation
INSERT INTO ddl_authors VALUES (3, 'cy', 'ann@x');
-- name: delete_parent_cascades
DELETE FROM ddl_authors WHERE id = 1;
-- name: books_after_cascade
SELECT id, author_id, title FROM ddl_books ORDER BY id;
-- name: reviews_after_set_null
SELECT id, author_id, stars FROM ddl_reviews ORDER BY id;
-- name: create_child_no_action
CREATE TABLE ddl_loans(author_id integer REFERENCES ddl_authors(id));
-- name: insert_loan
INSERT INTO ddl_loans VALUES (2);
-- name: delete_referenced_parent
DELETE FROM ddl_authors WHERE id = 2;
-- name: insert_fewer_values_than_columns
INSERT INTO ddl_authors VALUES (5, 'eve');
-- name: insert_column_list_defaults
INSERT INTO ddl_authors(id, name) VALUES (6, 'fay');
-- name: select_authors
SELECT id, name, email FROM ddl_authors ORDER BY id;
-- name: insert_too_many_values
INSERT INTO ddl_authors VALUES (7, 'g', 'g@x', 'extra');
-- name: add_column_not_null_default
ALTER TABLE ddl_authors ADD COLUMN active boolean NOT NULL DEFAULT true;
-- name: add_column_nullable
ALTER TABLE ddl_authors ADD COLUMN bio text;
-- name: select_new_columns
SELECT id, active, bio FROM ddl_authors ORDER BY id;
-- name: add_column_if_not_exists
ALTER TABLE ddl_authors ADD COLUMN IF NOT EXISTS bio text;
-- name: rename_column
ALTER TABLE ddl_authors RENAME COLUMN bio TO about;
-- name: alter_column_type
ALTER TABLE ddl_authors ALTER COLUMN about TYPE varchar(100);
-- name: alter_set_default
ALTER TABLE ddl_authors ALTER COLUMN about SET DEFAULT 'n/a';
-- name: alter_drop_not_null
ALTER TABLE ddl_authors ALTER COLUMN name DROP NOT NULL;
-- name: drop_column
ALTER TABLE ddl_authors DROP COLUMN about;
-- name: create_tags
CREATE TABLE ddl_tags(id int, label text, author_id int);
-- name: add_constraint_unique
ALTER TABLE ddl_tags ADD CONSTRAINT ddl_tags_label_key UNIQUE (label);
-- name: add_constraint_primary_key
ALTER TABLE ddl_tags ADD PRIMARY KEY (id);
-- name: add_constraint_foreign_key
ALTER TABLE ddl_tags ADD CONSTRAINT ddl_tags_author_fk FOREIGN KEY (author_id) REFERENCES ddl_authors(id);
-- name: add_constraint_check
ALTER TABLE ddl_tags ADD CONSTRAINT ddl_tags_label_len CHECK (length(label) > 0);
-- name: insert_tag_violating_added_fk
INSERT INTO ddl_tags VALUES (1, 'x', 42);
-- name: insert_tag_violating_added_unique
INSERT INTO ddl_tags VALUES (1, 'x', 2), (2, 'x', 2);
-- name: create_index_btree
CREATE INDEX ddl_tags_label_idx ON ddl_tags USING btree (label);
-- name: create_index_if_not_exists
CREATE INDEX IF NOT EXISTS ddl_tags_label_idx ON ddl_tags (label);
-- name: create_unique_index
CREATE UNIQUE INDEX ddl_authors_name_idx ON ddl_authors (name);
-- name: create_index_desc_multi
CREATE INDEX ddl_books_multi ON ddl_books (author_id DESC, title);
-- name: create_index_hash
CREATE INDEX ddl_books_hash ON ddl_books USING hash (title);
-- name: drop_index
DROP INDEX ddl_books_multi;
-- name: create_view
CREATE VIEW ddl_author_names AS SELECT id, upper(name) AS name FROM ddl_authors;
-- name: select_view
SELECT id, name FROM ddl_author_names ORDER BY id;
-- name: create_or_replace_view
CREATE OR REPLACE VIEW ddl_author_names AS SELECT id, lower(name) AS name FROM ddl_authors;
-- name: create_materialized_view
CREATE MATERIALIZED VIEW ddl_book_counts AS SELECT author_id, count(*) AS n FROM ddl_books GROUP BY author_id;
-- name: select_materialized_view
SELECT author_id, n FROM ddl_book_counts ORDER BY author_id;
-- name: refresh_materialized_view
REFRESH MATERIALIZED VIEW ddl_book_counts;
-- name: drop_materialized_view
DROP MATERIALIZED VIEW ddl_book_counts;
-- name: create_table_as
CREATE TABLE ddl_copy AS SELECT id, name FROM ddl_authors WHERE id > 2;
-- name: select_table_as
SELECT id, name FROM ddl_copy ORDER BY id;
-- name: create_if_not_exists_notice
CREATE TABLE IF NOT EXISTS ddl_copy(id int);
-- name: create_duplicate_table
CREATE TABLE ddl_copy(id int);
-- name: create_temp_table
CREATE TEMP TABLE ddl_tmp(id int);
-- name: truncate
TRUNCATE ddl_copy;
-- name: rename_table
ALTER TABLE ddl_copy RENAME TO ddl_copy2;
-- name: create_schema
CREATE SCHEMA ddl_s;
-- name: create_table_in_schema
CREATE TABLE ddl_s.items(id int);
-- name: comment_on_table
COMMENT ON TABLE ddl_tags IS 'labels';
-- name: drop_table_if_exists_missing
DROP TABLE IF EXISTS ddl_nothing;
-- name: drop_missing_table
DROP TABLE ddl_nothing;
-- name: drop_schema_cascade
DROP SCHEMA ddl_s CASCADE;
-- name: drop_everything
DROP TABLE ddl_tags, ddl_reviews, ddl_books, ddl_loans, ddl_copy2, ddl_tmp;
-- name: drop_view_and_authors
DROP VIEW ddl_author_names;
-- name: drop_authors
DROP TABLE ddl_authors;
-- name: create_enum
CREATE TYPE ddl_mood AS ENUM ('sad', 'ok', 'happy');
-- name: create_enum_table
CREATE TABLE ddl_people(name text, mood ddl_mood);
-- name: insert_enum
INSERT INTO ddl_people VALUES ('a', 'happy'), ('b', 'sad'), ('c', 'ok'), ('d', NULL);
-- name: enum_order_by_declaration
SELECT name, mood FROM ddl_people ORDER BY mood, name;
-- name: enum_comparison
SELECT name FROM ddl_people WHERE mood > 'sad' ORDER BY name;
-- name: enum_between
SELECT name FROM ddl_people WHERE mood BETWEEN 'ok' AND 'happy' ORDER BY name;
-- name: enum_as_text_comparison
SELECT name FROM ddl_people WHERE mood::text > 'ok' ORDER BY name;
-- name: enum_unknown_label_comparison
SELECT name FROM ddl_people WHERE mood < 'furious';
-- name: enum_bad_value
INSERT INTO ddl_people VALUES ('e', 'angry');
-- name: enum_max
SELECT max(mood) AS m, min(mood) AS n FROM ddl_people;
-- name: drop_enum_table
DROP TABLE ddl_people;
-- name: drop_enum
DROP TYPE ddl_mood;
-- name: fk_tree_self_reference
CREATE TABLE ddl_tree(id int PRIMARY KEY, parent int REFERENCES ddl_tree(id) ON DELETE CASCADE, label text);
-- name: fk_tree_rows
INSERT INTO ddl_tree VALUES (1, NULL, 'root'), (2, 1, 'a'), (3, 2, 'a1'), (4, 2, 'a2'), (5, NULL, 'other'), (6, 5, 'b');
-- name: fk_tree_self_violation
INSERT INTO ddl_tree VALUES (7, 99, 'orphan');
-- name: fk_tree_delete_subtree
DELETE FROM ddl_tree WHERE id = 2;
-- name: fk_tree_after_delete
SELECT id, parent, label FROM ddl_tree ORDER BY id;
-- name: fk_chain_a
CREATE TABLE ddl_fa(id int PRIMARY KEY);
-- name: fk_chain_b
CREATE TABLE ddl_fb(id int PRIMARY KEY, a int REFERENCES ddl_fa ON DELETE CASCADE);
-- name: fk_chain_c_set_null
CREATE TABLE ddl_fc(id int PRIMARY KEY, b int REFERENCES ddl_fb ON DELETE SET NULL);
-- name: fk_chain_d_no_action
CREATE TABLE ddl_fd(id int PRIMARY KEY, b int, CONSTRAINT ddl_fd_b_fk FOREIGN KEY (b) REFERENCES ddl_fb(id) ON UPDATE RESTRICT ON DELETE NO ACTION DEFERRABLE INITIALLY IMMEDIATE);
-- name: fk_chain_rows
INSERT INTO ddl_fa VALUES (1), (2); INSERT INTO ddl_fb VALUES (10, 1), (11, 1), (12, 2); INSERT INTO ddl_fc VALUES (100, 10), (101, 12); INSERT INTO ddl_fd VALUES (1000, 12);
-- name: fk_chain_cascade_two_levels
DELETE FROM ddl_fa WHERE id = 1;
-- name: fk_chain_after_cascade
SELECT (SELECT string_agg(id::text, ',' ORDER BY id) FROM ddl_fb) AS b, (SELECT string_agg(id || ':' || coalesce(b::text, '-'), ',' ORDER BY id) FROM ddl_fc) AS c;
-- name: fk_chain_blocked_by_no_action
DELETE FROM ddl_fa WHERE id = 2;
-- name: fk_chain_nothing_changed_after_failure
SELECT (SELECT count(*) FROM ddl_fa) AS a, (SELECT count(*) FROM ddl_fb) AS b, (SELECT string_agg(id || ':' || coalesce(b::text, '-'), ',' ORDER BY id) FROM ddl_fc) AS c;
-- name: fk_cascade_in_transaction_rolled_back
BEGIN; DELETE FROM ddl_fd; DELETE FROM ddl_fa; ROLLBACK;
-- name: fk_after_rollback
SELECT (SELECT count(*) FROM ddl_fa) AS a, (SELECT count(*) FROM ddl_fb) AS b, (SELECT count(*) FROM ddl_fd) AS d;
-- name: fk_set_null_not_null_column
CREATE TABLE ddl_fe(id int PRIMARY KEY, a int NOT NULL REFERENCES ddl_fa ON DELETE SET NULL);
-- name: fk_set_null_rows
INSERT INTO ddl_fe VALUES (1, 2);
-- name: fk_set_null_violates_not_null
DELETE FROM ddl_fd; DELETE FROM ddl_fa WHERE id = 2;
-- name: fk_set_null_nothing_deleted
SELECT (SELECT count(*) FROM ddl_fa) AS a, (SELECT count(*) FROM ddl_fe) AS e;
-- name: fk_set_default
CREATE TABLE ddl_ff(id int PRIMARY KEY, a int DEFAULT 3 REFERENCES ddl_fa ON DELETE SET DEFAULT);
-- name: fk_set_default_rows
INSERT INTO ddl_fa VALUES (3), (4); INSERT INTO ddl_ff VALUES (1, 4), (2, 2);
-- name: fk_set_default_delete
DELETE FROM ddl_fa WHERE id = 4;
-- name: fk_set_default_after
SELECT id, a FROM ddl_ff ORDER BY id;
-- name: fk_set_default_to_missing_parent
DELETE FROM ddl_fa WHERE id = 3;
-- name: fk_cycle_tables
CREATE TABLE ddl_cy1(id int PRIMARY KEY, other int); CREATE TABLE ddl_cy2(id int PRIMARY KEY, other int REFERENCES ddl_cy1 ON DELETE CASCADE);
-- name: fk_cycle_close
ALTER TABLE ddl_cy1 ADD CONSTRAINT ddl_cy1_other_fk FOREIGN KEY (other) REFERENCES ddl_cy2 ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;
-- name: fk_cycle_rows_deferred
BEGIN; INSERT INTO ddl_cy1 VALUES (1, 10), (2, 20); INSERT INTO ddl_cy2 VALUES (10, 1), (20, 2); COMMIT;
-- name: fk_cycle_delete_cascades_around
DELETE FROM ddl_cy1 WHERE id = 1;
-- name: fk_cycle_after
SELECT (SELECT string_agg(id::text, ',' ORDER BY id) FROM ddl_cy1) AS cy1, (SELECT string_agg(id::text, ',' ORDER BY id) FROM ddl_cy2) AS cy2;
-- name: fk_deferred_violation_at_commit
BEGIN; INSERT INTO ddl_cy1 VALUES (3, 99); COMMIT;
-- name: fk_deferred_nothing_committed
SELECT count(*) FROM ddl_cy1 WHERE id = 3;
-- name: fk_add_constraint_existing_orphans
CREATE TABLE ddl_fg(id int, a int); INSERT INTO ddl_fg VALUES (1, 42); ALTER TABLE ddl_fg ADD CONSTRAINT ddl_fg_a_fk FOREIGN KEY (a) REFERENCES ddl_fa(id);
-- name: fk_update_parent_key_set_null
CREATE TABLE ddl_fh(id int PRIMARY KEY, a int REFERENCES ddl_fa ON UPDATE SET NULL); INSERT INTO ddl_fh VALUES (1, 2); UPDATE ddl_fa SET id = 20 WHERE id = 2;
-- name: fk_update_parent_after
SELECT id, a FROM ddl_fh ORDER BY id;
-- name: fk_update_child_violation
UPDATE ddl_fh SET a = 77;
-- name: fk_truncate_referenced
TRUNCATE ddl_fa;
-- name: fk_drop_referenced_table
DROP TABLE ddl_fa;
-- name: identity_always_table
CREATE TABLE ddl_ident(id int GENERATED ALWAYS AS IDENTITY, v text);
-- name: identity_always_default_ok
INSERT INTO ddl_ident(v) VALUES ('a'); INSERT INTO ddl_ident VALUES (DEFAULT, 'b');
-- name: identity_always_explicit_refused
INSERT INTO ddl_ident(id, v) VALUES (10, 'c');
-- name: identity_always_select_refused
INSERT INTO ddl_ident(id, v) SELECT 11, 'd';
-- name: identity_always_overriding
INSERT INTO ddl_ident(id, v) OVERRIDING SYSTEM VALUE VALUES (12, 'e');
-- name: identity_always_update_refused
UPDATE ddl_ident SET id = 5 WHERE v = 'a';
-- name: identity_always_rows
SELECT id, v FROM ddl_ident ORDER BY id;
-- name: fk_drop_all
DROP TABLE ddl_tree, ddl_fh, ddl_fg, ddl_ff, ddl_fe, ddl_fd, ddl_fc, ddl_fb, ddl_ident;
-- name: add_check_table
CREATE TABLE ddl_chk(id serial PRIMARY KEY, qty int, note text); CREATE INDEX ddl_chk_note ON ddl_chk(note); INSERT INTO ddl_chk(qty, note) VALUES (1, 'a'), (-1, 'b');
-- name: add_check_violated_by_existing_row
ALTER TABLE ddl_chk ADD CONSTRAINT ddl_chk_qty CHECK (qty >= 0);
-- name: add_check_nothing_changed
SELECT id, qty, note FROM ddl_chk ORDER BY id;
-- name: add_check_after_fix
UPDATE ddl_chk SET qty = 0 WHERE qty < 0; ALTER TABLE ddl_chk ADD CONSTRAINT ddl_chk_qty CHECK (qty >= 0);
-- name: add_check_enforced
INSERT INTO ddl_chk(qty, note) VALUES (-5, 'c');
-- name: add_check_serial_goes_on
INSERT INTO ddl_chk(qty, note) VALUES (5, 'd') RETURNING id, qty;
-- name: add_check_in_transaction_rolled_back
BEGIN; ALTER TABLE ddl_chk ADD CHECK (note <> 'zzz'); ROLLBACK; INSERT INTO ddl_chk(qty, note) VALUES (1, 'zzz');
-- name: add_check_rows
SELECT id, qty, note FROM ddl_chk ORDER BY id;
-- name: add_check_drop
DROP TABLE ddl_chk;

-- The catalog objects pg_dump 15 reads, installed by pg_catalog_dump.cpp (see its header).
--
-- Each statement is one CREATE MACRO or CREATE VIEW ending with ';' at the end of a line, led by
-- a line saying how to install it:
--   -- @replace SCHEMA      replaces any object of the name;
--   -- @extend SCHEMA       CURRENT stands for the installed view's SELECT, which this one wraps;
--   -- @if-missing SCHEMA   created only when no object has the name (another part of augur may
--                           own it).
-- The schema named in the statement itself is ignored.

-- pg_dump refuses to dump a standby's data with some options; augur is never a standby.
-- @replace pg_catalog
CREATE MACRO pg_is_in_recovery() AS false;

-- Privileges: augur's objects carry no ACLs, which PostgreSQL's acl columns say with NULL
-- (the owner's default privileges); pg_dump then writes no GRANT or REVOKE.
-- @replace pg_catalog
CREATE MACRO acldefault(kind, owner_oid) AS CAST(NULL AS VARCHAR[]);

-- @if-missing main
CREATE MACRO quote_literal(v) AS
  CASE WHEN v IS NULL THEN NULL
       ELSE '''' || replace(CAST(v AS VARCHAR), '''', '''''') || '''' END;

-- @if-missing main
CREATE MACRO array_remove(arr, element) AS list_filter(arr, x -> x IS DISTINCT FROM element);

-- pg_dump lists foreign-data options as "name value" pairs through this set-returning function.
-- @replace pg_catalog
CREATE MACRO pg_options_to_table(options) AS TABLE
  SELECT split_part(o, '=', 1) AS option_name, substr(o, strpos(o, '=') + 1) AS option_value
  FROM (SELECT unnest(options) AS o);

-- A constraint's definition as PostgreSQL prints it: a referenced table is schema-qualified
-- when its schema is not on the search_path (pg_dump's empty one, for instance).
-- @replace pg_catalog
CREATE MACRO pg_get_constraintdef(constraint_oid, pretty := false) AS (
  SELECT CASE c.constraint_type
    WHEN 'PRIMARY KEY' THEN 'PRIMARY KEY (' || array_to_string(
      list_transform(c.constraint_column_names, x -> quote_ident(x)), ', ') || ')'
    WHEN 'UNIQUE' THEN 'UNIQUE (' || array_to_string(
      list_transform(c.constraint_column_names, x -> quote_ident(x)), ', ') || ')'
    WHEN 'FOREIGN KEY' THEN 'FOREIGN KEY (' || array_to_string(
      list_transform(c.constraint_column_names, x -> quote_ident(x)), ', ') || ') REFERENCES '
      || CASE WHEN list_contains(current_schemas(false), c.schema_name) THEN ''
              ELSE quote_ident(c.schema_name) || '.' END
      || quote_ident(c.referenced_table) || '('
      || array_to_string(list_transform(c.referenced_column_names, x -> quote_ident(x)), ', ')
      || ')'
    WHEN 'CHECK' THEN 'CHECK ((' || c.expression || '))'
  END
  FROM duckdb_constraints() c
  WHERE c.table_oid * 1000000 + c.constraint_index = constraint_oid);

-- Relations, with PostgreSQL's owners and access methods (heap tables, btree indexes). A
-- relation of a schema pg_namespace does not list (DuckDB's internal views) is left out:
-- pg_dump stops at a relation whose schema it cannot find. The system catalog's relations
-- are in pg_catalog (oid 11), as PostgreSQL's are.
-- @extend pg_catalog
CREATE VIEW pg_class AS
  SELECT * REPLACE (
      CASE relkind WHEN 'r' THEN 2 WHEN 'm' THEN 2 WHEN 'i' THEN 403 ELSE 0 END AS relam,
      10 AS relowner,
      'd' AS relreplident,
      CAST(NULL AS VARCHAR[]) AS reloptions,
      CAST(NULL AS VARCHAR[]) AS relacl,
      CASE WHEN relnamespace IN (SELECT oid FROM duckdb_schemas()
                                 WHERE database_name = 'system' AND schema_name = 'pg_catalog')
           THEN 11 ELSE relnamespace END AS relnamespace),
    1259 AS tableoid
  FROM CURRENT
  WHERE relnamespace IN (
    SELECT oid FROM pg_catalog.pg_namespace
    UNION ALL
    SELECT oid FROM duckdb_schemas()
    WHERE database_name = 'system' AND schema_name = 'pg_catalog');

-- DuckDB's main schema is listed only while it holds something: augur's databases keep
-- their objects in public, and a dump must not re-create a schema every augur database has.
-- @extend pg_catalog
CREATE VIEW pg_namespace AS
  SELECT *, 2615 AS tableoid
  FROM CURRENT n
  WHERE n.nspname <> 'main' OR n.oid IN (
    SELECT schema_oid FROM duckdb_tables()
    UNION ALL SELECT schema_oid FROM duckdb_views() WHERE NOT internal
    UNION ALL SELECT schema_oid FROM duckdb_sequences()
    UNION ALL SELECT schema_oid FROM duckdb_types() WHERE NOT internal);

-- @extend pg_catalog
CREATE VIEW pg_type AS
  SELECT * REPLACE (CAST(NULL AS VARCHAR[]) AS typacl), 1247 AS tableoid FROM CURRENT;

-- Array columns: DuckDB's type id of a LIST says nothing of its element.
-- @extend pg_catalog
CREATE VIEW pg_attribute AS
  SELECT a.* REPLACE (coalesce(t.typarray, a.atttypid) AS atttypid, -1 AS attstattarget)
  FROM CURRENT a
  LEFT JOIN duckdb_columns() c
    ON c.table_oid = a.attrelid AND c.column_index = a.attnum AND c.data_type LIKE '%[]'
  LEFT JOIN pg_catalog.pg_type t
    ON c.data_type IS NOT NULL
   AND t.typname = pg_catalog.augur_udt_base_name(left(c.data_type, length(c.data_type) - 2));

-- Comments on shared objects (databases, roles): augur keeps none.
-- @replace pg_catalog
CREATE MACRO shobj_description(object_oid, catalog_name) AS CAST(NULL AS VARCHAR);

-- @extend pg_catalog
CREATE VIEW pg_index AS
  SELECT * REPLACE (
      CAST(coalesce(len(indkey), indnatts) AS SMALLINT) AS indnatts,
      CAST(coalesce(len(indkey), indnkeyatts) AS SMALLINT) AS indnkeyatts),
    false AS indnullsnotdistinct
  FROM CURRENT;

-- DuckDB's own functions and macros are PostgreSQL's built-ins: they live in pg_catalog.
-- @extend pg_catalog
CREATE VIEW pg_proc AS
  SELECT * REPLACE (
      CASE WHEN pronamespace IS NULL OR pronamespace IN (
                  SELECT oid FROM duckdb_schemas() WHERE database_name IN ('system', 'temp'))
           THEN 11 ELSE pronamespace END AS pronamespace,
      10 AS proowner,
      CAST(NULL AS VARCHAR[]) AS proacl),
    1255 AS tableoid
  FROM CURRENT;

-- @replace pg_catalog
CREATE VIEW pg_am AS
  SELECT * FROM (VALUES (2601, 2, 'heap', 'heap_tableam_handler', 't'),
                        (2601, 403, 'btree', 'bthandler', 'i'))
    AS am(tableoid, oid, amname, amhandler, amtype);

-- @replace pg_catalog
CREATE VIEW pg_tablespace AS
  SELECT * FROM (VALUES (1213, 1663, 'pg_default', 10, CAST(NULL AS VARCHAR[]),
                         CAST(NULL AS VARCHAR[])),
                        (1213, 1664, 'pg_global', 10, NULL, NULL))
    AS t(tableoid, oid, spcname, spcowner, spcacl, spcoptions);

-- @replace pg_catalog
CREATE VIEW pg_sequence AS
  SELECT sequence_oid AS seqrelid, 20 AS seqtypid, start_value AS seqstart,
         increment_by AS seqincrement, max_value AS seqmax, min_value AS seqmin,
         1 AS seqcache, "cycle" AS seqcycle
  FROM duckdb_sequences();

-- A column default as PostgreSQL prints it: nextval('name'::regclass), the sequence
-- qualified ('s.name') when its schema is off the search path (pg_dump's is empty).
-- @replace pg_catalog
CREATE VIEW pg_attrdef AS
  SELECT 2604 AS tableoid, table_oid * 2048 + column_index AS oid, table_oid AS adrelid,
    column_index AS adnum,
    CASE
      WHEN regexp_full_match(column_default, 'nextval\(''[^''.]+''\)')
        THEN 'nextval(''' || CASE WHEN list_contains(current_schemas(false), schema_name) THEN ''
                                  ELSE quote_ident(schema_name) || '.' END
             || regexp_extract(column_default, '''(.*)''', 1) || '''::regclass)'
      WHEN regexp_full_match(column_default, 'nextval\(''[^'']+''\)')
        THEN replace(column_default, ''')', '''::regclass)')
      ELSE column_default
    END AS adbin
  FROM duckdb_columns()
  WHERE column_default IS NOT NULL;

-- Dependencies as PostgreSQL records them (see pg_catalog_dump.cpp's header comment).
-- @replace pg_catalog
CREATE VIEW pg_depend AS
  WITH seq AS (
    SELECT c.table_oid, c.column_index, c.table_name, c.column_name, s.sequence_oid,
           s.sequence_name
    FROM duckdb_columns() c
    JOIN duckdb_sequences() s
      ON s.database_name = c.database_name
     AND regexp_full_match(c.column_default, 'nextval\(''(' || regexp_escape(s.schema_name)
                           || '\.)?' || regexp_escape(s.sequence_name) || '''\)')
     AND (s.schema_name = c.schema_name OR contains(c.column_default, '.')))
  -- a sequence owned by the serial or identity column that draws from it
  SELECT 1259 AS classid, sequence_oid AS objid, 0 AS objsubid, 1259 AS refclassid,
         table_oid AS refobjid, column_index AS refobjsubid, 'a' AS deptype
  FROM seq
  WHERE regexp_full_match(sequence_name,
                          regexp_escape(table_name || '_' || column_name || '_seq') || '[0-9]*')
  UNION ALL
  -- a column default depends on its sequence
  SELECT 2604, table_oid * 2048 + column_index, 0, 1259, sequence_oid, 0, 'n' FROM seq
  UNION ALL
  -- a view depends on each relation its text names
  SELECT 1259, v.view_oid, 0, 1259, r.oid, 0, 'n'
  FROM duckdb_views() v
  JOIN (SELECT table_oid AS oid, table_name AS name, database_name FROM duckdb_tables()
        UNION ALL
        SELECT view_oid, view_name, database_name FROM duckdb_views() WHERE NOT internal
        UNION ALL
        SELECT sequence_oid, sequence_name, database_name FROM duckdb_sequences()) r
    ON r.database_name = v.database_name
   AND r.oid <> v.view_oid
   AND regexp_matches(lower(v.sql),
                      '(^|[^a-z0-9_$])"?' || regexp_escape(lower(r.name)) || '"?($|[^a-z0-9_$])')
  WHERE NOT v.internal;

-- @replace pg_catalog
CREATE MACRO pg_tablespace_location(tablespace_oid) AS '';

-- pg_dumpall's roles: pg_roles' rows, with no password readable.
-- @replace pg_catalog
CREATE VIEW pg_authid AS
  SELECT oid, rolname, rolsuper, rolinherit, rolcreaterole, rolcreatedb, rolcanlogin,
         rolreplication, rolbypassrls, rolconnlimit, CAST(NULL AS VARCHAR) AS rolpassword,
         rolvaliduntil
  FROM pg_catalog.pg_roles;

-- Catalogs of things augur does not have: empty, with PostgreSQL's columns in its order.

-- @replace pg_catalog
CREATE VIEW pg_parameter_acl AS SELECT NULL::BIGINT AS oid, NULL::VARCHAR AS parname, NULL::VARCHAR[] AS paracl WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_shseclabel AS SELECT NULL::BIGINT AS objoid, NULL::BIGINT AS classoid, NULL::VARCHAR AS provider, NULL::VARCHAR AS label WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_db_role_setting AS SELECT NULL::BIGINT AS setdatabase, NULL::BIGINT AS setrole, NULL::VARCHAR[] AS setconfig WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_language AS SELECT 2612 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS lanname, NULL::BIGINT AS lanowner, NULL::BOOLEAN AS lanispl, NULL::BOOLEAN AS lanpltrusted, NULL::BIGINT AS lanplcallfoid, NULL::BIGINT AS laninline, NULL::BIGINT AS lanvalidator, NULL::VARCHAR[] AS lanacl WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_operator AS SELECT 2617 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS oprname, NULL::BIGINT AS oprnamespace, NULL::BIGINT AS oprowner, NULL::VARCHAR AS oprkind, NULL::BIGINT AS oprleft, NULL::BIGINT AS oprright, NULL::BIGINT AS oprresult, NULL::VARCHAR AS oprcode WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_opclass AS SELECT 2616 AS tableoid, NULL::BIGINT AS oid, NULL::BIGINT AS opcmethod, NULL::VARCHAR AS opcname, NULL::BIGINT AS opcnamespace, NULL::BIGINT AS opcowner, NULL::BIGINT AS opcfamily, NULL::BIGINT AS opcintype, NULL::BOOLEAN AS opcdefault, NULL::BIGINT AS opckeytype WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_opfamily AS SELECT 2753 AS tableoid, NULL::BIGINT AS oid, NULL::BIGINT AS opfmethod, NULL::VARCHAR AS opfname, NULL::BIGINT AS opfnamespace, NULL::BIGINT AS opfowner WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_amop AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS amopfamily WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_amproc AS SELECT NULL::BIGINT AS oid, NULL::BIGINT AS amprocfamily WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_ts_parser AS SELECT 3601 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS prsname, NULL::BIGINT AS prsnamespace, NULL::VARCHAR AS prsstart, NULL::VARCHAR AS prstoken, NULL::VARCHAR AS prsend, NULL::VARCHAR AS prsheadline, NULL::VARCHAR AS prslextype WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_ts_template AS SELECT 3764 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS tmplname, NULL::BIGINT AS tmplnamespace, NULL::VARCHAR AS tmplinit, NULL::VARCHAR AS tmpllexize WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_ts_dict AS SELECT 3600 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS dictname, NULL::BIGINT AS dictnamespace, NULL::BIGINT AS dictowner, NULL::BIGINT AS dicttemplate, NULL::VARCHAR AS dictinitoption WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_ts_config AS SELECT 3602 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS cfgname, NULL::BIGINT AS cfgnamespace, NULL::BIGINT AS cfgowner, NULL::BIGINT AS cfgparser WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_foreign_data_wrapper AS SELECT 2328 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS fdwname, NULL::BIGINT AS fdwowner, NULL::VARCHAR AS fdwhandler, NULL::VARCHAR AS fdwvalidator, NULL::VARCHAR[] AS fdwacl, NULL::VARCHAR[] AS fdwoptions WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_foreign_server AS SELECT 1417 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS srvname, NULL::BIGINT AS srvowner, NULL::BIGINT AS srvfdw, NULL::VARCHAR AS srvtype, NULL::VARCHAR AS srvversion, NULL::VARCHAR[] AS srvacl, NULL::VARCHAR[] AS srvoptions WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_foreign_table AS SELECT NULL::BIGINT AS ftrelid, NULL::BIGINT AS ftserver, NULL::VARCHAR[] AS ftoptions WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_default_acl AS SELECT 826 AS tableoid, NULL::BIGINT AS oid, NULL::BIGINT AS defaclrole, NULL::BIGINT AS defaclnamespace, NULL::VARCHAR AS defaclobjtype, NULL::VARCHAR[] AS defaclacl WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_conversion AS SELECT 2607 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS conname, NULL::BIGINT AS connamespace, NULL::BIGINT AS conowner WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_cast AS SELECT 2605 AS tableoid, NULL::BIGINT AS oid, NULL::BIGINT AS castsource, NULL::BIGINT AS casttarget, NULL::BIGINT AS castfunc, NULL::VARCHAR AS castcontext, NULL::VARCHAR AS castmethod WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_transform AS SELECT 3576 AS tableoid, NULL::BIGINT AS oid, NULL::BIGINT AS trftype, NULL::BIGINT AS trflang, NULL::VARCHAR AS trffromsql, NULL::VARCHAR AS trftosql WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_event_trigger AS SELECT 3466 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS evtname, NULL::VARCHAR AS evtevent, NULL::BIGINT AS evtowner, NULL::BIGINT AS evtfoid, NULL::VARCHAR AS evtenabled, NULL::VARCHAR[] AS evttags WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_largeobject_metadata AS SELECT 2995 AS tableoid, NULL::BIGINT AS oid, NULL::BIGINT AS lomowner, NULL::VARCHAR[] AS lomacl WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_init_privs AS SELECT NULL::BIGINT AS objoid, NULL::BIGINT AS classoid, NULL::INTEGER AS objsubid, NULL::VARCHAR AS privtype, NULL::VARCHAR[] AS initprivs WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_seclabels AS SELECT NULL::BIGINT AS objoid, NULL::BIGINT AS classoid, NULL::INTEGER AS objsubid, NULL::VARCHAR AS objtype, NULL::BIGINT AS objnamespace, NULL::VARCHAR AS objname, NULL::VARCHAR AS provider, NULL::VARCHAR AS label WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_subscription AS SELECT 6100 AS tableoid, NULL::BIGINT AS oid, NULL::BIGINT AS subdbid, NULL::VARCHAR AS subname, NULL::BIGINT AS subowner, NULL::BOOLEAN AS subenabled, NULL::BOOLEAN AS subbinary, NULL::BOOLEAN AS substream, NULL::VARCHAR AS subtwophasestate, NULL::BOOLEAN AS subdisableonerr, NULL::VARCHAR AS subconninfo, NULL::VARCHAR AS subslotname, NULL::VARCHAR AS subsynccommit, NULL::VARCHAR[] AS subpublications WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_rewrite AS SELECT 2618 AS tableoid, NULL::BIGINT AS oid, NULL::VARCHAR AS rulename, NULL::BIGINT AS ev_class, NULL::VARCHAR AS ev_type, NULL::VARCHAR AS ev_enabled, NULL::BOOLEAN AS is_instead WHERE false;
-- @replace pg_catalog
CREATE VIEW pg_partitioned_table AS SELECT NULL::BIGINT AS partrelid, NULL::VARCHAR AS partstrat, NULL::SMALLINT AS partnatts, NULL::BIGINT AS partdefid, NULL::SMALLINT[] AS partattrs, NULL::BIGINT[] AS partclass WHERE false;

-- Catalog views that need only columns added to DuckDB's own: the catalog's oid as tableoid, and
-- what pg_dump reads that DuckDB lacks.

-- @extend pg_catalog
CREATE VIEW pg_database AS SELECT *, 1262 AS tableoid, 0 AS datfrozenxid, 0 AS datminmxid, CAST(NULL AS VARCHAR) AS datcollversion, 1663 AS dattablespace FROM CURRENT;
-- @extend pg_catalog
CREATE VIEW pg_constraint AS SELECT *, 2606 AS tableoid FROM CURRENT;
-- @extend pg_catalog
CREATE VIEW pg_collation AS SELECT *, 3456 AS tableoid, 10 AS collowner, -1 AS collencoding, 'd' AS collprovider, true AS collisdeterministic FROM CURRENT;
-- @extend pg_catalog
CREATE VIEW pg_statistic_ext AS SELECT *, 3381 AS tableoid, 10 AS stxowner, -1 AS stxstattarget FROM CURRENT;
-- @extend pg_catalog
CREATE VIEW pg_publication AS SELECT *, 6104 AS tableoid, 10 AS pubowner, true AS pubinsert, true AS pubupdate, true AS pubdelete, true AS pubtruncate, false AS pubviaroot FROM CURRENT;
-- @extend pg_catalog
CREATE VIEW pg_publication_rel AS SELECT *, 6106 AS tableoid, CAST(NULL AS BIGINT) AS oid FROM CURRENT;
-- @extend pg_catalog
CREATE VIEW pg_publication_namespace AS SELECT *, 6237 AS tableoid, CAST(NULL AS BIGINT) AS oid FROM CURRENT;
-- @extend pg_catalog
CREATE VIEW pg_policy AS SELECT *, 3256 AS tableoid FROM CURRENT;

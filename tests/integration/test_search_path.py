"""PostgreSQL's public schema and search_path: unqualified names live in "public", search_path
decides where names are found and created (SET, set_config, RESET, startup options), and the
catalogs report the schemas by PostgreSQL's names. Expected values are PostgreSQL 15's."""

import psycopg
import pytest


def test_unqualified_tables_live_in_public(conn):
    conn.execute("DROP TABLE IF EXISTS sp_plain")
    conn.execute("CREATE TABLE sp_plain(i INTEGER)")
    conn.execute("INSERT INTO public.sp_plain VALUES (1)")
    assert conn.execute("SELECT i FROM public.sp_plain").fetchall() == [(1,)]
    assert conn.execute("SELECT current_schema(), current_schemas(false)").fetchone() == (
        "public", ["public"])
    assert conn.execute(
        "SELECT table_schema FROM information_schema.tables WHERE table_name = 'sp_plain'"
    ).fetchall() == [("public",)]
    assert conn.execute(
        "SELECT n.nspname FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
        "ON n.oid = c.relnamespace WHERE c.relname = 'sp_plain'").fetchall() == [("public",)]


def test_search_path_decides_where_names_resolve_and_are_created(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("DROP SCHEMA IF EXISTS sp_app CASCADE")
        c.execute("CREATE TABLE IF NOT EXISTS sp_shared(v TEXT)")
        c.execute("DELETE FROM sp_shared")
        c.execute("INSERT INTO sp_shared VALUES ('public')")
        # A schema that does not exist yet is skipped, as PostgreSQL does, until it exists.
        c.execute("SET search_path TO sp_app, public")
        assert c.execute("SHOW search_path").fetchone() == ("sp_app, public",)
        assert c.execute("SELECT current_schema()").fetchone() == ("public",)
        c.execute("CREATE SCHEMA sp_app")
        assert c.execute("SELECT current_schema()").fetchone() == ("sp_app",)
        c.execute("CREATE TABLE sp_shared(v TEXT)")  # lands in sp_app: the first on the path
        c.execute("INSERT INTO sp_shared VALUES ('app')")
        assert c.execute("SELECT v FROM sp_shared").fetchall() == [("app",)]
        assert c.execute("SELECT v FROM public.sp_shared").fetchall() == [("public",)]
        # pg_dump's way: an empty path, then only qualified names.
        c.execute("SELECT pg_catalog.set_config('search_path', '', false)")
        assert c.execute("SHOW search_path").fetchone() == ("",)
        with pytest.raises(psycopg.errors.UndefinedTable):
            c.execute("SELECT v FROM sp_shared")
        assert c.execute("SELECT v FROM sp_app.sp_shared").fetchall() == [("app",)]
        c.execute("RESET search_path")
        assert c.execute("SHOW search_path").fetchone() == ('"$user", public',)
        assert c.execute("SELECT v FROM sp_shared").fetchall() == [("public",)]
        c.execute("DROP SCHEMA sp_app CASCADE")


def test_search_path_from_startup_options(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute("CREATE SCHEMA IF NOT EXISTS sp_opts")
        c.execute("CREATE TABLE IF NOT EXISTS sp_opts.only_here(i INTEGER)")
    options = "-c search_path=sp_opts,public -c statement_timeout=7s"
    with psycopg.connect(server.dsn(), autocommit=True, options=options) as c:
        assert c.execute("SHOW search_path").fetchone() == ("sp_opts,public",)
        assert c.execute("SHOW statement_timeout").fetchone() == ("7s",)
        assert c.execute("SELECT count(*) FROM only_here").fetchone() == (0,)
        assert c.execute("SELECT current_schema()").fetchone() == ("sp_opts",)


def test_hostile_startup_options_end_the_connection(server):
    for options, sqlstate in [("-c no_such_setting_x=1", "42704"),
                              ("-D /etc", "42601"),
                              ("-c search_path=x';DROP\\ TABLE\\ t;--", None)]:
        if sqlstate is None:
            # A value is only ever a string literal: the quote is part of the schema name.
            with psycopg.connect(server.dsn(), autocommit=True, options=options) as c:
                assert c.execute("SHOW search_path").fetchone() == ("x';DROP TABLE t;--",)
            continue
        with pytest.raises(psycopg.OperationalError) as raised:
            psycopg.connect(server.dsn(), options=options)
        assert sqlstate in str(raised.value) or "configuration parameter" in str(
            raised.value) or "command-line" in str(raised.value)
    # The server keeps serving.
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        assert c.execute("SELECT 1").fetchone() == (1,)


def test_a_quoted_search_path_keeps_case(server):
    with psycopg.connect(server.dsn(), autocommit=True) as c:
        c.execute('CREATE SCHEMA IF NOT EXISTS "Mixed Case"')
        c.execute('CREATE TABLE IF NOT EXISTS "Mixed Case".mc(i INTEGER)')
        c.execute('SET search_path TO "Mixed Case", public')
        assert c.execute("SHOW search_path").fetchone() == ('"Mixed Case", public',)
        assert c.execute("SELECT count(*) FROM mc").fetchone() == (0,)

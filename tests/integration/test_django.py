"""Django (Debian's python3-django, 3.2) against augur: migrate on a fresh database, then an app
with ForeignKey (CASCADE, SET_NULL), unique, indexes, DateTimeField, DecimalField, JSONField and
BinaryField (tests/integration/django_app): CRUD, annotate(Count), JSON lookups, inspectdb.
The expected values are what the same code gives against PostgreSQL 15."""

import datetime
import decimal
import io
import sys
from pathlib import Path

import pytest

from augur_server import AugurServer
from conftest import configure_django

django = pytest.importorskip("django")
sys.path.insert(0, str(Path(__file__).resolve().parent))

UTC = datetime.timezone.utc


@pytest.fixture(scope="module")
def dj(tmp_path_factory):
    """A server of its own (a fresh database) with Django configured for it and migrated."""
    srv = AugurServer(tmp_path_factory.mktemp("django-data")).start()
    configure_django(srv.host, srv.port)
    from django.core.management import call_command
    call_command("migrate", verbosity=0)
    yield srv
    from django.db import connections
    connections.close_all()
    srv.stop()


def test_migrate_records_every_migration(dj):
    from django.db import connection
    with connection.cursor() as cur:
        cur.execute("SELECT app, count(*) FROM django_migrations GROUP BY app ORDER BY app")
        assert cur.fetchall() == [("auth", 12), ("contenttypes", 2), ("django_app", 1)]
        # The serial primary keys numbered the rows 1..15, as PostgreSQL's sequence does.
        cur.execute("SELECT min(id), max(id) FROM django_migrations")
        assert cur.fetchone() == (1, 15)
        cur.execute("SELECT pg_get_serial_sequence('django_migrations', 'id')")
        assert cur.fetchone()[0] == "public.django_migrations_id_seq"
    # content types and permissions were created by the post-migrate signal
    from django.contrib.auth.models import Permission
    assert Permission.objects.filter(codename="add_book").count() == 1


def test_crud_annotate_json_and_cascades(dj):
    from django.db.models import Count
    from django_app.models import Author, Book
    published = datetime.datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC)
    ann = Author.objects.create(name="Ann", born=datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=UTC))
    bob = Author.objects.create(name="Bob")
    assert bob.id == ann.id + 1  # INSERT ... RETURNING "id"
    one = Book.objects.create(author=ann, editor=bob, title="One", price=decimal.Decimal("12.50"),
                              published=published, data={"tags": ["x", "y"], "n": 1})
    two = Book.objects.create(author=ann, title="Two", price=decimal.Decimal("3.00"),
                              published=published, data={"n": 2})
    Book.objects.create(author=bob, title="Three", price=decimal.Decimal("7.25"),
                        published=published, data=[1, 2])
    assert list(Book.objects.order_by("id").values_list("title", "price", "data")) == [
        ("One", decimal.Decimal("12.50"), {"n": 1, "tags": ["x", "y"]}),
        ("Two", decimal.Decimal("3.00"), {"n": 2}),
        ("Three", decimal.Decimal("7.25"), [1, 2])]
    assert Author.objects.get(name="Ann").born == datetime.datetime(1970, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert Book.objects.get(id=one.id).published == published

    # annotate(Count) groups by the primary key alone and selects the other columns.
    counted = Author.objects.annotate(n=Count("books")).order_by("name")
    assert [(a.name, a.n) for a in counted] == [("Ann", 2), ("Bob", 1)]

    # JSON lookups: contains (@>), has_key (?), key transforms (->, #>).
    def titles(**lookup):
        return sorted(Book.objects.filter(**lookup).values_list("title", flat=True))
    assert titles(data__contains={"n": 1}) == ["One"]
    assert titles(data__has_key="tags") == ["One"]
    assert titles(data__has_any_keys=["tags", "n"]) == ["One", "Two"]
    assert titles(data__has_keys=["tags", "n"]) == ["One"]
    assert titles(data__n=2) == ["Two"]
    assert titles(data__tags__0="x") == ["One"]
    assert titles(data__contained_by={"n": 2, "z": 0}) == ["Two"]

    Book.objects.filter(id=two.id).update(price=decimal.Decimal("4.00"))
    assert Book.objects.get(id=two.id).price == decimal.Decimal("4.00")

    # on_delete is Django's: SET_NULL updates the referencing rows, CASCADE deletes them first.
    bob.delete()
    assert list(Book.objects.order_by("id").values_list("title", "editor_id")) == [
        ("One", None), ("Two", None)]
    ann.delete()
    assert (Book.objects.count(), Author.objects.count()) == (0, 0)


def test_unique_constraints_are_enforced(dj):
    from django.db import IntegrityError, transaction
    from django_app.models import Author, Book
    carl = Author.objects.create(name="Carl")
    with pytest.raises(IntegrityError), transaction.atomic():
        Author.objects.create(name="Carl")  # name UNIQUE (in CREATE TABLE)
    when = datetime.datetime(2021, 1, 1, tzinfo=UTC)
    Book.objects.create(author=carl, title="T", price=1, published=when)
    with pytest.raises(IntegrityError), transaction.atomic():
        # unique_together: ALTER TABLE ... ADD CONSTRAINT ... UNIQUE became a unique index
        Book.objects.create(author=carl, title="T", price=2, published=when)
    carl.delete()


def test_binary_field(dj):
    from django_app.models import Author, Book
    dora = Author.objects.create(name="Dora")
    book = Book.objects.create(author=dora, title="B", price=1, cover=b"\x00\x01\xff",
                               published=datetime.datetime(2021, 1, 1, tzinfo=UTC))
    try:
        assert bytes(Book.objects.get(id=book.id).cover) == b"\x00\x01\xff"
    finally:
        dora.delete()


def test_inspectdb(dj):
    from django.core.management import call_command
    out = io.StringIO()
    call_command("inspectdb", "django_app_book", stdout=out)
    model = out.getvalue()
    assert "Unable to inspect" not in model
    assert "class DjangoAppBook(models.Model):" in model
    assert "price = models.DecimalField(max_digits=8, decimal_places=2)" in model
    assert "published = models.DateTimeField()" in model
    assert "data = models.JSONField()" in model
    assert "cover = models.BinaryField(blank=True, null=True)" in model
    assert "unique_together = (('author_id', 'title'),)" in model


def test_schema_changes_on_an_indexed_table(dj):
    """What later migrations emit on a table with secondary indexes: ADD COLUMN ... DEFAULT ...
    NOT NULL (then DROP DEFAULT), ADD COLUMN ... UNIQUE, RENAME COLUMN and DROP COLUMN."""
    from django.db import connection, models
    from django_app.models import Author, Book
    rating = models.IntegerField(default=3)
    rating.set_attributes_from_name("rating")
    isbn = models.CharField(max_length=20, null=True, unique=True)
    isbn.set_attributes_from_name("isbn")
    erin = Author.objects.create(name="Erin")
    Book.objects.create(author=erin, title="Old", price=1,
                        published=datetime.datetime(2021, 1, 1, tzinfo=UTC))
    with connection.schema_editor() as editor:
        editor.add_field(Book, rating)
        editor.add_field(Book, isbn)
    with connection.cursor() as cur:
        cur.execute("SELECT title, rating, isbn FROM django_app_book")
        assert cur.fetchall() == [("Old", 3, None)]  # the default filled the existing row
        cur.execute("SELECT column_default FROM information_schema.columns WHERE table_name = "
                    "'django_app_book' AND column_name = 'rating'")
        assert cur.fetchone() == (None,)  # Django dropped the default again
        cur.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'django_app_book' "
                    "ORDER BY 1")
        indexes = [r[0] for r in cur.fetchall()]
        assert "book_pub_price" in indexes and "django_app_book_title_c347a1de" in indexes
        cur.execute("ALTER TABLE django_app_book RENAME COLUMN rating TO stars")
        cur.execute("ALTER TABLE django_app_book DROP COLUMN stars")
        cur.execute("ALTER TABLE django_app_book DROP COLUMN isbn")
        cur.execute("SELECT index_name FROM duckdb_indexes() WHERE table_name = 'django_app_book' "
                    "ORDER BY 1")
        assert [r[0] for r in cur.fetchall()] == [i for i in indexes if "isbn" not in i]
    erin.delete()


def test_sequence_reset_after_explicit_ids(dj):
    """loaddata and sqlsequencereset: rows inserted with explicit ids, then
    setval(pg_get_serial_sequence(...), max(id)) so that new rows continue after them."""
    from django.core.management import call_command
    from django.db import connection
    from django_app.models import Author
    Author.objects.create(id=500, name="Fixed")
    out = io.StringIO()
    call_command("sqlsequencereset", "django_app", stdout=out, no_color=True)
    assert "setval(pg_get_serial_sequence('\"django_app_author\"','id')" in out.getvalue()
    with connection.cursor() as cur:
        cur.execute(out.getvalue())
    assert Author.objects.create(name="Next").id == 501
    Author.objects.filter(name__in=["Fixed", "Next"]).delete()

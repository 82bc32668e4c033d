"""Models covering ForeignKey (CASCADE and SET_NULL), unique, indexes, DateTimeField,
DecimalField, JSONField and BinaryField."""

from django.db import models


class Author(models.Model):
    name = models.CharField(max_length=100, unique=True)
    born = models.DateTimeField(null=True)

    class Meta:
        app_label = "django_app"


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    editor = models.ForeignKey(Author, on_delete=models.SET_NULL, null=True,
                               related_name="edited")
    title = models.CharField(max_length=200, db_index=True)
    price = models.DecimalField(max_digits=8, decimal_places=2)
    published = models.DateTimeField()
    data = models.JSONField(default=dict)
    cover = models.BinaryField(null=True)

    class Meta:
        app_label = "django_app"
        indexes = [models.Index(fields=["published", "price"], name="book_pub_price")]
        unique_together = [("author", "title")]

"""The cross-agency search index (public schema): one row per published service and language."""

from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Agency


class IndexedService(models.Model):
    """A published service as search sees it; written only by ``search.services``."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    translation_key = models.UUIDField()
    language = models.CharField(max_length=8)
    service_slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=255)
    summary = models.TextField()
    url = models.URLField(max_length=500, db_index=True)
    level = models.CharField(max_length=8)
    delivery = models.CharField(max_length=12)
    audience = models.CharField(max_length=20)
    province = models.CharField(max_length=32, blank=True)
    unavailable = models.BooleanField(default=False)
    # The national registry's identifier, as written (digits normalised to ASCII).
    registry_code = models.CharField(max_length=40, blank=True, db_index=True)
    # The request form on the agency's site; empty when the service is in person only.
    apply_url = models.URLField(max_length=500, blank=True, db_index=True)
    topics = ArrayField(models.SlugField(max_length=80), default=list, blank=True)
    life_events = ArrayField(models.SlugField(max_length=80), default=list, blank=True)
    # Normalised terms (persian.text.search_text) of each weighted part.
    title_terms = models.TextField()
    keyword_terms = models.TextField(blank=True)
    summary_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    search_vector = SearchVectorField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "translation_key", "language"], name="one_entry_per_translation"
            )
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="indexed_service_vector"),
            # An agency's services, read from the index alone (the ranking, IndexedWord).
            models.Index(
                fields=["language", "agency"], include=["id"], name="indexed_service_agency"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.agency_id}, {self.language})"


class IndexedWord(models.Model):
    """One word of one indexed service, with the places it is in: the ranking's postings.

    Written with the service's entry (``search.backends.postgres``). The ranking reads
    only the indexes, with their included columns: on (language, word) to find which
    services have a word, and where; on (service, language, word) to find whether one
    service has it. Neither reads a service's row.
    """

    # Places, as bits: where in the service the word is.
    TITLE, KEYWORDS, SUMMARY, BODY = 8, 4, 2, 1
    MAX_LENGTH = 100

    # Indexed by "indexed_word_service" below, which also serves the cascade.
    service = models.ForeignKey(
        IndexedService, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    agency_id = models.BigIntegerField()
    language = models.CharField(max_length=8)
    word = models.TextField()
    places = models.PositiveSmallIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["language", "word"],
                opclasses=["varchar_pattern_ops", "text_pattern_ops"],
                include=["places", "service", "agency_id"],
                name="indexed_word_lookup",
            ),
            # Whether one service has a word (or a prefix), and where: the ranking looks
            # a common word up this way among a few candidates, instead of reading all
            # the services that have it.
            models.Index(
                fields=["service", "language", "word"],
                opclasses=["int8_ops", "varchar_pattern_ops", "text_pattern_ops"],
                include=["places"],
                name="indexed_word_service",
            ),
        ]

    def __str__(self) -> str:
        return self.word


class IndexedTerm(models.Model):
    """Every word of indexed titles and keywords: the vocabulary typos are corrected against.

    Only ever added to (a word no longer used costs nothing but a row), so
    indexing never has to count which services still use a word.
    """

    term = models.CharField(max_length=100, unique=True)

    class Meta:
        indexes = [GinIndex(OpClass("term", name="gin_trgm_ops"), name="indexed_term_trgm")]

    def __str__(self) -> str:
        return self.term


class SynonymGroup(models.Model):
    """Phrases citizens use for the same thing, e.g. «گواهینامه» and «مدرک رانندگی»."""

    phrases = models.TextField(_("phrases"), help_text=_("One phrase per line; all mean the same."))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("synonym group")
        verbose_name_plural = _("synonyms")

    def __str__(self) -> str:
        return " ↔ ".join(self.phrase_list)

    @property
    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]


class QueryLog(models.Model):
    """What citizens looked for, anonymously: to see what they do not find."""

    query = models.CharField(max_length=200)
    language = models.CharField(max_length=8)
    result_count = models.PositiveIntegerField()
    clicked_position = models.PositiveSmallIntegerField(null=True, blank=True)
    # The service opened first (agency and service slugs): the portal's "most used services".
    # Most searches open nothing: only the clicked rows are indexed (``clicked``), so that a
    # search's row is written to two indexes, not six.
    clicked_agency = models.SlugField(max_length=63, blank=True, db_index=False)
    clicked_service = models.SlugField(max_length=80, blank=True, db_index=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                include=["clicked_agency", "clicked_service"],
                condition=~models.Q(clicked_service=""),
                name="querylog_clicked",
            )
        ]

    def __str__(self) -> str:
        return self.query


class IndexGeneration(models.Model):
    """Three rows whose values change with what the ranking caches, each in the
    transaction that changes it: what the ranking's rows carry to say what they were read
    in (``postgres_ranking._STATE``).

    Row 1 changes with every write to the index: statistics read from the index (how many
    services have a word) are cached per process under it, so a search sees them anew
    once a change is committed. Rows 2 and 3 change with every change to the synonym
    groups and to what the ranking reads of the agencies (slug, names, active or not):
    triggers on those tables set them in the statement that makes the change, however it
    is made (the admin, a command, SQL by hand; migration ``0011``). Each is a row of its
    own, so that writing the index and changing an agency never wait for each other.
    """

    INDEX, SYNONYMS, AGENCIES = 1, 2, 3

    value = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)

"""What the benchmark generator put in this database (one row per seeding)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class BenchDataset(models.Model):
    """A bench data set: its scale and, once every step finished, the counts it seeded.

    Bench rows themselves are recognised by their markers (organisation codes starting with
    ``BX``, e-mail addresses at ``bench.hrdcase.test``), so a reset can find them without
    this table; this row records which scale is loaded and whether seeding completed.
    """

    scale = models.FloatField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    timings = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        state = "complete" if self.finished_at else "incomplete"
        return f"bench data at scale {self.scale} ({state})"

"""``manage.py retention_preview``: which closed cases the retention purge will destroy, and
when. Prints reference and pseudonym only, never identity."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation
from cases.selectors.retention import retention_preview


class Command(BaseCommand):
    help = "List the closed cases due for purging (now, or within --days), by purge date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--organisation", help="only this organisation (its code)")
        parser.add_argument(
            "--days", type=int, default=0, help="also list cases due within this many days"
        )
        parser.add_argument("--today", help="pretend today is this date (YYYY-MM-DD)")

    def handle(self, *args, **options) -> None:
        organisation = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(code=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"no organisation with code {options['organisation']!r}")
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD") from None
        if options["days"] < 0:
            raise CommandError("--days cannot be negative")
        rows = retention_preview(
            organisation=organisation, today=today, within_days=options["days"]
        )
        codes = dict(
            Organisation.objects.filter(pk__in={row.organisation_id for row in rows}).values_list(
                "pk", "code"
            )
        )
        for row in rows:
            code = codes.get(row.organisation_id, "?")
            flag = "due" if row.due else ""
            self.stdout.write(
                f"{row.purge_on.isoformat()}  {flag:<3}  {code:<12}  "
                f"{row.reference}  {row.pseudonym}"
            )
        due = sum(1 for row in rows if row.due)
        self.stdout.write(f"{len(rows)} case(s) listed, {due} due at the next run.")

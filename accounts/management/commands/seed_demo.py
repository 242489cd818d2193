from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import module_has_submodule

from accounts import demo


class Command(BaseCommand):
    help = "Load the fictional demo organisations and users (idempotent; embedded mode only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Seed even with HRDCASE_DEBUG off (never on a real deployment: known passwords).",
        )

    def handle(self, *args, allow_production: bool = False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "seed_demo creates accounts with a published password; it runs only with "
                "HRDCASE_DEBUG=1 (or --allow-production for a throwaway instance)."
            )
        rows = demo.seed()
        # Apps above accounts (cases, ...) add their demo data from their own ``demo`` module;
        # accounts never imports them.
        for config in apps.get_app_configs():
            if config.name != "accounts" and module_has_submodule(config.module, "demo"):
                import_module(f"{config.name}.demo").seed()
        width = max(len(email) for email, _org, _role in rows)
        self.stdout.write(
            self.style.SUCCESS(f"Demo accounts (password for all: {demo.DEMO_PASSWORD})")
        )
        for email, organisation, role in rows:
            self.stdout.write(f"  {email:<{width}}  {role:<22} {organisation}")

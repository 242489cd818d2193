from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import services
from accounts.models import User


class Command(BaseCommand):
    help = "Create a personal API token for EMAIL and print only the key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email: str, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"No user with the email {email!r}.")
        try:
            _instance, key = services.token_create(user=user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(key)

"""Onboard a few demo agencies and a demo administrator, then print where to go."""

from django.conf import settings
from django.core.management.base import BaseCommand

from console.demo import seed_demo
from tenants.links import portal_url


class Command(BaseCommand):
    help = "Onboard the demo agencies (idempotent) and create the demo administrator."

    def handle(self, *args, **options):
        username = settings.DEMO_ADMIN_USERNAME
        password = settings.DEMO_ADMIN_PASSWORD
        self.stdout.write("Seeding demo agencies…")
        agencies = seed_demo(admin_username=username, admin_password=password, stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("\nPanjereh is ready:"))
        self.stdout.write(f"  national portal: {portal_url()}")
        self.stdout.write(f"  national admin:  {portal_url()}admin/")
        for agency in agencies:
            self.stdout.write(
                f"  {agency.name_fa}: {agency.site_url}  (admin: {agency.site_url}admin/)"
            )
        self.stdout.write(f"  login everywhere: {username} / {password}")

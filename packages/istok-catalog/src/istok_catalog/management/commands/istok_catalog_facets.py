"""``manage.py istok_catalog_facets``: rebuild the facet table, or verify it.

The catalog filters, counts and orders products through ``ProductFacet``, one narrow row
per product that the catalog's receivers keep equal to the product tables. Writes that go
around them (``QuerySet.update()``, ``bulk_create()``, raw SQL, a restored dump) leave it
behind: run this command afterwards.

- without options: rebuild the whole table in one transaction and print the row count;
- ``--verify``: compare it with the product tables, print the products that differ and
  exit with status 1 when one does (a check for cron or CI); nothing is changed.
"""

import sys

from django.core.management.base import BaseCommand

from ... import services


class Command(BaseCommand):
    help = (
        "Rebuild the catalog's facet table from the product tables, or with --verify "
        "compare it with them (exit 1 on any difference)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--verify", action="store_true", help="Only compare; exit 1 on any difference."
        )
        parser.add_argument("--database", default=None, help="The database alias.")

    def handle(self, *args, **options):
        using = options["database"]
        if options["verify"]:
            differences = services.facet_differences(using=using)
            if differences:
                shown = ", ".join(map(str, differences[:20]))
                more = " (and more)" if len(differences) > 20 else ""
                self.stderr.write(
                    f"The facet rows of {len(differences)} product(s) differ from the product "
                    f"tables: {shown}{more}. Run istok_catalog_facets to rebuild them."
                )
                sys.exit(1)
            self.stdout.write("The facet table matches the product tables.")
            return
        count = services.rebuild_facets(using=using)
        self.stdout.write(f"Rebuilt the facet rows of {count} product(s).")

"""``manage.py istok_catalog_demo --products N``: fill the catalog with generated products.

Made for demos and load tests: products get realistic names (no two alike), taxonomy
that fits them (a kitchen is for the home, kids' furniture for the kids' room), prices and
dates. Each piece of furniture is drawn and modelled from its category, layout and
materials (``istok_catalog.demo``): a colour picture, its sketch, a thumbnail and a GLB 3D
model per variant, at most ``--variants`` of them (products beyond share a drawn variant of
their category), so 100,000 products cost a bounded number of files. Services get an
icon each. Rows are written in bulk: the base rows with their polymorphic type set, then
each kind's rows pointing at them.
"""

import io
import random
import secrets
import time
from datetime import timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import connections, router, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from ... import services
from ...demo import glb, pictures, scenes
from ...models import (
    Category,
    CountertopMaterial,
    FacadeMaterial,
    FurnitureProduct,
    Product,
    Purpose,
    ServiceProduct,
    Shape,
)

#: Series names, translated when a product is named ("Кухня «Верона»").
SERIES = [
    gettext_noop("Verona"),
    gettext_noop("Loft"),
    gettext_noop("Scandi"),
    gettext_noop("Milano"),
    gettext_noop("Provence"),
    gettext_noop("Nordic"),
    gettext_noop("Oslo"),
    gettext_noop("Bergamo"),
    gettext_noop("Tiffany"),
    gettext_noop("Modern"),
    gettext_noop("Classic"),
    gettext_noop("Como"),
    gettext_noop("Riviera"),
    gettext_noop("Toscana"),
    gettext_noop("Lagom"),
    gettext_noop("Porto"),
    gettext_noop("Sienna"),
    gettext_noop("Grafit"),
    gettext_noop("Aurora"),
    gettext_noop("Madera"),
    gettext_noop("Bianca"),
    gettext_noop("Terra"),
    gettext_noop("Linea"),
    gettext_noop("Quadro"),
]

#: Category slug -> (base price in roubles, price spread, shapes offered, has a countertop).
CATEGORY_PROFILES = {
    "kitchen": (180_000, 3.0, ["straight", "corner", "u-shaped", "island", "radius"], True),
    "wardrobe": (60_000, 2.5, ["straight", "corner", "radius"], False),
    "hallway": (45_000, 2.0, ["straight", "corner"], False),
    "dresser": (25_000, 2.0, ["straight"], False),
    "shelving": (15_000, 2.5, ["straight", "corner"], False),
    "kids-furniture": (70_000, 2.5, ["straight", "corner"], False),
    "bathroom-furniture": (40_000, 2.0, ["straight", "corner"], True),
    "living-room": (90_000, 2.5, ["straight", "corner", "u-shaped"], False),
}
DEFAULT_PROFILE = (50_000, 2.0, [], False)

#: Category slug -> the sets of purposes (slugs) its products are given: a kitchen is for
#: the home, a shelving unit for the home or an office, kids' furniture for the kids' room.
CATEGORY_PURPOSES = {
    "kitchen": [["home"]],
    "wardrobe": [["home"], ["home", "kids-room"], ["office"]],
    "hallway": [["home"]],
    "dresser": [["home"], ["home", "kids-room"]],
    "shelving": [["home"], ["office"], ["home", "office"]],
    "kids-furniture": [["kids-room"]],
    "bathroom-furniture": [["home"]],
    "living-room": [["home"]],
}
DEFAULT_PURPOSES = [["home"]]

#: (name, price, price unit, minutes, icon, description): the services a studio sells.
SERVICES = [
    (gettext_lazy("Measurement visit"), 1500, ServiceProduct.PriceUnit.VISIT, 60, "ruler",
     gettext_lazy("A measurer comes to you, measures the room and notes the pipes, sockets "
                  "and walls the furniture must fit around.")),
    (gettext_lazy("Design project"), 5000, ServiceProduct.PriceUnit.PROJECT, 240, "pencil",
     gettext_lazy("A designer plans the furniture with you: layout, materials, colours, a "
                  "3D visualisation and the specification.")),
    (gettext_lazy("Furniture assembly"), 1200, ServiceProduct.PriceUnit.RUNNING_METRE, 120,
     "screwdriver",
     gettext_lazy("Our fitters assemble and install the furniture and adjust the doors and "
                  "drawers.")),
    (gettext_lazy("Delivery and lifting"), 2500, ServiceProduct.PriceUnit.VISIT, 90, "truck",
     gettext_lazy("Delivery on an agreed day and lifting to the flat, with or without a "
                  "lift.")),
    (gettext_lazy("Countertop installation"), 3500, ServiceProduct.PriceUnit.ITEM, 120,
     "countertop",
     gettext_lazy("Cutting, fitting and sealing the countertop, with cut-outs for the sink "
                  "and the hob.")),
    (gettext_lazy("Appliance installation"), 2000, ServiceProduct.PriceUnit.ITEM, 60,
     "appliance",
     gettext_lazy("Built-in oven, hob, dishwasher or fridge installed and connected.")),
    (gettext_lazy("Dismantling old furniture"), 800, ServiceProduct.PriceUnit.RUNNING_METRE,
     90, "dismantle",
     gettext_lazy("We take the old furniture apart and carry it out before the new one "
                  "arrives.")),
    (gettext_lazy("Wall panels"), 4500, ServiceProduct.PriceUnit.SQUARE_METRE, None, "panels",
     gettext_lazy("Wall panels and a kitchen backsplash made and fitted to match the "
                  "furniture.")),
]  # fmt: skip


def _store(name, data):
    if default_storage.exists(name):
        return name
    return default_storage.save(name, ContentFile(data))


def _jpeg(image):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


class Command(BaseCommand):
    help = "Create generated demo products (furniture and services) in bulk."

    def add_arguments(self, parser):
        parser.add_argument("--products", type=int, default=200, help="How many products.")
        parser.add_argument(
            "--services", type=float, default=0.05, help="Share of services (0 to 1)."
        )
        parser.add_argument("--seed", type=int, default=None, help="Random seed.")
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument(
            "--no-images", action="store_true", help="Do not generate or attach pictures."
        )
        parser.add_argument(
            "--variants",
            type=int,
            default=60,
            help="Most distinct furniture pictures and 3D models drawn; beyond, shared.",
        )

    def handle(self, *args, **options):
        count = options["products"]
        if count < 0:
            raise CommandError("--products must not be negative.")
        self.rng = random.Random(options["seed"])
        self.batch_size = options["batch_size"]
        started = time.monotonic()
        self.database = router.db_for_write(Product)
        self.taxonomy = self._load_taxonomy()
        self.draw = not options["no_images"]
        self.max_variants = max(0, options["variants"])
        self.variants, self.icons = {}, {}
        services_count = round(count * max(0.0, min(1.0, options["services"])))
        with transaction.atomic(using=self.database):
            self._create(count - services_count, services_count)
            # Bulk rows pass no receiver: the facet table is filled in one statement.
            services.rebuild_facets(using=self.database)
        self.stdout.write(
            f"Created {count} products ({count - services_count} furniture, "
            f"{services_count} services) in {time.monotonic() - started:.1f} s."
        )

    def _load_taxonomy(self):
        taxonomy = {}
        for model in (Category, Purpose, Shape, FacadeMaterial, CountertopMaterial):
            terms = list(model.objects.using(self.database).filter(is_active=True))
            if not terms and model is not CountertopMaterial and model is not Purpose:
                raise CommandError(f"No active {model._meta.verbose_name_plural}: migrate first.")
            taxonomy[model] = terms
        return taxonomy

    def _variant(self, category, shape, facade, countertop, colour):
        """The stored files of one drawn variant: (colour, sketch, thumbnail, 3D model).

        Drawn once per (category, layout, facade, countertop, colour) and shared; past
        ``--variants`` distinct ones, a product takes one already drawn for its category.
        """
        if not self.draw:
            return ("", "", "", "")
        key = (
            category.slug,
            shape.slug,
            facade.slug,
            countertop.slug if countertop else "",
            colour,
        )
        if key not in self.variants and len(self.variants) >= self.max_variants:
            same = [files for other, files in self.variants.items() if other[0] == key[0]]
            if same:
                return same[colour % len(same)]
        if key not in self.variants:
            boxes = scenes.build(*key[:4], seed=colour)
            stem = "istok_catalog/demo/" + "-".join(str(part) for part in key if part != "")
            colour_data = _jpeg(pictures.draw_scene(boxes))
            colour_name = _store(f"{stem}-colour.jpg", colour_data)
            upload = ContentFile(colour_data, name=colour_name)
            self.variants[key] = (
                colour_name,
                _store(f"{stem}-sketch.png", services.make_sketch(upload).read()),
                _store(f"{stem}-thumb.jpg", services.make_thumbnail(upload).read()),
                _store(f"{stem}-model.glb", glb.write_glb(boxes, name=key[0])),
            )
        return self.variants[key]

    def _icon(self, index, icon):
        """A service's icon, as its thumbnail: drawn and stored once per icon."""
        if not self.draw:
            return ""
        if icon not in self.icons:
            upload = ContentFile(_jpeg(pictures.draw_icon(icon, index)), name=f"{icon}.jpg")
            self.icons[icon] = _store(
                f"istok_catalog/demo/service-{icon}-thumb.jpg",
                services.make_thumbnail(upload).read(),
            )
        return self.icons[icon]

    def _name(self, category, used):
        """The series of a new product of ``category``, translated, and its slug: one not
        yet used in the category, numbered once all are ("Кухня «Верона 2»"). ``used``
        maps a category's pk to the series it has taken."""
        taken = used.setdefault(category.pk, set())
        unused = [name for name in SERIES if name not in taken]
        if unused:
            series = self.rng.choice(unused)
            taken.add(series)
            return _(series), slugify(series)
        series, number = self.rng.choice(SERIES), len(taken) - len(SERIES) + 2
        taken.add(f"{series} {number}")
        return f"{_(series)} {number}", slugify(f"{series} {number}")

    def _create(self, furniture_count, services_count):
        token = secrets.token_hex(3)
        now = timezone.now()
        ctypes = ContentType.objects.db_manager(self.database)
        furniture_ctype = ctypes.get_for_model(FurnitureProduct, for_concrete_model=False)
        service_ctype = ctypes.get_for_model(ServiceProduct, for_concrete_model=False)
        terms = self.taxonomy
        shapes = {shape.slug: shape for shape in terms[Shape]}
        purposes = {purpose.slug: purpose for purpose in terms[Purpose]}
        through = FurnitureProduct.purposes.through
        used_names = {}

        done = 0
        while done < furniture_count:
            size = min(self.batch_size, furniture_count - done)
            parents, children, links = [], [], []
            for i in range(done, done + size):
                # Each category in turn: a small demo still has kitchens and wardrobes.
                category = terms[Category][i % len(terms[Category])]
                base, spread, shape_slugs, has_countertop = CATEGORY_PROFILES.get(
                    category.slug, DEFAULT_PROFILE
                )
                shape = shapes.get(self.rng.choice(shape_slugs)) if shape_slugs else None
                shape = shape or self.rng.choice(terms[Shape])
                facade = self.rng.choice(terms[FacadeMaterial])
                countertop = (
                    self.rng.choice(terms[CountertopMaterial])
                    if has_countertop and terms[CountertopMaterial]
                    else None
                )
                series, series_slug = self._name(category, used_names)
                facade_colours = scenes.FACADE_COLOURS.get(facade.slug, [None])
                colour, sketch, thumbnail, model = self._variant(
                    category, shape, facade, countertop, self.rng.randrange(len(facade_colours))
                )
                price = Decimal(round(base * self.rng.uniform(0.6, spread), -2))
                parents.append(
                    Product(
                        polymorphic_ctype_id=furniture_ctype.pk,
                        kind=FurnitureProduct.KIND,
                        name=f"{category.name} «{series}»",
                        slug=f"{category.slug}-{series_slug}-{token}{i}",
                        description=_(
                            "%(category)s %(series)s made to your measurements: %(shape)s "
                            "layout, %(facade)s facades."
                        )
                        % {
                            "category": category.name,
                            "series": series,
                            "shape": shape.name.lower(),
                            "facade": facade.name,
                        },
                        price=price,
                        price_from=self.rng.random() < 0.8,
                        is_published=self.rng.random() < 0.97,
                        position=self.rng.randint(0, 1000),
                        created=now - timedelta(minutes=self.rng.randint(0, 2 * 365 * 24 * 60)),
                        modified=now,
                        thumbnail=thumbnail,
                    )
                )
                children.append(
                    {
                        "category_id": category.pk,
                        "shape_id": shape.pk,
                        "facade_material_id": facade.pk,
                        "countertop_material_id": countertop.pk if countertop else None,
                        "colour_image": colour,
                        "sketch_image": sketch,
                        "sketch_is_generated": bool(sketch),
                        "model_3d": model,
                    }
                )
                chosen = self.rng.choice(CATEGORY_PURPOSES.get(category.slug, DEFAULT_PURPOSES))
                links.append([purposes[slug].pk for slug in chosen if slug in purposes])
            Product.objects.db_manager(self.database).bulk_create(parents)
            for parent, child in zip(parents, children, strict=True):
                child["product_ptr_id"] = parent.pk
            self._insert(FurnitureProduct, children)
            through.objects.db_manager(self.database).bulk_create(
                [
                    through(furnitureproduct_id=parent.pk, purpose_id=purpose_id)
                    for parent, ids in zip(parents, links, strict=True)
                    for purpose_id in ids
                ],
                batch_size=self.batch_size,
            )
            done += size

        parents, children = [], []
        for i in range(services_count):
            name, price, unit, minutes, icon, description = SERVICES[i % len(SERVICES)]
            if i >= len(SERVICES):  # another round: numbered, so no two names are alike
                name = f"{name} {i // len(SERVICES) + 1}"
            parents.append(
                Product(
                    polymorphic_ctype_id=service_ctype.pk,
                    kind=ServiceProduct.KIND,
                    name=str(name),
                    slug=f"service-{token}{i}",
                    description=str(description),
                    thumbnail=self._icon(i, icon),
                    price=Decimal(round(price * self.rng.uniform(0.8, 1.5), -2)),
                    price_from=self.rng.random() < 0.5,
                    is_published=True,
                    position=self.rng.randint(0, 1000),
                    created=now - timedelta(days=self.rng.randint(0, 700)),
                    modified=now,
                )
            )
            children.append(
                {
                    "price_unit": unit,
                    "duration": timedelta(minutes=minutes) if minutes else None,
                }
            )
        for start in range(0, len(parents), self.batch_size):
            batch = parents[start : start + self.batch_size]
            Product.objects.db_manager(self.database).bulk_create(batch)
            rows = children[start : start + self.batch_size]
            for parent, child in zip(batch, rows, strict=True):
                child["product_ptr_id"] = parent.pk
            self._insert(ServiceProduct, rows)

    def _insert(self, model, rows):
        """Insert a kind's own rows (Django's bulk_create refuses multi-table children)."""
        if not rows:
            return
        connection = connections[self.database]
        fields = model._meta.local_concrete_fields
        quote = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({})".format(
            quote(model._meta.db_table),
            ", ".join(quote(field.column) for field in fields),
            ", ".join(["%s"] * len(fields)),
        )
        params = [
            [field.get_db_prep_save(row[field.attname], connection) for field in fields]
            for row in rows
        ]
        with connection.cursor() as cursor:
            cursor.executemany(sql, params)

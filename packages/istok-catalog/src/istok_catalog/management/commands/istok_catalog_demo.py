"""``manage.py istok_catalog_demo --products N``: fill the catalog with generated products.

Made for demos and load tests: products get realistic names, taxonomy, prices and dates;
all of them share a few generated pictures (one set per category), so 100,000 products
cost a handful of files. Rows are written in bulk: the base rows with their polymorphic
type set, then each kind's rows pointing at them.
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
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageDraw

from ... import services
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

SERIES = [
    "Verona", "Loft", "Scandi", "Milano", "Provence", "Nordic", "Oslo", "Bergamo", "Tiffany",
    "Modern", "Classic", "Como", "Riviera", "Toscana", "Lagom", "Porto", "Sienna", "Grafit",
    "Aurora", "Madera", "Bianca", "Terra", "Linea", "Quadro",
]  # fmt: skip

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

#: (name, price, price unit, minutes): the services a furniture studio sells.
SERVICES = [
    (gettext_lazy("Measurement visit"), 1500, ServiceProduct.PriceUnit.VISIT, 60),
    (gettext_lazy("Design project"), 5000, ServiceProduct.PriceUnit.PROJECT, 240),
    (gettext_lazy("Furniture assembly"), 1200, ServiceProduct.PriceUnit.RUNNING_METRE, 120),
    (gettext_lazy("Delivery and lifting"), 2500, ServiceProduct.PriceUnit.VISIT, 90),
    (gettext_lazy("Countertop installation"), 3500, ServiceProduct.PriceUnit.ITEM, 120),
    (gettext_lazy("Appliance installation"), 2000, ServiceProduct.PriceUnit.ITEM, 60),
    (gettext_lazy("Dismantling old furniture"), 800, ServiceProduct.PriceUnit.RUNNING_METRE, 90),
    (gettext_lazy("Wall panels"), 4500, ServiceProduct.PriceUnit.SQUARE_METRE, None),
]

PALETTES = [
    ((236, 229, 218), (84, 110, 122)),
    ((245, 240, 232), (161, 136, 127)),
    ((230, 236, 240), (38, 50, 56)),
    ((240, 234, 224), (141, 110, 99)),
    ((232, 240, 233), (104, 159, 56)),
    ((248, 244, 236), (255, 183, 77)),
    ((236, 236, 236), (120, 144, 156)),
    ((242, 235, 228), (93, 64, 55)),
]


def draw_furniture(seed, countertop):
    """A simple front view of a furniture unit: body, doors, handles, maybe a countertop."""
    rng = random.Random(seed)
    wall, front = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (960, 720), wall)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 600, 960, 720], fill=(200, 190, 175))
    doors = rng.randint(3, 6)
    left, right, top, bottom = 80, 880, 260 if countertop else 120, 600
    width = (right - left) // doors
    if countertop:
        draw.rectangle([left - 10, top - 24, right + 10, top], fill=(60, 60, 60))
        for i in range(doors):
            x = left + i * width
            draw.rectangle([x + 6, 60, x + width - 6, 180], fill=front, outline=(40, 40, 40))
    for i in range(doors):
        x = left + i * width
        draw.rectangle([x + 4, top + 4, x + width - 4, bottom], fill=front, outline=(40, 40, 40))
        handle_x = x + width - 22 if i % 2 else x + 16
        draw.rectangle([handle_x, top + 40, handle_x + 6, top + 120], fill=(30, 30, 30))
    return image


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

    def handle(self, *args, **options):
        count = options["products"]
        if count < 0:
            raise CommandError("--products must not be negative.")
        self.rng = random.Random(options["seed"])
        self.batch_size = options["batch_size"]
        started = time.monotonic()
        self.database = router.db_for_write(Product)
        self.taxonomy = self._load_taxonomy()
        self.images = {} if options["no_images"] else self._images()
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

    def _images(self):
        """One colour image, sketch and thumbnail per category, stored once and shared."""
        images = {}
        for index, category in enumerate(self.taxonomy[Category]):
            profile = CATEGORY_PROFILES.get(category.slug, DEFAULT_PROFILE)
            colour = _jpeg(draw_furniture(index, countertop=profile[3]))
            stem = f"istok_catalog/demo/{category.slug}"
            colour_name = _store(f"{stem}-colour.jpg", colour)
            upload = ContentFile(colour, name=colour_name)
            sketch = services.make_sketch(upload)
            thumbnail = services.make_thumbnail(upload)
            images[category.pk] = (
                colour_name,
                _store(f"{stem}-sketch.png", sketch.read()),
                _store(f"{stem}-thumb.jpg", thumbnail.read()),
            )
        return images

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

        done = 0
        while done < furniture_count:
            size = min(self.batch_size, furniture_count - done)
            parents, children, links = [], [], []
            for i in range(done, done + size):
                category = self.rng.choice(terms[Category])
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
                series = self.rng.choice(SERIES)
                price = Decimal(round(base * self.rng.uniform(0.6, spread), -2))
                parents.append(
                    Product(
                        polymorphic_ctype_id=furniture_ctype.pk,
                        kind=FurnitureProduct.KIND,
                        name=f"{category.name} «{series}»",
                        slug=f"{category.slug}-{series.lower()}-{token}{i}",
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
                        thumbnail=self.images.get(category.pk, ("", "", ""))[2],
                    )
                )
                colour, sketch, _thumb = self.images.get(category.pk, ("", "", ""))
                children.append(
                    {
                        "category_id": category.pk,
                        "shape_id": shape.pk,
                        "facade_material_id": facade.pk,
                        "countertop_material_id": countertop.pk if countertop else None,
                        "colour_image": colour,
                        "sketch_image": sketch,
                        "sketch_is_generated": bool(sketch),
                        "model_3d": "",
                    }
                )
                chosen = {"kids-room"} if category.slug == "kids-furniture" else set()
                chosen |= set(self.rng.sample(sorted(purposes), k=self.rng.randint(1, 2)))
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
            name, price, unit, minutes = SERVICES[i % len(SERVICES)]
            parents.append(
                Product(
                    polymorphic_ctype_id=service_ctype.pk,
                    kind=ServiceProduct.KIND,
                    name=str(name),
                    slug=f"service-{token}{i}",
                    description="",
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

"""The small catalog the filter, facet, page and API tests count by hand.

name            kind       category        shape     facade      countertop   purposes          price
Kitchen Verona  furniture  kitchen         straight  mdf-enamel  quartz       home              100000
Kitchen Milano  furniture  kitchen         corner    plastic     postforming  home, office      200000
Wardrobe Oslo   furniture  wardrobe        straight  mdf-enamel  -            home               50000
Wardrobe Loft   furniture  wardrobe        corner    glass       -            office             80000
Kids bunk bed   furniture  kids-furniture  straight  ldsp        -            kids-room, home    60000
Measuring       service                                                                          1500
Design project  service                                                                          5000
Hidden kitchen  furniture  kitchen         straight  mdf-enamel  -            home                  10  (unpublished)
"""

from istok_catalog.testing.factories import make_furniture, make_service


def build_catalog():
    products = {
        "verona": make_furniture(
            name="Kitchen Verona",
            slug="kitchen-verona",
            countertop_material="quartz",
            price="100000",
            position=1,
        ),
        "milano": make_furniture(
            name="Kitchen Milano",
            slug="kitchen-milano",
            shape="corner",
            facade_material="plastic",
            countertop_material="postforming",
            purposes=("home", "office"),
            price="200000",
            position=2,
        ),
        "oslo": make_furniture(
            name="Wardrobe Oslo",
            slug="wardrobe-oslo",
            category="wardrobe",
            price="50000",
            position=3,
            description="Sliding doors with a mirror.",
        ),
        "loft": make_furniture(
            name="Wardrobe Loft",
            slug="wardrobe-loft",
            category="wardrobe",
            shape="corner",
            facade_material="glass",
            purposes=("office",),
            price="80000",
            position=4,
        ),
        "bunk": make_furniture(
            name="Kids bunk bed",
            slug="kids-bunk-bed",
            category="kids-furniture",
            facade_material="ldsp",
            purposes=("kids-room", "home"),
            price="60000",
            position=5,
        ),
        "measuring": make_service(name="Measuring", slug="measuring", price="1500", position=6),
        "design": make_service(name="Design project", slug="design", price="5000", position=7),
        "hidden": make_furniture(
            name="Hidden kitchen", slug="hidden-kitchen", price="10", is_published=False
        ),
    }
    return products

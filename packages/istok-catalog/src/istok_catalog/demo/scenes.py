"""Demo furniture as boxes: cabinets, door fronts, handles and worktops, in metres.

:func:`build` turns a category, a layout (shape), a facade and a countertop material into
the boxes :mod:`.glb` writes as the 3D model and :mod:`.pictures` draws as the colour
picture, so both show the same piece: a corner kitchen has two runs of cabinets, a
U-shaped one three, an island kitchen a block in front; the fronts take the facade's
colour and the worktop the countertop's.
"""

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Material:
    name: str
    rgb: tuple
    roughness: float = 0.6
    metallic: float = 0.0

    def as_gltf(self):
        # glTF's colour factors are linear; the palettes below are sRGB.
        linear = [
            ((c / 255 + 0.055) / 1.055) ** 2.4 if c > 10 else c / 255 / 12.92 for c in self.rgb
        ]
        return {
            "name": self.name,
            "pbrMetallicRoughness": {
                "baseColorFactor": [*linear, 1.0],
                "metallicFactor": self.metallic,
                "roughnessFactor": self.roughness,
            },
        }


#: Facade material code -> the colours its fronts come in (a product picks one by seed).
FACADE_COLOURS = {
    "mdf-enamel": [(236, 234, 228), (121, 142, 128), (62, 78, 96), (198, 176, 150)],
    "mdf-film": [(168, 178, 150), (214, 204, 186), (120, 112, 104)],
    "plastic": [(246, 246, 244), (58, 60, 64), (178, 32, 40)],
    "solid-wood": [(164, 112, 70), (128, 84, 52)],
    "veneer": [(138, 96, 64), (186, 146, 104)],
    "ldsp": [(206, 178, 138), (150, 152, 150), (230, 226, 218)],
    "glass": [(150, 170, 176), (40, 44, 48)],
}
DEFAULT_FACADE_COLOURS = [(200, 190, 176)]

#: Countertop material code -> its colour and roughness.
COUNTERTOPS = {
    "postforming": ((182, 160, 130), 0.7),
    "compact": ((52, 52, 54), 0.5),
    "acrylic-stone": ((238, 236, 232), 0.35),
    "quartz": ((214, 210, 204), 0.25),
    "natural-stone": ((96, 98, 100), 0.2),
    "solid-wood": ((150, 100, 58), 0.6),
}

CARCASS = Material("carcass", (232, 228, 220), 0.8)
PLINTH = Material("plinth", (70, 68, 66), 0.8)
HANDLE = Material("handle", (60, 60, 62), 0.35, 0.8)
MIRROR = Material("mirror", (190, 205, 212), 0.05, 0.9)

#: Heights of a kitchen (metres): plinth, base carcass top, worktop top, wall units.
PLINTH_H, BASE_TOP, WORKTOP_TOP, WALL_LOW, WALL_HIGH = 0.1, 0.86, 0.9, 1.45, 2.15
GAP = 0.004


def facade_material(facade_slug, seed):
    colours = FACADE_COLOURS.get(facade_slug, DEFAULT_FACADE_COLOURS)
    rgb = colours[seed % len(colours)]
    glossy = facade_slug in ("plastic", "glass", "mdf-enamel")
    return Material(f"facade-{facade_slug}", rgb, 0.3 if glossy else 0.65)


def countertop_material(slug):
    rgb, roughness = COUNTERTOPS.get(slug, ((120, 118, 114), 0.5))
    return Material(f"countertop-{slug}", rgb, roughness)


class _Wall:
    """Boxes along one wall: ``u`` runs along it, ``v`` is the depth from it, ``y`` up."""

    def __init__(self, boxes, side, room_width):
        self.boxes, self.side, self.room_width = boxes, side, room_width

    def box(self, u0, u1, v0, v1, y0, y1, material):
        if self.side == "back":
            low, high = (u0, y0, v0), (u1, y1, v1)
        elif self.side == "left":
            low, high = (v0, y0, u0), (v1, y1, u1)
        elif self.side == "right":
            low, high = (self.room_width - v1, y0, u0), (self.room_width - v0, y1, u1)
        else:  # "free": an island, u along x, v along z from the given offset
            low, high = (u0, y0, v0), (u1, y1, v1)
        self.boxes.append((low, high, material))

    def cabinets(self, u0, u1, depth, y0, y1, front, *, module=0.6, drawers=False, v0=0.0):
        """Carcass from ``u0`` to ``u1`` with doors (or drawers) of about ``module``."""
        self.box(u0, u1, v0, v0 + depth - 0.02, y0, y1, CARCASS)
        count = max(1, round((u1 - u0) / module))
        width = (u1 - u0) / count
        rows = 3 if drawers else 1
        for i in range(count):
            left = u0 + i * width
            for row in range(rows):
                bottom = y0 + (y1 - y0) * row / rows
                top = y0 + (y1 - y0) * (row + 1) / rows
                self.box(
                    left + GAP, left + width - GAP, v0 + depth - 0.02, v0 + depth,
                    bottom + GAP, top - GAP, front,
                )  # fmt: skip
                if drawers:
                    middle = left + width / 2
                    self.box(
                        middle - 0.08, middle + 0.08, v0 + depth, v0 + depth + 0.02,
                        top - 0.06, top - 0.045, HANDLE,
                    )  # fmt: skip
                else:
                    x = left + (width - 0.05 if i % 2 == 0 else 0.035)
                    handle_low = top - 0.25 if y0 > 1 or (y1 - y0) < 1 else y0 + 0.95
                    if y0 > 1:  # a wall unit: the handle at the bottom edge
                        handle_low = bottom + 0.04
                    self.box(
                        x, x + 0.015, v0 + depth, v0 + depth + 0.02,
                        handle_low, handle_low + 0.18, HANDLE,
                    )  # fmt: skip

    def base_run(self, u0, u1, front, top, *, v0=0.0, depth=0.6):
        self.box(u0, u1, v0 + 0.05, v0 + depth - 0.04, 0, PLINTH_H, PLINTH)
        self.cabinets(u0, u1, depth, PLINTH_H, BASE_TOP, front, v0=v0)
        if top is not None:
            self.box(u0, u1, v0, v0 + depth + 0.02, BASE_TOP, WORKTOP_TOP, top)


def _kitchen(boxes, shape, front, top, rng):
    length = rng.choice([2.4, 3.0, 3.6])
    back = _Wall(boxes, "back", length)
    back.base_run(0, length, front, top)
    # Wall units, leaving a gap for the hood over the hob.
    hood = length * 0.55
    back.cabinets(0, hood - 0.3, 0.35, WALL_LOW, WALL_HIGH, front)
    back.cabinets(hood + 0.3, length, 0.35, WALL_LOW, WALL_HIGH, front)
    back.box(hood - 0.3, hood + 0.3, 0.0, 0.45, WALL_LOW + 0.2, WALL_LOW + 0.3, HANDLE)
    if shape in ("corner", "u-shaped"):
        _Wall(boxes, "left", length).base_run(0.62, rng.choice([1.8, 2.4]), front, top)
    if shape == "u-shaped":
        _Wall(boxes, "right", length).base_run(0.62, 1.8, front, top)
    if shape == "island":
        island = _Wall(boxes, "free", length)
        start = (length - 1.8) / 2
        island.base_run(start, start + 1.8, front, top, v0=1.6, depth=0.9)
    if shape == "radius":
        # A rounded end approximated by steps of shrinking depth.
        for step, depth in enumerate([0.5, 0.38, 0.24]):
            u = length + step * 0.2
            back.box(u, u + 0.2, 0.0, depth, PLINTH_H, BASE_TOP, front)
            back.box(u, u + 0.2, 0.0, depth + 0.02, BASE_TOP, WORKTOP_TOP, top)


def _tall(boxes, shape, front, rng, *, height=2.4, module=0.5, length=None):
    length = length or rng.choice([1.8, 2.4])
    back = _Wall(boxes, "back", length)
    back.box(0, length, 0.05, 0.56, 0, PLINTH_H, PLINTH)
    back.cabinets(0, length, 0.6, PLINTH_H, height, front, module=module)
    if shape == "corner":
        _Wall(boxes, "left", length).cabinets(
            0.62, 1.6, 0.6, PLINTH_H, height, front, module=module
        )
    return back, length


def build(category_slug, shape_slug, facade_slug, countertop_slug, seed):
    """The boxes of one demo product: ``[(low, high, Material), ...]``."""
    rng = random.Random(seed)
    front = facade_material(facade_slug, seed)
    top = countertop_material(countertop_slug) if countertop_slug else None
    boxes = []
    if category_slug == "kitchen":
        _kitchen(boxes, shape_slug, front, top or countertop_material("postforming"), rng)
    elif category_slug == "wardrobe":
        _tall(boxes, shape_slug, front, rng)
    elif category_slug == "hallway":
        back, length = _tall(boxes, shape_slug, front, rng, height=2.2, length=1.0)
        bench = _Wall(boxes, "back", length)
        bench.cabinets(1.05, 2.0, 0.4, 0.0, 0.45, front, module=0.95, drawers=False)
        bench.box(1.05, 2.0, 0.0, 0.03, 1.2, 2.0, MIRROR)
    elif category_slug == "dresser":
        back = _Wall(boxes, "back", 1.2)
        back.box(0.05, 1.15, 0.05, 0.4, 0, 0.08, PLINTH)
        back.cabinets(0, 1.2, 0.45, 0.08, 0.9, front, module=1.2, drawers=True)
    elif category_slug == "shelving":
        length = 1.6 if shape_slug == "straight" else 1.2
        for wall in ["back"] + (["left"] if shape_slug == "corner" else []):
            side = _Wall(boxes, wall, length)
            start = 0.0 if wall == "back" else 0.4
            for i in range(5):
                y = i * 0.45
                side.box(start, start + length, 0, 0.35, y, y + 0.025, front)
            for u in (start, start + length / 2 - 0.0125, start + length - 0.025):
                side.box(u, u + 0.025, 0, 0.35, 0, 1.825, front)
    elif category_slug == "kids-furniture":
        back, length = _tall(boxes, shape_slug, front, rng, height=2.0, length=1.0)
        desk = _Wall(boxes, "back", length)
        desk.box(1.05, 2.3, 0, 0.6, 0.72, 0.75, front)
        desk.cabinets(1.9, 2.3, 0.55, 0.0, 0.72, front, module=0.4, drawers=True)
        desk.box(1.05, 1.08, 0, 0.6, 0, 0.72, CARCASS)
        for y in (1.2, 1.6):
            desk.box(1.05, 2.3, 0, 0.25, y, y + 0.025, front)
    elif category_slug == "bathroom-furniture":
        back = _Wall(boxes, "back", 0.9)
        back.cabinets(0, 0.9, 0.48, 0.3, 0.82, front, module=0.45)
        back.box(0, 0.9, 0, 0.5, 0.82, 0.86, top or countertop_material("acrylic-stone"))
        back.box(0.1, 0.8, 0.0, 0.02, 1.1, 1.8, MIRROR)
    else:  # living room and anything else: a low TV unit under open shelves
        length = 2.4
        back = _Wall(boxes, "back", length)
        back.cabinets(0, length, 0.45, 0.1, 0.55, front, module=0.6, drawers=False)
        back.box(0.05, length - 0.05, 0.05, 0.4, 0, 0.1, PLINTH)
        for y in (1.3, 1.7):
            back.box(0.2, length - 0.2, 0, 0.25, y, y + 0.03, front)
        if shape_slug in ("corner", "u-shaped"):
            _Wall(boxes, "left", length).cabinets(0.5, 1.7, 0.45, 0.1, 2.0, front, module=0.6)
    return boxes

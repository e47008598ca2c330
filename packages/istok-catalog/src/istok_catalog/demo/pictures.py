"""Pictures of the demo catalog, drawn with Pillow.

:func:`draw_scene` draws the boxes of :func:`.scenes.build` seen from the front, a little
from the right and above (an orthographic view, the far boxes painted first), in a room
with a wall and a floor: the same piece as the 3D model, in its colours. :func:`draw_icon`
draws a service's icon: a flat symbol on a coloured tile.
"""

import math

from PIL import Image, ImageDraw

SIZE = (960, 720)
SCALE = 2  # drawn twice as large, then scaled down: smooth edges
_YAW, _PITCH = math.radians(-28), math.radians(18)
_LIGHT = (0.45, 0.8, 0.55)


def _view(point):
    """World point -> (screen x, screen y, depth); larger depth is nearer the eye."""
    x, y, z = point
    cos_y, sin_y = math.cos(_YAW), math.sin(_YAW)
    cos_p, sin_p = math.cos(_PITCH), math.sin(_PITCH)
    rx, rz = x * cos_y + z * sin_y, -x * sin_y + z * cos_y
    ry, rz = y * cos_p - rz * sin_p, y * sin_p + rz * cos_p
    return rx, ry, rz


_FACES = [  # normal, corners as (x, y, z) bits
    ((0, 0, 1), [(0, 0, 1), (1, 0, 1), (1, 1, 1), (0, 1, 1)]),
    ((1, 0, 0), [(1, 0, 1), (1, 0, 0), (1, 1, 0), (1, 1, 1)]),
    ((-1, 0, 0), [(0, 0, 0), (0, 0, 1), (0, 1, 1), (0, 1, 0)]),
    ((0, 1, 0), [(0, 1, 1), (1, 1, 1), (1, 1, 0), (0, 1, 0)]),
]


def _shade(rgb, normal):
    light = sum(a * b for a, b in zip(normal, _LIGHT, strict=True))
    factor = 0.62 + 0.38 * max(0.0, light)
    return tuple(min(255, round(c * factor)) for c in rgb)


def draw_scene(boxes, *, wall=(239, 233, 224), floor=(214, 200, 182)):
    """An RGB picture (960 x 720) of ``boxes`` (``[(low, high, Material), ...]``)."""
    width, height = SIZE[0] * SCALE, SIZE[1] * SCALE
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    faces = []
    for low, high, material in boxes:
        ends = (low, high)
        for normal, quad in _FACES:
            if _view(normal)[2] <= 0:
                continue  # faces away from the eye
            points = [_view(tuple(ends[b][i] for i, b in enumerate(bits))) for bits in quad]
            centre = _view(tuple((lo + hi) / 2 for lo, hi in zip(low, high, strict=True)))
            faces.append((centre[2], points, _shade(material.rgb, normal)))
    if not faces:
        return image.resize(SIZE)
    xs = [p[0] for _, points, _ in faces for p in points]
    ys = [p[1] for _, points, _ in faces for p in points]
    span = max(max(xs) - min(xs), (max(ys) - min(ys)) * width / height)
    scale = 0.8 * width / span
    left = (width - (max(xs) - min(xs)) * scale) / 2 - min(xs) * scale
    bottom = height * 0.86

    def screen(point):
        return (left + point[0] * scale, bottom - (point[1] - min(ys)) * scale)

    # The floor: everything below the lowest point of the furniture's front edge.
    floor_y = screen((0, min(ys)))[1] - 0.06 * height
    draw.rectangle([0, floor_y, width, height], fill=floor)
    draw.line([0, floor_y, width, floor_y], fill=tuple(c - 20 for c in floor), width=3)
    outline = (70, 64, 58)
    for _depth, points, colour in sorted(faces, key=lambda face: face[0]):
        draw.polygon([screen(p) for p in points], fill=colour, outline=outline, width=2)
    return image.resize(SIZE, Image.Resampling.LANCZOS)


#: Service icon names -> drawing instructions on a 100 x 100 grid: ("line"|"rect"|"ellipse"|
#: "polygon", points...).
ICONS = {
    "ruler": [
        ("polygon", [(12, 64), (64, 12), (88, 36), (36, 88)]),
        *[("line", [(24 + 8 * i, 52 - 8 * i), (30 + 8 * i, 58 - 8 * i)]) for i in range(5)],
    ],
    "pencil": [
        ("polygon", [(20, 70), (64, 26), (76, 38), (32, 82)]),
        ("polygon", [(20, 70), (32, 82), (14, 88)]),
        ("line", [(58, 32), (70, 44)]),
    ],
    "screwdriver": [
        ("polygon", [(58, 16), (84, 42), (72, 54), (46, 28)]),
        ("line", [(52, 48), (20, 80)]),
        ("line", [(20, 80), (14, 86)]),
    ],
    "truck": [
        ("rect", [(10, 34), (62, 70)]),
        ("polygon", [(62, 44), (80, 44), (90, 58), (90, 70), (62, 70)]),
        ("ellipse", [(20, 64), (36, 80)]),
        ("ellipse", [(66, 64), (82, 80)]),
    ],
    "countertop": [
        ("rect", [(10, 36), (90, 46)]),
        ("rect", [(16, 46), (30, 84)]),
        ("rect", [(70, 46), (84, 84)]),
        ("line", [(40, 26), (60, 26)]),
    ],
    "appliance": [
        ("rect", [(24, 12), (76, 88)]),
        ("ellipse", [(34, 36), (66, 68)]),
        ("line", [(32, 22), (44, 22)]),
    ],
    "dismantle": [
        ("rect", [(18, 30), (82, 82)]),
        ("line", [(30, 42), (70, 70)]),
        ("line", [(70, 42), (30, 70)]),
        ("line", [(40, 18), (60, 18)]),
    ],
    "panels": [
        ("rect", [(14, 14), (86, 86)]),
        ("line", [(38, 14), (38, 86)]),
        ("line", [(62, 14), (62, 86)]),
        ("line", [(14, 50), (86, 50)]),
    ],
}
ICON_TILES = [(226, 236, 230), (238, 228, 214), (224, 232, 240), (240, 226, 226)]


def draw_icon(name, seed=0):
    """An RGB tile (960 x 720) with the service icon ``name`` (a key of :data:`ICONS`)."""
    width, height = SIZE[0] * SCALE, SIZE[1] * SCALE
    tile = ICON_TILES[seed % len(ICON_TILES)]
    image = Image.new("RGB", (width, height), tile)
    draw = ImageDraw.Draw(image)
    ink, fill = (84, 60, 40), (255, 253, 249)
    side = height * 0.55
    x0, y0 = (width - side) / 2, (height - side) / 2
    draw.ellipse([x0 - side * 0.2, y0 - side * 0.2, x0 + side * 1.2, y0 + side * 1.2], fill=fill)

    def point(p):
        return (x0 + p[0] * side / 100, y0 + p[1] * side / 100)

    stroke = round(side / 22)
    for shape, points in ICONS.get(name, ICONS["ruler"]):
        xy = [point(p) for p in points]
        if shape == "line":
            draw.line(xy, fill=ink, width=stroke)
        elif shape == "rect":
            draw.rectangle(xy, outline=ink, width=stroke)
        elif shape == "ellipse":
            draw.ellipse(xy, outline=ink, width=stroke)
        else:
            draw.polygon(xy, outline=ink, width=stroke)
    return image.resize(SIZE, Image.Resampling.LANCZOS)

"""Write boxes as a binary glTF 2.0 file (GLB): the demo furniture's 3D models.

One mesh, one primitive per material; every box has its own 24 vertices, so its faces
are flat (a normal per face). Units are metres, +Y up, the front of the furniture
facing +Z, as glTF and ``<model-viewer>`` expect.
"""

import json
import struct

#: A box's six faces: (normal, the four corners as indexes into _CORNERS).
_FACES = [
    ((0, 0, 1), (4, 5, 7, 6)),
    ((0, 0, -1), (1, 0, 2, 3)),
    ((1, 0, 0), (5, 1, 3, 7)),
    ((-1, 0, 0), (0, 4, 6, 2)),
    ((0, 1, 0), (6, 7, 3, 2)),
    ((0, -1, 0), (0, 1, 5, 4)),
]
#: Corner i of a box: x from bit 0, y from bit 1, z from bit 2 (0: low end, 1: high end).
_CORNERS = [((i & 1), (i >> 1) & 1, (i >> 2) & 1) for i in range(8)]


def _pad(data, filler=b"\0"):
    return data + filler * (-len(data) % 4)


def write_glb(boxes, *, name="furniture"):
    """GLB bytes of ``boxes``: ``(low, high, material)`` with ``low``/``high`` the
    ``(x, y, z)`` corners in metres and ``material`` a ``Material``."""
    groups = {}
    for low, high, material in boxes:
        groups.setdefault(material, []).append((low, high))

    binary = bytearray()
    gltf = {
        "asset": {"version": "2.0", "generator": "istok_catalog demo"},
        "scene": 0,
        "scenes": [{"nodes": [0]}],
        "nodes": [{"mesh": 0, "name": name}],
        "meshes": [{"name": name, "primitives": []}],
        "materials": [],
        "accessors": [],
        "bufferViews": [],
        "buffers": [],
    }

    def add_view(data, target):
        offset = len(binary)
        binary.extend(_pad(data))
        gltf["bufferViews"].append(
            {"buffer": 0, "byteOffset": offset, "byteLength": len(data), "target": target}
        )
        return len(gltf["bufferViews"]) - 1

    def add_accessor(view, component, count, kind, **extra):
        gltf["accessors"].append(
            {"bufferView": view, "componentType": component, "count": count, "type": kind} | extra
        )
        return len(gltf["accessors"]) - 1

    for material, group in groups.items():
        positions, normals, indices = [], [], []
        for low, high in group:
            corners = [
                tuple((low, high)[bit][axis] for axis, bit in enumerate(corner))
                for corner in _CORNERS
            ]
            for normal, quad in _FACES:
                start = len(positions)
                positions.extend(corners[i] for i in quad)
                normals.extend([normal] * 4)
                indices.extend([start, start + 1, start + 2, start, start + 2, start + 3])
        big = len(positions) > 65535
        index_format, index_type = ("I", 5125) if big else ("H", 5123)
        columns = list(zip(*positions, strict=True))
        position_view = add_view(
            struct.pack(f"<{3 * len(positions)}f", *(v for p in positions for v in p)), 34962
        )
        normal_view = add_view(
            struct.pack(f"<{3 * len(normals)}f", *(v for n in normals for v in n)), 34962
        )
        index_view = add_view(struct.pack(f"<{len(indices)}{index_format}", *indices), 34963)
        position = add_accessor(
            position_view,
            5126,
            len(positions),
            "VEC3",
            min=[min(c) for c in columns],
            max=[max(c) for c in columns],
        )
        normal = add_accessor(normal_view, 5126, len(normals), "VEC3")
        index = add_accessor(index_view, index_type, len(indices), "SCALAR")
        gltf["materials"].append(material.as_gltf())
        gltf["meshes"][0]["primitives"].append(
            {
                "attributes": {"POSITION": position, "NORMAL": normal},
                "indices": index,
                "material": len(gltf["materials"]) - 1,
            }
        )

    gltf["buffers"].append({"byteLength": len(binary)})
    json_chunk = _pad(json.dumps(gltf, separators=(",", ":")).encode(), b" ")
    bin_chunk = bytes(binary)
    length = 12 + 8 + len(json_chunk) + 8 + len(bin_chunk)
    return b"".join(
        [
            struct.pack("<4sII", b"glTF", 2, length),
            struct.pack("<I4s", len(json_chunk), b"JSON"),
            json_chunk,
            struct.pack("<I4s", len(bin_chunk), b"BIN\0"),
            bin_chunk,
        ]
    )

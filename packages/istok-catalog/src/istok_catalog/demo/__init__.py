"""Demo content of the catalog (``manage.py istok_catalog_demo``): parametric furniture.

:mod:`.scenes` builds a product as boxes (cabinets, doors, worktops) from its category,
layout and materials; :mod:`.glb` writes those boxes as a GLB file (the 3D model);
:mod:`.pictures` draws the same boxes as the colour picture, and the services' icons.
No third-party package: a few hundred boxes need neither numpy nor trimesh.
"""

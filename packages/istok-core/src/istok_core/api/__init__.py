"""What the istok apps' REST APIs share. Needs djangorestframework (the ``[api]`` extra):
only API code imports these modules, so the rest of istok_core works without DRF."""

"""Optional integrations with the other istok apps, each used only when that app is
installed: ``orders`` (measurement visits of an order), ``catalog`` (the purpose of a
product's category), ``accounts`` (the profile's phone)."""

"""Optional integrations with other istok apps. Each module works, and says so through
``available()``, whether or not its app is installed; it reaches the other app only
through that app's public ``selectors``, ``services`` and URL names."""

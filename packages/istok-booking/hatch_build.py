"""hatchling build hook: keep the repository's .gitignore out of the sdist.

hatchling force-includes the nearest .gitignore (here the repository's, two folders up) in
every sdist, and no ``exclude`` removes a forced file; this hook drops it. The file is
needed to build from the sdist too, so each package carries its own copy.
"""

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CustomBuildHook(BuildHookInterface):
    def initialize(self, version, build_data):
        forced = build_data.get("force_include", {})
        for source in [s for s, target in forced.items() if target == ".gitignore"]:
            del forced[source]

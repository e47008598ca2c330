"""The ``<model-viewer>`` the catalog ships (static/istok_catalog/vendor/model-viewer/).

``@google/model-viewer`` from the npm registry, the version below, its ``dist/
model-viewer.min.js`` copied as it is but for its last line (the ``sourceMappingURL``
comment: the 4.7 MB map is not shipped, and a manifest static storage would fail on the
missing file). Its LICENSE (Apache-2.0) lies beside it. To upgrade: ``npm pack
@google/model-viewer@<version>``, copy the file the same way, update :data:`VERSION`,
:data:`SHA256` and :data:`CSP_STYLE_SRC` (the browser names the new hash in its console).

A Content-Security-Policy without ``'unsafe-inline'`` lets the viewer work with two
sources more: add :data:`CSP_STYLE_SRC` to ``style-src`` and :data:`CSP_SCRIPT_SRC` to
``script-src``, and :data:`CSP_BLOB_SRC` to ``img-src`` and ``connect-src`` for a model
with textures (the example project's settings show how).
"""

#: The version of ``@google/model-viewer`` in static/istok_catalog/vendor/model-viewer/.
VERSION = "4.4.0"

#: SHA-256 of the shipped model-viewer.min.js (npm's file without its last line).
SHA256 = "9fc5a8ed24d532515cb25004ed819d1f2f52145ba07d1381ca224484ed0c46c4"

#: The hash of the one ``<style>`` element the viewer writes into its shadow root (its
#: other styles are constructed stylesheets, which a policy does not restrict).
CSP_STYLE_SRC = ["'sha256-PXtZZkJMMyc18o/DN1ZEFOJ2qEGq95IQbVaJFMOXOb0='"]

#: The viewer compiles a small WebAssembly decoder when it loads: ``'wasm-unsafe-eval'``
#: allows WebAssembly only, not JavaScript's ``eval``.
CSP_SCRIPT_SRC = ["'wasm-unsafe-eval'"]

#: A GLB's textures are read through ``blob:`` URLs: ``img-src`` and ``connect-src``.
CSP_BLOB_SRC = ["blob:"]

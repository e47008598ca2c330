"""One base template and one design system under every istok app.

istok-core ships the only ``istok/base.html`` of the apps and the design system
(``istok_core/css/istok.css``); each app's stylesheet styles only its own classes
(``istok-orders-…``), and the project's ``portal.css`` only its header, footer and home
page. Two stylesheets styling the same class is how the order page's stages became nine
unlabelled stripes (``.istok-progress`` of the portal and of istok-orders) and how an
invalid field lost its red border.
"""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

PROJECT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "demo" / "portal.css"


def istok_apps():
    configs = [config for config in apps.get_app_configs() if config.name.startswith("istok_")]
    assert {config.name for config in configs} >= {"istok_core", "istok_accounts"}
    return configs


def test_only_istok_core_ships_a_base_template():
    shipping = [
        config.name
        for config in apps.get_app_configs()
        if (Path(config.path) / "templates" / "istok" / "base.html").exists()
    ]
    assert shipping == ["istok_core"]


def test_the_project_layout_extends_istok_core_base_template(client):
    html = client.get("/").content.decode()
    assert '<body class="istok-page">' in html
    assert 'class="istok-skip-link" href="#content"' in html
    assert '<main class="istok-main" id="content">' in html
    # The design system first, the project's own stylesheet last.
    assert html.index("/static/istok_core/css/istok.css") < html.index("/static/demo/portal.css")
    assert html.count("<header") == 1 and html.count('<footer class="istok-footer"') == 1


# The stylesheets -----------------------------------------------------------------------------


def rules(css):
    """The selectors of every rule (those inside @media too), comments removed."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    selectors = []
    for prelude in re.findall(r"([^{}]+)\{[^{}]*\}", css):
        prelude = prelude.strip()
        if prelude.startswith("@") or prelude.startswith(":root"):
            continue
        selectors += split_outside_parentheses(prelude, ",")
    return [selector.strip() for selector in selectors if selector.strip()]


def split_outside_parentheses(text, separators):
    parts, depth, current = [], 0, ""
    for character in text:
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and character in separators:
            parts.append(current)
            current = ""
        else:
            current += character
    return [*parts, current]


CLASS = re.compile(r"\.(-?[_a-zA-Z][\w-]*)")


def mentioned(css):
    """Every class a stylesheet names in a selector."""
    return {name for selector in rules(css) for name in CLASS.findall(selector)}


def styled(css):
    """The classes a stylesheet styles: those of the last part of each selector (its
    subject), outside functional pseudo-classes (``:where(.a) b`` styles no class)."""
    classes = set()
    for selector in rules(css):
        subject = split_outside_parentheses(selector, " >+~")[-1]
        subject = re.sub(r":[\w-]+\([^()]*(\([^()]*\))?[^()]*\)", "", subject)
        classes |= set(CLASS.findall(subject))
    return classes


def stylesheets():
    """{owner: stylesheet text}: istok-core's, each istok app's own, the project's."""
    sheets = {}
    for config in istok_apps():
        for path in sorted((Path(config.path) / "static").glob(f"{config.name}/**/*.css")):
            sheets[config.name] = sheets.get(config.name, "") + path.read_text(encoding="utf-8")
    sheets["project"] = PROJECT_STYLESHEET.read_text(encoding="utf-8")
    assert {"istok_core", "istok_accounts"} <= set(sheets)
    return sheets


def namespace(app_name):
    """istok_orders -> a class that starts with istok-orders, then -, _ or nothing."""
    return re.compile(re.escape(app_name.replace("_", "-")) + r"($|[-_])")


@pytest.mark.parametrize(
    "app_name",
    [
        config.name
        for config in apps.get_app_configs()
        if config.name.startswith("istok_") and config.name != "istok_core"
    ],
)
def test_an_app_stylesheet_styles_only_classes_of_its_own_namespace(app_name):
    sheets = stylesheets()
    own = namespace(app_name)
    assert styled(sheets[app_name]), app_name
    strangers = sorted(name for name in styled(sheets[app_name]) if not own.match(name))
    assert not strangers, f"{app_name} styles classes that are not its own: {strangers}"
    # Another class may only be the context of a rule, and only one of istok-core's.
    core = mentioned(sheets["istok_core"])
    foreign = sorted(
        name for name in mentioned(sheets[app_name]) if not own.match(name) and name not in core
    )
    assert not foreign, f"{app_name} names classes of another app: {foreign}"


def test_no_two_stylesheets_style_the_same_class():
    sheets = stylesheets()
    clashes = []
    for owner, css in sheets.items():
        if owner == "istok_core":
            continue  # the apps name its classes as the context of their own rules
        for other, other_css in sheets.items():
            if other != owner:
                clashes += [(owner, other, name) for name in styled(css) & mentioned(other_css)]
    assert not clashes

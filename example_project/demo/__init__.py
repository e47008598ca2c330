"""The ISTOK example project: a plain Django project composing the installed istok apps."""

"""veritex: literate LaTeX-plus-code documents whose mathematics is checked at build time.

The engine knows no assignment. A build runs four stages, each a module with one job:
render (Jinja2 -> Pweave source), weave (run the chunks), verify (check every claim),
typeset (latexmk). Chunks talk to the engine through `veritex.runtime`.
"""

__version__ = "0.1.0"

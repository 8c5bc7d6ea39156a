"""Stage 1, render: Jinja2 templates -> the Pweave source of the whole document.

Delimiters cannot collide with TeX (after nbconvert): ((* block *)), ((( value ))),
((= comment =)). Undefined names are errors (StrictUndefined); nothing is escaped
automatically, because escaping would corrupt math; text goes through the `escape_tex` filter.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import jinja2

from . import concordance, filters, markup
from .config import BuildConfig
from .errors import Location, TemplateError

_TAG = re.compile(r"\(\(\*.*?\*\)\)|\(\(\(.*?\)\)\)|\(\(=.*?=\)\)", re.DOTALL)


# Characters Python's splitlines() (and so Pweave) counts as line breaks, but editors, Jinja
# and TeX do not: a template holding one would put every later error on the wrong line.
_ODD_NAMES = {"\v": "a vertical tab", "\f": "a form feed", "\x1c": "a file separator",
              "\x1d": "a group separator", "\x1e": "a record separator",
              "\x85": "a next-line character", "\u2028": "a line separator",
              "\u2029": "a paragraph separator"}
_ODD_BREAK = re.compile("[" + "".join(_ODD_NAMES) + "]")


@dataclass(frozen=True)
class Rendered:
    text: str                      # the Pweave source: LaTeX with <<chunk>>= ... @ blocks
    line_map: tuple[Location, ...]  # line_map[n - 1] is where rendered line n came from
    templates: tuple[str, ...] = ()  # the templates it was made from (as the user sees them)

    def location(self, line: int, chunk: str | None = None, origin=None) -> Location:
        """The template line of rendered line `line`; `origin` is the module line (a
        SourceLine) of the code that made what is there, when it is not the template's own
        chunk."""
        where = self.line_map[min(max(line, 1), len(self.line_map)) - 1]
        return Location(where.template, where.line, chunk, origin)

    def sections(self) -> list[tuple[int, str]]:
        """(rendered line, title) of every `\\section{title}`, in order: what the appendix
        groups its rows by."""
        found = []
        for match in _SECTION.finditer(self.text):
            end = markup.group_end(self.text, match.end() - 1)
            found.append((self.text.count("\n", 0, match.start()) + 1,
                          " ".join(self.text[match.end():end - 1].split())))
        return found


_SECTION = re.compile(r"(?m)^[ \t]*\\section\*?\{")


class _Outside(Exception):
    """A template that resolves to a file outside the project."""


class _MarkingLoader(jinja2.FileSystemLoader):
    """Loads templates with a line sentinel before each output newline (see concordance)."""

    def __init__(self, config: BuildConfig):
        super().__init__(str(config.templates_dir))
        self.root = config.root
        self.loaded: set[str] = set()        # the names tracebacks show for its templates

    def get_source(self, environment, template):
        path = Path(self.searchpath[0]) / template
        if path.exists() and not path.resolve().is_relative_to(self.root.resolve()):
            raise _Outside(f"{template} is a link to {path.resolve()}, outside the project; "
                           "a template is read only inside it (copy the file in)")
        try:
            source, filename, uptodate = super().get_source(environment, template)
        except UnicodeDecodeError as error:
            line = error.object[:error.start].count(b"\n") + 1
            raise TemplateError(f"the template is not UTF-8: byte {error.object[error.start]:#x} "
                                "cannot be decoded", Location(self._shown(template), line))
        shown = self._shown(filename)
        self.loaded.add(shown)
        if not source.strip():
            raise TemplateError("the template is empty", Location(shown, 1))
        # (Windows and old Mac line endings arrive as "\n": the loader reads in text mode)
        odd = _ODD_BREAK.search(source)
        if odd:
            raise TemplateError(
                f"the template holds {_ODD_NAMES[odd.group(0)]} (U+{ord(odd.group(0)):04X}), "
                "which some tools count as a line break and others do not; replace it with "
                "a newline or a space", Location(shown, source.count("\n", 0, odd.start()) + 1))
        return concordance.mark_lines(source, shown, _TAG), shown, uptodate

    def _shown(self, name: str) -> str:
        """The template's path as the user sees it: relative to the project's root."""
        path = Path(name) if Path(name).is_absolute() else Path(self.searchpath[0]) / name
        return path.resolve().relative_to(self.root.resolve()).as_posix()


def environment(config: BuildConfig) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_MarkingLoader(config),
        block_start_string="((*", block_end_string="*))",
        variable_start_string="(((", variable_end_string=")))",
        comment_start_string="((=", comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(filters.REGISTRY)
    return env


def render(config: BuildConfig) -> Rendered:
    """Render the main template; Jinja's errors become one line naming template and line."""
    env = environment(config)
    try:
        marked = env.get_template(config.template).render(**dict(config.context))
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(error.message, Location(error.filename or error.name, error.lineno))
    except jinja2.TemplateNotFound as error:
        raise TemplateError(f"template not found: {error.name}",
                            _template_frame(error, env.loader.loaded))
    except TemplateError:                # raised by the loader, already located
        raise
    except _Outside as error:            # located at the include that asked for it
        raise TemplateError(str(error), _template_frame(error, env.loader.loaded)) from None
    except RecursionError as error:
        raise TemplateError("templates include or extend each other without end",
                            _template_frame(error, env.loader.loaded)) from None
    except Exception as error:      # an expression in a template raised: the template's error
        message = str(error) if isinstance(error, (jinja2.TemplateError, TypeError)) \
            else f"{type(error).__name__}: {error}"
        raise TemplateError(message, _template_frame(error, env.loader.loaded)) from None
    text, line_map = concordance.split_marked(marked)
    return Rendered(text, tuple(line_map), tuple(sorted(env.loader.loaded)))


def _template_frame(error: BaseException, templates: set[str]) -> Location | None:
    """The innermost template line in the traceback of a render-time error."""
    where, tb = None, error.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename in templates:
            where = Location(filename, tb.tb_lineno)
        tb = tb.tb_next
    return where

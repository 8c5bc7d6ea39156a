# veritex: the two commands a user needs. Both set up a bare machine on first use:
# TeX Live and latexmk from Debian's packages, Python packages into .venv (pinned), the
# engine (src/veritex) among them, installed editable so that its `veritex` command is there too.
#   make pdf    build report/solutions.pdf and report/assignment.pdf (the documents in
#               pyproject.toml: render -> weave -> verify -> typeset)
#   make test   run the test suite
#   make check  every verification, without LaTeX
#   make watch  rebuild the PDF on every save of a template or src/ file (Ctrl-C stops)
#   make audit  change every claim and definition; each change must make a check fail
#   make bench  time builds (cold, no-op, edits) against Pweave and latexmk alone

PYTHON ?= python3
# extra options for build.py, e.g. `make pdf FLAGS=-q` (quiet) or `make pdf FLAGS=--fresh`
FLAGS ?=
VENV := .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed

.PHONY: pdf test check audit watch bench tex
.DEFAULT_GOAL := pdf

pdf: $(INSTALLED) tex
	$(PY) build.py pdf $(FLAGS)

check: $(INSTALLED)
	$(PY) build.py check $(FLAGS)

audit: $(INSTALLED)
	$(PY) build.py audit $(FLAGS)

watch: $(INSTALLED) tex
	$(PY) build.py watch

# The tests run in parallel, one process per core (pytest-xdist), and the last line says how
# long they took. pytest exits 5 when it collects nothing: a test run that ran no test proves
# nothing, so it fails here with a message saying so.
test: $(INSTALLED) tex
	@started=$$(date +%s.%N); $(PY) -m pytest -n auto tests; status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)" >&2; fi; \
	echo "$$started $$(date +%s.%N) $$status" | awk '{printf "make test: %.0f s, exit status %d\n", $$2 - $$1, $$3}'; \
	exit $$status

bench: $(INSTALLED) tex
	$(PY) tools/bench.py

tex:
	@sh src/veritex/setup/ensure-tex

$(INSTALLED): requirements.txt requirements-engine.txt src/veritex/setup/requirements-test.txt pyproject.toml
	@sh src/veritex/setup/ensure-venv $(PYTHON) $(VENV)
	@touch $@

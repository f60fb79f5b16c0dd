# Two commands matter: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run chat test lint models audio bench soak profile install package conversations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Stamp files re-run the install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

## The main job: the local server (Alexa endpoint and test console) on 127.0.0.1:5000.
run: $(VENV)/.installed
	$(BIN)/cramp-coach serve

## A typed conversation in the terminal.
chat: $(VENV)/.installed
	$(BIN)/cramp-coach chat

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check skill lambda tests bench harness
	$(BIN)/ruff format --check skill lambda tests bench harness
	$(BIN)/mypy skill lambda bench harness

test: lint
	$(BIN)/pytest

## Regenerate interaction_models/*.json (every locale's model, skill.json) from
## interaction_models/source/, and skill/content/merged/*.json from skill/content/*.toml;
## retrain the local understanding's recogniser when a model changed (scikit-learn, dev).
models: $(VENV)/.installed-dev
	$(BIN)/cramp-coach models

## After a reviewed change of words: replay the conversation tests, rewrite what they
## expect, and the README's transcripts rendered from them.
conversations: $(VENV)/.installed
	$(BIN)/cramp-coach test --update --readme README.md tests/conversations/*.yaml

## Re-render audio/*.mp3 with skill/build/sounds.py (pydub, imageio-ffmpeg's ffmpeg).
audio: $(VENV)/.installed-dev
	$(BIN)/cramp-coach audio

## Benchmarks (not timed tests): speed against the bare SDK, the local understanding, hold
## timing against espeak-ng, fuzzing, a soak and the faults; writes bench/results.json and
## the README's tables.
bench: $(VENV)/.installed-dev
	$(BIN)/python -m bench.run

## The long soak test alone (CRAMP_SOAK_SECONDS, default 120); make test runs a short one.
soak: $(VENV)/.installed-dev
	$(BIN)/pytest -m slow tests/test_soak.py

## Where a request's time goes (pyinstrument), on a speaker; SCREEN=hub for an Echo Show.
profile: $(VENV)/.installed-dev
	$(BIN)/python -m bench.profile $(if $(SCREEN),--screen $(SCREEN))

## The Lambda zip and the ASK CLI skill package, under dist/.
package: $(VENV)/.installed-dev
	$(BIN)/cramp-coach package

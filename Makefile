# Styrdok: `make run` starts the assistant on the bundled corpus, `make test` runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.install-stamp
INDEX ?= .styrdok/index
export HF_HUB_OFFLINE := 1
export GRADIO_ANALYTICS_ENABLED := False
export ANONYMIZED_TELEMETRY := False

OCR_PACKAGES := tesseract-ocr tesseract-ocr-swe

.PHONY: help install ocr-tools run test test-llm bench soak screenshots lint clean

help:  ## Visa kommandona
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

install: $(STAMP) ocr-tools  ## Skapa .venv med kommandot styrdok (snabbt när inget ändrats)

# OCR of scanned PDFs needs the Tesseract program and its Swedish model (Debian packages). Installed
# when missing and this is root with apt-get; otherwise a note: ingest then skips scanned PDFs, saying so.
ocr-tools:  ## Installera Tesseract med svensk språkmodell (OCR av skannade PDF-filer) om det saknas
	@if command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx swe; then \
		:; \
	elif command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = "0" ]; then \
		echo "Installerar $(OCR_PACKAGES) för OCR av skannade PDF-filer ..."; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(OCR_PACKAGES)) >/dev/null 2>&1 \
			|| echo "Obs: $(OCR_PACKAGES) kunde inte installeras; skannade PDF-filer hoppas över vid indexeringen."; \
	else \
		echo "Obs: Tesseract med svensk språkmodell saknas, så skannade PDF-filer hoppas över vid indexeringen."; \
		echo "     Installera med: sudo apt-get install $(OCR_PACKAGES)"; \
	fi

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first, from the CPU wheel on this machine: otherwise pip pulls CUDA packages.
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e ".[dev]"
	@touch $(STAMP)

run: install  ## Indexera demokorpusen (första gången) och starta assistenten
	$(BIN)/styrdok ingest --index $(INDEX) corpus/
	$(BIN)/styrdok serve --index $(INDEX)

test: install  ## Kör testerna (offline)
	$(BIN)/pytest

test-llm: install  ## Integrationstest mot en riktig lokal språkmodell (kräver /work/llmvenv och en GGUF, se eval/run_llm_test.sh)
	bash eval/run_llm_test.sh

bench: install  ## Kör utvärdering och mätningar mot ../shared (rapport i eval/reports/)
	$(BIN)/python eval/run_all.py

soak: install  ## Belastningstest: 20 samtidiga sessioner i 2 minuter mot webbgränssnittet (rapport i eval/reports/)
	$(BIN)/python eval/soak_ui.py --sessions 20 --seconds 120

screenshots: install  ## Uppdatera skärmbilderna och axe-rapporten i eval/screenshots/ (webbläsartesterna)
	STYRDOK_SCREENSHOTS=1 $(BIN)/pytest tests/browser

lint: install  ## ruff
	$(BIN)/ruff check assistant ui eval tests

clean:  ## Ta bort .venv och lokala index
	rm -rf $(VENV) .styrdok

.PHONY: install test test-pg lint bench-intake demo

install:
	pip install -e '.[test]'

test:
	pytest

test-pg:
	COUNTYHUB_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test pytest

lint:
	ruff check . && ruff format --check . && lint-imports && mypy

bench-intake:
	python -m bench.intake --rows 100000

demo:
	countyhub demo

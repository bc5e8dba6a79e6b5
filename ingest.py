"""Build or update the index: python ingest.py [--corpus DIR] [--rebuild] [--json]."""

from __future__ import annotations

import sys

from assistant.cli import ingest_main

if __name__ == "__main__":
    sys.exit(ingest_main(sys.argv[1:]))

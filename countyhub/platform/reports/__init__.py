"""The province report: built from the figures of :mod:`countyhub.platform.stats`,
exported (JSON, XLSX, PDF), kept by version, and delivered from an outbox."""

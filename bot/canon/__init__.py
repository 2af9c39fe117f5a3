"""The canon domain: entries, the system of record, the search index, import and export.

Imports no Discord and no language-model code.
"""

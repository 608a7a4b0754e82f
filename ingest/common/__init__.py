"""Helpers every stage may use: problems (file, line, field, sentence), partial dates, text folding,
atomic file writes and CSV text.

Imports: the standard library and nothing else of this package.
"""

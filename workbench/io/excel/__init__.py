"""The Excel plan: a workbook whose business case is live formulas (see :mod:`.workbook`)."""

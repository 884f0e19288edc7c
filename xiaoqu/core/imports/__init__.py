"""Imports of base data (estates, property companies, users) from XLSX or CSV files.

The framework reads a table (`reader`), maps its headers to the fields of an import spec
(`mapping`), validates every row into records with row errors that point at the row and
column the user sees in Excel (`engine`), and writes the valid records through the write
services of the apps in one transaction. The command-line commands and the web pages both
call `engine.import_run`; web runs are recorded as `core.ImportJob` (`jobs`).
"""

"""Adapters to the outside: cluster, dumps, plan files, exports."""

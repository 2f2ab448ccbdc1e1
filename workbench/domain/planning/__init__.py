"""Wave planning: the call graph, the schedule rules, the validator, auto-plan and the
schedule's outputs (coverage, safe STRICT dates)."""

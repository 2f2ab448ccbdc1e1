"""Sharing use-cases: a copy to send (names hidden or not) and merging a reviewed copy back."""

from __future__ import annotations

import copy
import os

from workbench.domain.plan import Plan
from workbench.domain.sharing.hide import SharingError, hide_names, restore_names, restorer_for
from workbench.domain.sharing.merge3 import MergeResult, merge_plans
from workbench.io.share_key import ShareKeyError, load_key

KeyFile = str | os.PathLike[str] | None


def shared_copy(plan: Plan, *, hide: bool, key_file: KeyFile = None) -> Plan:
    """The copy to send: with the names hidden under the user's key (made on first use,
    or ``key_file``), or a plain copy."""
    if not hide:
        return copy.deepcopy(plan)
    return hide_names(plan, load_key(key_file, create=key_file is None))


def merge_reviewed(
    base: Plan,
    mine: Plan,
    theirs: Plan,
    *,
    prefer: str | None = None,
    key_file: KeyFile = None,
) -> MergeResult:
    """Merge THEIRS's edits since BASE into MINE. A copy with hidden names gets its real
    names back first (from BASE and MINE, under the key; in place: the three plans are
    the caller's to give up); when all three are hidden the merge happens on the hidden
    names. The result shares unchanged parts with MINE."""
    plans = [base, mine, theirs]
    hidden = [p for p in plans if p.sharing.hidden_key_id]
    if hidden and len(hidden) < len(plans):
        try:
            key = load_key(key_file)
        except ShareKeyError as exc:
            raise SharingError(
                f"a copy has hidden names (key id {hidden[0].sharing.hidden_key_id}) and "
                f"the key is not available: {exc}"
            ) from None
        restorer = restorer_for([p for p in plans if not p.sharing.hidden_key_id], key)
        base, mine, theirs = (restore_names(p, key, restorer, in_place=True) for p in plans)
    return merge_plans(base, mine, theirs, prefer)

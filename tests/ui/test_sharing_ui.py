"""Comments in the window (Comments view, details dock), File › Share…, File › Merge
reviewed copy… with its conflicts dialog, and the warning for a file changed outside."""

from __future__ import annotations

import copy
import gzip
import json
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.plans import FakeDialogs
from workbench.domain.comments import Comment, Reply
from workbench.domain.sharing.merge3 import Conflict
from workbench.io.plan_file import load_plan, save_plan
from workbench.ui.comments_view import CommentsView
from workbench.ui.main_window import MainWindow
from workbench.ui.sharing_dialogs import MergeChoice, ShareChoice, SharingDialogs

SIZE = (1600, 1000)


class FakeSharingDialogs(SharingDialogs):
    def __init__(self) -> None:
        self.shares: list[ShareChoice | None] = []
        self.merges: list[MergeChoice | None] = []
        self.conflict_answers: list[str | None] = []
        self.conflicts_shown: list[list[str]] = []
        self.warnings: list[tuple[str, str]] = []

    def ask_share(self, parent: object, suggestion: str, key_path: str) -> ShareChoice | None:
        return self.shares.pop(0)

    def ask_merge(self, parent: object, directory: str) -> MergeChoice | None:
        return self.merges.pop(0)

    def ask_conflicts(self, parent: object, conflicts: Sequence[Conflict]) -> str | None:
        self.conflicts_shown.append([c.line() for c in conflicts])
        return self.conflict_answers.pop(0)

    def warn(self, parent: object, title: str, message: str) -> None:
        self.warnings.append((title, message))


@pytest.fixture
def fakes(window: MainWindow) -> FakeSharingDialogs:
    fake = FakeSharingDialogs()
    window.sharing.dialogs = fake
    return fake


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "team.key"
    path.write_bytes(b"a key for the tests, long enough\n")
    return path


def test_comment_from_the_details_dock_shows_in_the_comments_view(
    window: MainWindow, dialogs: FakeDialogs, plan_path: Path
) -> None:
    assert window.open_plan(plan_path)
    key = window.document.plan.schedule.waves[0].members[0]
    window.details.show_key(key)
    dialogs.texts.append("Check the owner before the pilot")
    assert window.details.comment_action("add")
    assert "Check the owner before the pilot" in window.details.text()
    view = window.show_view("comments")
    assert isinstance(view, CommentsView)
    assert view.model.rowCount() == 1
    assert view.select_comment(window.document.plan.comments[0].id)
    dialogs.texts.append("Owner is the payments team")
    assert view.reply()
    assert view.toggle_resolved()
    c = window.document.plan.comments[0]
    assert c.resolved and [r.text for r in c.replies] == ["Owner is the payments team"]
    view.show_resolved.setChecked(False)
    assert view.proxy.rowCount() == 0
    for _ in range(3):
        window.document.undo_stack.undo()
    assert window.document.plan.comments == []
    assert view.model.rowCount() == 0


def test_comments_view_screenshot(
    qtbot: QtBot, dialogs: FakeDialogs, sample_plan_path: Path, repo_root: Path
) -> None:
    window = MainWindow(dialogs=dialogs)
    qtbot.addWidget(window)
    window.resize(*SIZE)
    window.show()
    qtbot.waitExposed(window)
    plan = load_plan(sample_plan_path)
    waves = plan.schedule.waves
    notes = [
        (f"wave:{waves[1].id}", "ana", "Move after the payment freeze in March?", True),
        (f"workload:{waves[1].members[0]}", "bo", "Who owns this one? No runbook yet.", False),
        (f"workload:{waves[2].members[3]}", "security", "Needs STRICT before go-live.", False),
        ("plan", "finance", "Benefits ramp looks optimistic; use linear over 14 months.", False),
    ]
    for i, (target, author, text, replied) in enumerate(notes):
        c = Comment(f"c{i}", target, author, f"2023-06-0{i + 1}T09:30:00Z", text)
        if replied:
            c.replies.append(Reply("r1", "cy", "2023-06-02T10:00:00Z", "Agreed, +2 weeks"))
        plan.comments.append(c)
    plan.comments[3].resolved = True
    window.document.replace(plan, None)
    view = window.show_view("comments")
    assert isinstance(view, CommentsView)
    assert view.select_comment("c0")
    window.details.show_key(f"wave:{waves[1].id}")
    qtbot.wait(50)
    image = window.grab().toImage()
    folder = repo_root / "docs" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    assert image.save(str(folder / "comments.png"))
    assert "Agreed, +2 weeks" in window.details.text()
    window.document.undo_stack.setClean()
    window.close()


def test_share_writes_a_copy_with_hidden_names(
    window: MainWindow, fakes: FakeSharingDialogs, plan_path: Path, key_file: Path, tmp_path: Path
) -> None:
    assert window.open_plan(plan_path)
    out = tmp_path / "to-send.meshplan"
    fakes.shares.append(ShareChoice(str(out), True, str(key_file)))
    assert window.sharing.share() == out
    copy_ = load_plan(out)
    assert copy_.sharing.hidden_key_id
    assert set(copy_.inventory.workloads).isdisjoint(window.document.plan.inventory.workloads)
    assert len(copy_.inventory.workloads) == len(window.document.plan.inventory.workloads)
    fakes.shares.append(ShareChoice(str(plan_path), False))
    assert window.sharing.share() is None  # never over the open plan
    assert window.sharing.share_action in window.menuBar().actions()[0].menu().actions()


def test_merge_a_reviewed_hidden_copy_with_a_conflict(
    window: MainWindow,
    fakes: FakeSharingDialogs,
    dialogs: FakeDialogs,
    plan_path: Path,
    key_file: Path,
    tmp_path: Path,
) -> None:
    assert window.open_plan(plan_path)
    sent = tmp_path / "sent.meshplan"
    fakes.shares.append(ShareChoice(str(sent), True, str(key_file)))
    assert window.sharing.share() == sent
    reviewed = load_plan(sent)
    wave = reviewed.schedule.waves[1]
    wave.start += timedelta(days=21)
    wave.end += timedelta(days=21)
    reviewed.comments.append(
        Comment("rv1", f"workload:{wave.members[0]}", "rev", "2027-01-01T00:00:00Z", "later")
    )
    back = tmp_path / "reviewed.meshplan"
    save_plan(reviewed, back, keep_backup=False)
    before = copy.deepcopy(window.document.plan)
    mine_wave = window.document.plan.schedule.waves[1]
    from workbench.domain.commands import RescheduleWave

    assert window.execute(
        RescheduleWave(
            mine_wave.id, mine_wave.start + timedelta(days=7), mine_wave.end + timedelta(days=7)
        )
    )
    fakes.merges.append(MergeChoice(str(plan_path), str(back), str(key_file)))
    fakes.conflict_answers.append(None)  # cancel: nothing changes
    assert not window.sharing.merge()
    assert window.document.plan.comments == []
    assert any(mine_wave.id in line for line in fakes.conflicts_shown[0])
    fakes.merges.append(MergeChoice(str(plan_path), str(back), str(key_file)))
    fakes.conflict_answers.append("theirs")
    assert window.sharing.merge(), dialogs.errors
    plan = window.document.plan
    assert plan.schedule.waves[1].start == before.schedule.waves[1].start + timedelta(days=21)
    assert plan.comments[0].target == f"workload:{before.schedule.waves[1].members[0]}"
    window.document.undo_stack.undo()
    assert window.document.plan.comments == []


def test_a_file_changed_outside_opens_with_a_warning(
    window: MainWindow, fakes: FakeSharingDialogs, plan_path: Path
) -> None:
    doc = json.loads(gzip.decompress(plan_path.read_bytes()))
    doc["plan"]["meta"]["title"] = "changed by hand"
    plan_path.write_bytes(gzip.compress(json.dumps(doc).encode()))
    assert window.open_plan(plan_path)
    assert window.document.plan.meta.title == "changed by hand"
    assert len(fakes.warnings) == 1 and "meta" in fakes.warnings[0][1]


def test_share_and_conflicts_dialogs_render(qtbot: QtBot, repo_root: Path) -> None:
    from workbench.ui.sharing_dialogs import ConflictsDialog, MergeDialog, ShareDialog

    share = ShareDialog(None, "/plans/estate-shared.meshplan", "/home/me/.config/key")
    qtbot.addWidget(share)
    assert share.choice() == ShareChoice("/plans/estate-shared.meshplan", True, None)
    share.hide_box.setChecked(False)
    assert not share.key.isEnabled()
    merge = MergeDialog(None, "/plans")
    qtbot.addWidget(merge)
    assert merge.choice() is None  # both files are needed
    conflicts = [
        Conflict("wave wave-02 start", "2027-03-08", "2027-03-22"),
        Conflict("assignment of prod/shop/Deployment/cart", "wave-01", "wave-03"),
    ]
    dialog = ConflictsDialog(None, conflicts)
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    assert "mine 2027-03-08, theirs 2027-03-22" in dialog.list.item(0).text()
    folder = repo_root / "test-artifacts"
    folder.mkdir(exist_ok=True)
    dialog.show()
    share.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(folder / "conflicts-dialog.png"))
    assert share.grab().save(str(folder / "share-dialog.png"))

"""The help window: topics on the left (guide, shortcuts, rule reference), text on the right.

Links inside open other topics (``help:rules``, ``help:rule/R05``), jump within the page
(``#anchor``) or go to the web (Istio sources) in the system browser.
"""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QTextBrowser,
    QWidget,
)

from workbench.ui.help.guide import GUIDE_HTML
from workbench.ui.help.rule_reference import anchor, reference_html
from workbench.ui.help.shortcuts import shortcuts_html

TOPICS = (("guide", "User guide"), ("shortcuts", "Keyboard shortcuts"), ("rules", "Rule reference"))


class HelpWindow(QDialog):
    """Non-modal, so the help stays open beside the plan."""

    def __init__(self, window: QMainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent or window)
        self.setObjectName("HelpWindow")
        self.setWindowTitle("Mesh Migration Workbench help")
        self.window_ = window
        self.topics = QListWidget(self)
        self.topics.setFixedWidth(180)
        for topic_id, title in TOPICS:
            item = QListWidgetItem(title)
            item.setData(256, topic_id)
            self.topics.addItem(item)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        self.browser.anchorClicked.connect(self._on_link)
        layout = QHBoxLayout(self)
        layout.addWidget(self.topics)
        layout.addWidget(self.browser, 1)
        self.topics.currentRowChanged.connect(lambda row: self.show_topic(TOPICS[row][0]))
        QShortcut(QKeySequence(QKeySequence.StandardKey.Close), self, self.close)
        self.topic = ""
        self.opened_urls: list[str] = []  # external links followed (tests read it)
        self.resize(900, 680)

    def show_topic(self, topic: str, target: str = "") -> None:
        """Show a topic (``guide``, ``shortcuts``, ``rules``), scrolled to ``target``."""
        ids = [t for t, _ in TOPICS]
        if topic not in ids:
            topic = "guide"
        if topic != self.topic:
            self.topic = topic
            self.browser.setHtml(self._html(topic))
            self.topics.blockSignals(True)
            self.topics.setCurrentRow(ids.index(topic))
            self.topics.blockSignals(False)
        if target:
            self.browser.scrollToAnchor(target)
        else:
            self.browser.verticalScrollBar().setValue(0)

    def show_rule(self, rule_id: str) -> None:
        self.show_topic("rules", anchor(rule_id))

    def _html(self, topic: str) -> str:
        if topic == "rules":
            return reference_html()
        if topic == "shortcuts":
            return shortcuts_html(self.window_)
        return GUIDE_HTML

    def _on_link(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("help:rule/"):
            self.show_rule(text.removeprefix("help:rule/"))
        elif text.startswith("help:"):
            self.show_topic(text.removeprefix("help:"))
        elif text.startswith("#"):
            self.browser.scrollToAnchor(text[1:])
        else:
            self.opened_urls.append(text)
            QDesktopServices.openUrl(url)

"""The one registry of user actions: id, text, shortcut, icon, tip and menu.

Every command the editor can give lives here, so menus, the shortcuts help (F1) and the
tests all read the same table. Handlers are connected by the widget that owns the behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from reviewapp.core.scales import CLAIM_STATUSES
from reviewapp.ui.qt_ints import WIDGET_WITH_CHILDREN_SHORTCUT
from reviewapp.ui.scale_style import CLAIM_STATUS_SHORTCUTS

if TYPE_CHECKING:  # QIcon comes with the icons, after the first paint (its enum types ~1 ms)
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QIcon

Key = QKeySequence.StandardKey

# Where a shortcut is live: the whole window, or only while focus is in one list. Keys such
# as Delete must not be window-wide, or they would be stolen from every text field.
WINDOW = "window"


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str
    tip: str
    shortcut: str | QKeySequence.StandardKey | None = None
    icon: str = ""  # freedesktop icon theme name
    menu: str = ""  # File, Edit, Review, View, Help; "" = not in the menu bar
    scope: str = WINDOW  # WINDOW, or the name of the list whose focus makes it live
    checkable: bool = False

    def key_sequences(self) -> list[QKeySequence]:
        if self.shortcut is None:
            return []
        if isinstance(self.shortcut, QKeySequence.StandardKey):
            return list(QKeySequence.keyBindings(self.shortcut))
        return [QKeySequence(self.shortcut)]


_STATUS_ACTIONS = tuple(
    ActionSpec(
        f"claim.status.{s.key}",
        f"Mark as {s.label}",
        f"Set the current claim's status to {s.label.lower()}",
        CLAIM_STATUS_SHORTCUTS[s.key],
        menu="Review/Set status",
    )
    for s in CLAIM_STATUSES
)

ACTIONS: tuple[ActionSpec, ...] = (
    # File
    ActionSpec(
        "file.import_url",
        "Import from &URL…",
        "Fetch an article from a web address and start a review",
        "Ctrl+Shift+O",
        "network-workgroup",
        "File",
    ),
    ActionSpec(
        "file.import_file",
        "&Import File…",
        "Import a draft from an HTML, text, Markdown or Word file",
        Key.Open,
        "document-open",
        "File",
    ),
    ActionSpec(
        "file.paste",
        "&Paste as New Draft",
        "Start a review from the text, HTML or link on the clipboard",
        "Ctrl+Shift+V",
        "edit-paste",
        "File",
    ),
    ActionSpec(
        "file.sample",
        "Open the &Sample Draft",
        "Import the sample AI-assisted draft shipped with the app",
        None,
        "help-about",
        "File",
    ),
    ActionSpec(
        "file.import_revision",
        "Import New &Revision…",
        "Import a newer draft of the open article; its claims follow onto the new text",
        "Ctrl+Shift+R",
        "view-refresh",
        "File",
    ),
    ActionSpec(
        "file.import_bundle",
        "Import &Bundle…",
        "Bring in reviews exported as JSON bundles (signed ones are verified first)",
        None,
        "document-import",
        "File",
    ),
    ActionSpec(
        "file.archive",
        "Shared &Archive…",
        "Push your signed-off reviews to the newsroom's shared git archive, and pull, verify "
        "and import your colleagues'",
        None,
        "",
        "File",
    ),
    ActionSpec(
        "file.export",
        "&Export…",
        "Write the open review, or every review, as Markdown (signed when signed off), "
        "a JSON bundle, W3C annotations, ClaimReview, CSV, or (for one review with captures) a "
        "WARC of its captures",
        "Ctrl+E",
        "document-save-as",
        "File",
    ),
    ActionSpec(
        "file.open_original",
        "Open &Original in Browser",
        "Open the article's original address in your web browser",
        "Ctrl+Shift+B",
        "internet-web-browser",
        "File",
    ),
    ActionSpec(
        "file.preferences",
        "Pre&ferences…",
        "Your name, email, organisation and the fetch timeout",
        "Ctrl+,",
        "preferences-system",
        "File",
    ),
    ActionSpec(
        "file.quit",
        "&Quit",
        "Close the window; everything is already saved",
        Key.Quit,
        "application-exit",
        "File",
    ),
    # Edit
    ActionSpec(
        "edit.undo", "&Undo", "Undo the last change, in any pane", Key.Undo, "edit-undo", "Edit"
    ),
    ActionSpec(
        "edit.redo", "&Redo", "Redo the change you last undid", Key.Redo, "edit-redo", "Edit"
    ),
    ActionSpec(
        "edit.find", "&Find in Article…", "Search the article text", Key.Find, "edit-find", "Edit"
    ),
    ActionSpec(
        "edit.find_next",
        "Find &Next",
        "Go to the next match in the article",
        Key.FindNext,
        "go-down",
        "Edit",
    ),
    ActionSpec(
        "edit.find_previous",
        "Find Pre&vious",
        "Go to the previous match in the article",
        Key.FindPrevious,
        "go-up",
        "Edit",
    ),
    ActionSpec(
        "edit.search_library",
        "&Search Library",
        "Put the cursor in the library's search box",
        "Ctrl+L",
        "system-search",
        "Edit",
    ),
    # Review
    ActionSpec(
        "claim.add",
        "&Add Claim from Selection",
        "Pin a new claim to the text selected in the article",
        "Ctrl+Return",
        "list-add",
        "Review",
    ),
    ActionSpec(
        "claim.next",
        "&Next Claim",
        "Select the next claim and show its passage",
        "Alt+Down",
        "go-next",
        "Review",
    ),
    ActionSpec(
        "claim.previous",
        "&Previous Claim",
        "Select the previous claim and show its passage",
        "Alt+Up",
        "go-previous",
        "Review",
    ),
    *_STATUS_ACTIONS,
    ActionSpec(
        "claim.delete",
        "&Delete Claim",
        "Delete the selected claim (undo brings it back)",
        Key.Delete,
        "edit-delete",
        "Review",
        scope="claims",
    ),
    ActionSpec(
        "suggestion.next",
        "Ne&xt Unexamined Suggestion",
        "Go to the next check-worthy sentence that is neither a claim nor dismissed",
        "F8",
        "go-down",
        "Review",
    ),
    ActionSpec(
        "suggestion.previous",
        "Previous Unexamined Su&ggestion",
        "Go to the previous check-worthy sentence that is neither a claim nor dismissed",
        "Shift+F8",
        "go-up",
        "Review",
    ),
    ActionSpec(
        "suggestion.accept",
        "A&ccept Suggestion as Claim",
        "Make the suggested sentence at the cursor a claim (only the selected words, if any)",
        "Alt+Return",
        "dialog-ok",
        "Review",
    ),
    ActionSpec(
        "suggestion.dismiss",
        "Dis&miss Suggestion…",
        "Set the suggested sentence at the cursor aside, with a short reason",
        "Alt+Delete",
        "dialog-cancel",
        "Review",
    ),
    ActionSpec(
        "claim.reuse",
        "Re&use Earlier Check",
        "Reuse the check selected under Checked before: link its sources, quote its note, "
        "record where it came from",
        "Ctrl+Shift+U",
        "edit-paste",
        "Review",
    ),
    ActionSpec(
        "source.add",
        "Add &Source…",
        "Add a source, linked to the current claim",
        "Ctrl+Shift+S",
        "bookmark-new",
        "Review",
    ),
    ActionSpec(
        "source.delete",
        "Delete Source",
        "Delete the selected source (undo brings it back)",
        Key.Delete,
        "edit-delete",
        "",
        scope="sources",
    ),
    ActionSpec(
        "source.capture",
        "&Capture Source",
        "Fetch the selected source's address and keep what came back (status, headers, "
        "body, time, SHA-256) as a WARC record in the library",
        "Ctrl+Shift+K",
        "document-save-as",
        "Review",
    ),
    ActionSpec(
        "source.read_capture",
        "Read Capt&ure",
        "Read the selected source's latest capture offline, as text; open it as a file",
        "Ctrl+Shift+J",
        "document-open",
        "Review",
    ),
    ActionSpec(
        "source.cancel_capture",
        "Cancel Capture",
        "Stop the capture that is running; nothing is kept",
        None,
        "",
        "Review",
    ),
    ActionSpec(
        "takeaway.add",
        "Add &Takeaway",
        "Write a new takeaway for this review",
        "Ctrl+T",
        "document-new",
        "Review",
    ),
    ActionSpec(
        "takeaway.delete",
        "Delete Takeaway",
        "Delete the selected takeaway (undo brings it back)",
        Key.Delete,
        "edit-delete",
        "",
        scope="takeaways",
    ),
    ActionSpec(
        "takeaway.up",
        "Move Takeaway Up",
        "Move the selected takeaway one place up",
        "Ctrl+Shift+Up",
        "go-up",
        "",
        scope="takeaways",
    ),
    ActionSpec(
        "takeaway.down",
        "Move Takeaway Down",
        "Move the selected takeaway one place down",
        "Ctrl+Shift+Down",
        "go-down",
        "",
        scope="takeaways",
    ),
    ActionSpec(
        "review.accountability",
        "AI &Involvement and Responsibility…",
        "Record what AI did to the draft, who holds editorial responsibility and what the "
        "review covered",
        "Ctrl+Shift+I",
        "document-properties",
        "Review",
    ),
    ActionSpec(
        "review.second_required",
        "Require Second Review",
        "Sign-off of this review waits for a second reviewer's signed assessment (new reviews "
        "follow the library's setting in Preferences)",
        None,
        "",
        "Review",
        checkable=True,
    ),
    ActionSpec(
        "review.second_request",
        "Request Second Revie&w…",
        "Write a blind request for a colleague's second review of these claims (none of your "
        "statuses, notes or sources)",
        None,
        "",
        "Review",
    ),
    ActionSpec(
        "review.second_request_archive",
        "Request Second Review through the Shared &Archive…",
        "Push a blind request for a colleague's second review to the shared archive; their "
        "pull imports it (only when this library has an archive)",
        None,
        "",
        "Review",
    ),
    ActionSpec(
        "review.second_import",
        "Import Second Assessm&ent…",
        "Import a colleague's signed second assessment (or a request sent to you)",
        None,
        "",
        "Review",
    ),
    ActionSpec(
        "review.second_import_cosignature",
        "Import Co-si&gnature…",
        "Keep the second reviewer's co-signature (NAME.md.second.sig) with the review's "
        "sign-off; exports then write it beside the Markdown",
        None,
        "",
        "Review",
    ),
    ActionSpec(
        "review.second_compare",
        "Co&mpare with Second Reviewer…",
        "Each claim: your status and note beside the second reviewer's; settle those not agreed",
        None,
        "",
        "Review",
    ),
    ActionSpec(
        "review.second_sign",
        "Sign Second Assessment…",
        "Sign your assessment of a colleague's second-review request with your key and save "
        "the file to send back (every claim needs a status)",
        None,
        "document-sign",
        "Review",
    ),
    ActionSpec(
        "review.second_record",
        "Open First Editor's Record…",
        "As second reviewer: the first editor's signed review beside your assessment, both "
        "notes per claim, and co-sign it",
        None,
        "document-open",
        "Review",
    ),
    ActionSpec(
        "review.signoff",
        "Sign &Off…",
        "Check the gate, then sign the review with your key",
        "Ctrl+Shift+Return",
        "document-sign",
        "Review",
    ),
    ActionSpec(
        "review.reopen",
        "&Reopen…",
        "Reopen a signed-off review for changes; the old sign-off stays in its history",
        None,
        "document-edit",
        "Review",
    ),
    ActionSpec(
        "review.check_published",
        "Check &Published Version…",
        "Compare the published text (a web address or a file) with the signed revision",
        "Ctrl+Shift+P",
        "edit-find",
        "Review",
    ),
    ActionSpec(
        "review.verify",
        "&Verify File…",
        "Check who signed an exported Markdown file and whether it is intact",
        None,
        "security-high",
        "Review",
    ),
    ActionSpec(
        "review.delete",
        "Delete Review…",
        "Move the selected review to the bin (undo brings it back)",
        Key.Delete,
        "user-trash",
        "",
        scope="library",
    ),
    # View
    ActionSpec(
        "view.article",
        "&Article",
        "Put the keyboard focus in the article text",
        "Alt+0",
        "text-x-generic",
        "View",
    ),
    ActionSpec("view.claims", "&Claims", "Show the claims pane", "Alt+1", "", "View"),
    ActionSpec("view.sources", "&Sources", "Show the sources pane", "Alt+2", "", "View"),
    ActionSpec("view.takeaways", "&Takeaways", "Show the takeaways pane", "Alt+3", "", "View"),
    ActionSpec(
        "view.memory",
        "C&hecked Before",
        "Show earlier claims of the library worded like the current one",
        "Alt+4",
        "",
        "View",
    ),
    ActionSpec(
        "view.compare",
        "Compare &Drafts…",
        "What changed between two revisions, and the claims each change touches",
        "Ctrl+Shift+D",
        "document-properties",
        "View",
    ),
    # Help
    ActionSpec(
        "help.shortcuts",
        "&Keyboard Shortcuts",
        "List every action and its shortcut",
        Key.HelpContents,
        "help-contents",
        "Help",
    ),
    ActionSpec("help.about", "&About reviewapp", "Version and licence", None, "help-about", "Help"),
)

SPECS: dict[str, ActionSpec] = {spec.id: spec for spec in ACTIONS}
MENUS = ("File", "Edit", "Review", "View", "Help")


# Keys every keyboard has, beside the printable ones. Qt's standard bindings add keys of old
# Sun and multimedia keyboards (F14 for Undo; the Undo, Redo, Find, Open and Help keys) that an
# editor would look for in vain, so the help and the README leave them out.
@cache
def _common_keys() -> frozenset[Qt.Key]:
    # Made when first asked for, not at import: see qt_ints.
    from PySide6.QtCore import Qt

    return frozenset(
        {
            Qt.Key.Key_Escape,
            Qt.Key.Key_Tab,
            Qt.Key.Key_Backtab,
            Qt.Key.Key_Backspace,
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Insert,
            Qt.Key.Key_Delete,
            Qt.Key.Key_Home,
            Qt.Key.Key_End,
            Qt.Key.Key_Left,
            Qt.Key.Key_Up,
            Qt.Key.Key_Right,
            Qt.Key.Key_Down,
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
            *(Qt.Key(Qt.Key.Key_F1.value + n) for n in range(12)),
        }
    )


def on_keyboard(sequence: QKeySequence) -> bool:
    """Whether every key of sequence is on an ordinary keyboard (F14 and "Undo" are not)."""
    from PySide6.QtCore import Qt

    # PySide6's type stubs omit QKeySequence.__getitem__ (Qt's operator[]); it exists at run time.
    indexable: Any = sequence
    for index in range(sequence.count()):
        key = indexable[index].key()
        if key.value >= Qt.Key.Key_Escape.value and key not in _common_keys():
            return False
    return sequence.count() > 0


def readable_keys(spec: ActionSpec) -> list[QKeySequence]:
    """The keys of spec on this platform that an editor can press, the platform's first."""
    return [seq for seq in spec.key_sequences() if on_keyboard(seq)]


def shortcut_text(spec: ActionSpec) -> str:
    """The shortcut as the user sees it on this platform, e.g. 'Ctrl+Shift+Z' for Redo on
    Linux, 'Ctrl+Y, Alt+Shift+Backspace, Ctrl+Shift+Z' on Windows."""
    return ", ".join(
        seq.toString(QKeySequence.SequenceFormat.NativeText) for seq in readable_keys(spec)
    )


def action_icon(name: str) -> QIcon:
    """The desktop theme's icon, else ours from resources/icons/actions (SVG: crisp at any
    scale, and the same on Windows and macOS, which have no freedesktop icon theme)."""
    from PySide6.QtGui import QIcon

    try:
        from reviewapp.resources_path import resource_path

        fallback = resource_path("icons", "actions", f"{name}.svg")
    except FileNotFoundError:  # an install without resources/: the theme's icon or none
        return QIcon.fromTheme(name)
    return QIcon.fromTheme(name, QIcon(str(fallback)) if fallback.is_file() else QIcon())


class ActionSet(QObject):
    """The QActions of one main window, made from the registry."""

    def __init__(self, parent: QObject, icons: bool = True):
        """icons=False leaves the icons to load_icons(): looking them up in the icon theme
        costs a few milliseconds the first frame of a staged start can do without."""
        super().__init__(parent)
        self._actions: dict[str, QAction] = {}
        for spec in ACTIONS:
            # Not QAction(text, parent): to tell that from QAction(icon, ...) PySide6 builds
            # QIcon's enums (~2 ms), and the icons come after the first frame.
            action = QAction(parent)
            action.setText(spec.text)
            action.setObjectName(spec.id)
            action.setToolTip(spec.tip)
            action.setStatusTip(spec.tip)
            action.setShortcuts(spec.key_sequences())
            action.setCheckable(spec.checkable)
            if spec.scope != WINDOW:
                # Live only while focus is inside the widget the action is added to.
                # As an int property: setShortcutContext() would make Qt's enums (qt_ints).
                action.setProperty("shortcutContext", WIDGET_WITH_CHILDREN_SHORTCUT)
            self._actions[spec.id] = action
        if icons:
            self.load_icons()

    def load_icons(self) -> None:
        for spec in ACTIONS:
            if spec.icon:
                self._actions[spec.id].setIcon(action_icon(spec.icon))

    def __getitem__(self, action_id: str) -> QAction:
        return self._actions[action_id]

    def items(self) -> list[tuple[ActionSpec, QAction]]:
        return [(spec, self._actions[spec.id]) for spec in ACTIONS]

    def scoped(self, scope: str) -> list[QAction]:
        """Actions whose shortcut is live only inside the widget named scope."""
        return [self._actions[s.id] for s in ACTIONS if s.scope == scope]


def platform_keys() -> dict[str, str]:
    """Each action's first key as this platform binds it (portable text, '' for none)."""
    keys = {}
    for spec in ACTIONS:
        if spec.shortcut is not None:
            readable = readable_keys(spec)
            keys[spec.id] = (
                readable[0].toString(QKeySequence.SequenceFormat.PortableText) if readable else ""
            )
    return keys


def shortcuts_markdown(linux: dict[str, str], windows: dict[str, str]) -> str:
    """The README's keyboard table from the keys Qt binds on Linux and on Windows (from
    platform_keys() run on each: see reviewapp/ui/keytable.py), naming Windows' key where the
    two differ, e.g. Redo: `Ctrl+Shift+Z` (Windows: `Ctrl+Y`)."""
    lines = ["| action | keys | what it does |", "|---|---|---|"]
    for spec in ACTIONS:
        if spec.shortcut is None:
            continue
        here, there = linux.get(spec.id, ""), windows.get(spec.id, "")
        if not here and not there:
            continue
        keys = f"`{here}`" if here else "none"
        if there != here:
            keys += f" (Windows: `{there}`)" if there else " (Windows: none)"
        text = spec.text.replace("&", "").rstrip("…")
        lines.append(f"| {text} | {keys} | {spec.tip} |")
    return "\n".join(lines) + "\n"

"""One Qt item model per list pane; each is tested without a window."""

from reviewapp.ui.qt_ints import USER_ROLE  # not Qt: the library is drawn before first paint

# Custom item data roles shared by the models.
ID_ROLE = USER_ROLE + 1  # the row's database id
RECORD_ROLE = USER_ROLE + 2  # the dataclass the row shows
STATUS_ROLE = USER_ROLE + 3  # a status key (claim or review)
SUBTITLE_ROLE = USER_ROLE + 4  # a second, smaller line of text

"""Big structures the window lets go of are freed a part per turn of the event loop, so no
turn frees them all; each is emptied in the end."""

from __future__ import annotations

from itertools import pairwise

from reviewapp.ui.release import PART, Releaser


def test_a_big_list_and_dict_are_freed_a_part_per_turn_until_empty(qtbot, qapp):
    releaser = Releaser()
    big_list = [(n, n + 1) for n in range(3 * PART)]
    big_dict = {n: str(n) for n in range(2 * PART)}
    small = list(range(10))
    releaser.release(big_list, tuple(range(PART + 1)), big_dict, small)
    assert releaser.holding == 3 * PART + PART + 1 + 2 * PART  # the small one is not held
    seen = [releaser.holding]
    releaser._timer.timeout.connect(lambda: seen.append(releaser.holding))  # after each part
    qtbot.waitUntil(lambda: releaser.holding == 0)
    assert len(seen) >= 7  # six turns at least, of at most PART items each
    assert all(0 < a - b <= PART for a, b in pairwise(seen))
    assert big_list == [] and big_dict == {}
    assert small == list(range(10))  # not the releaser's to empty

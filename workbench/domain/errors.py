"""The error every user-facing failure derives from: its message says what and where."""


class WorkbenchError(Exception):
    """A failure the user caused or can fix (bad input, bad file, bad edit).

    Front ends show ``str(error)`` as it is, without a traceback.
    """

"""Why a shop cannot be opened, and what to tell the seller: one catalogue for the window and
the command line.

Qt-free sentences (``Msg``) in the ``StartupError`` context: the window shows them with
``ui.i18n.tr_msg``, the command line with ``cli.text.render`` in ``--lang`` or the
terminal's language. Neither ever shows the internal problem code.
"""

from __future__ import annotations

import enum

from moments_desk.core.shared.messages import QT_TRANSLATE_NOOP, Msg


class StartupProblem(enum.Enum):
    DATA_DIR_MISSING_PARENT = "data_dir_missing_parent"
    DATA_DIR_NOT_A_DIRECTORY = "data_dir_not_a_directory"
    DATA_DIR_NOT_WRITABLE = "data_dir_not_writable"
    ALREADY_RUNNING = "already_running"
    DATABASE_CORRUPT = "database_corrupt"
    DATABASE_TOO_NEW = "database_too_new"
    DATABASE_FOREIGN = "database_foreign"
    DATABASE_UNREACHABLE = "database_unreachable"
    DATABASE_URL_INVALID = "database_url_invalid"
    DATABASE_UNSUPPORTED = "database_unsupported"


#: What the event loop returns after a restore replaced the data: app.py then builds a fresh
#: main window on it. Here, not with the restore's page, so a start need not import that page.
RELOAD_EXIT_CODE = 75

#: Process exit codes, documented in the README.
EXIT_CODES = {
    StartupProblem.DATA_DIR_MISSING_PARENT: 3,
    StartupProblem.DATA_DIR_NOT_A_DIRECTORY: 3,
    StartupProblem.DATA_DIR_NOT_WRITABLE: 3,
    StartupProblem.ALREADY_RUNNING: 4,
    StartupProblem.DATABASE_CORRUPT: 5,
    StartupProblem.DATABASE_TOO_NEW: 5,
    StartupProblem.DATABASE_FOREIGN: 5,
    StartupProblem.DATABASE_UNREACHABLE: 5,
    StartupProblem.DATABASE_URL_INVALID: 2,
    StartupProblem.DATABASE_UNSUPPORTED: 2,
}


class StartupError(Exception):
    def __init__(self, problem: StartupProblem, subject: str, detail: str = "") -> None:
        super().__init__(f"{problem.value}: {subject} {detail}".strip())
        self.problem = problem
        self.subject = subject  # the folder, file or (password-masked) URL concerned
        self.detail = detail
        self.explained = False  # the seller has already been shown a dialog about it

    def __str__(self) -> str:
        """The English sentence the seller is shown, never the internal code."""
        title, message = startup_sentences(self)
        return f"{title}: {message}"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.problem]


#: How sellers know the databases people most often try (the URL's scheme otherwise).
_DATABASE_NAMES = {
    "mysql": "MySQL",
    "mariadb": "MariaDB",
    "mssql": "SQL Server",
    "oracle": "Oracle",
    "sqlite+pysqlcipher": "SQLCipher",
}


def database_name(drivername: str) -> str:
    """``mysql+pymysql`` → MySQL; a driver of a database we do support keeps its full name."""
    return _DATABASE_NAMES.get(
        drivername, _DATABASE_NAMES.get(drivername.split("+")[0], drivername)
    )


def startup_sentences(error: StartupError) -> tuple[Msg, Msg]:
    """(title, message) for a start-up failure."""
    subject, detail = error.subject, error.detail
    match error.problem:
        case StartupProblem.DATA_DIR_MISSING_PARENT:
            return QT_TRANSLATE_NOOP("StartupError", "Data folder not found"), QT_TRANSLATE_NOOP(
                "StartupError",
                "The data folder {path} does not exist, and neither does the folder it should be "
                "in. If it is on an external disk, connect the disk and start again; otherwise "
                "check the --data-dir you gave.",
            ).format(path=subject)
        case StartupProblem.DATA_DIR_NOT_A_DIRECTORY:
            return QT_TRANSLATE_NOOP("StartupError", "Data folder is a file"), QT_TRANSLATE_NOOP(
                "StartupError",
                "{path} is a file, not a folder. Choose another data folder with --data-dir.",
            ).format(path=subject)
        case StartupProblem.DATA_DIR_NOT_WRITABLE:
            return QT_TRANSLATE_NOOP("StartupError", "Data folder is read-only"), QT_TRANSLATE_NOOP(
                "StartupError",
                "Moments Desk cannot write to {path} ({detail}). Check the folder's permissions "
                "or choose another data folder with --data-dir.",
            ).format(
                path=subject,
                detail=detail or QT_TRANSLATE_NOOP("StartupError", "permission denied"),
            )
        case StartupProblem.ALREADY_RUNNING:
            return QT_TRANSLATE_NOOP("StartupError", "Already running"), QT_TRANSLATE_NOOP(
                "StartupError",
                "Moments Desk is already open with the data folder {path}. Switch to that "
                "window (it may be in the system tray) instead of starting it twice.",
            ).format(path=subject)
        case StartupProblem.DATABASE_CORRUPT:
            return QT_TRANSLATE_NOOP("StartupError", "Database is damaged"), QT_TRANSLATE_NOOP(
                "StartupError",
                "The database {path} cannot be read ({detail}). It has not been changed. Restore "
                "it from a backup in the backups folder, or ask for help before deleting it.",
            ).format(path=subject, detail=detail)
        case StartupProblem.DATABASE_TOO_NEW:
            return QT_TRANSLATE_NOOP(
                "StartupError", "Database is from a newer version"
            ), QT_TRANSLATE_NOOP(
                "StartupError",
                "The database {path} was last opened by a newer version of Moments Desk (data "
                "format {revision}). Install the newest version to open it; this version will "
                "not touch it.",
            ).format(path=subject, revision=detail)
        case StartupProblem.DATABASE_FOREIGN:
            return QT_TRANSLATE_NOOP(
                "StartupError", "Not a Moments Desk database"
            ), QT_TRANSLATE_NOOP(
                "StartupError",
                "The database {path} already holds other tables ({detail}) and was not made by "
                "Moments Desk. It has not been changed. Choose an empty database.",
            ).format(path=subject, detail=detail)
        case StartupProblem.DATABASE_UNREACHABLE:
            return QT_TRANSLATE_NOOP(
                "StartupError", "Cannot reach the database"
            ), QT_TRANSLATE_NOOP(
                "StartupError",
                "Could not connect to {path}: {detail}. Check that the server is running and "
                "the address, user name and password are right.",
            ).format(path=subject, detail=detail)
        case StartupProblem.DATABASE_URL_INVALID:
            return QT_TRANSLATE_NOOP(
                "StartupError", "Database address not understood"
            ), QT_TRANSLATE_NOOP(
                "StartupError",
                "{path} is not a database address Moments Desk can use. It works with a SQLite "
                "file (the default, or sqlite:///path/to/shop.sqlite3) and with PostgreSQL "
                "(postgresql://user:password@host/database).",
            ).format(path=subject)
        case StartupProblem.DATABASE_UNSUPPORTED:
            return QT_TRANSLATE_NOOP("StartupError", "Database not supported"), QT_TRANSLATE_NOOP(
                "StartupError",
                "Moments Desk cannot use {kind} databases ({path}). It works with a SQLite file "
                "(the default, or sqlite:///path/to/shop.sqlite3) and with PostgreSQL "
                "(postgresql://user:password@host/database).",
            ).format(path=subject, kind=database_name(detail))

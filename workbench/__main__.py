import multiprocessing

multiprocessing.freeze_support()  # a frozen build runs the checking process from itself

from workbench.cli import main  # noqa: E402

raise SystemExit(main())

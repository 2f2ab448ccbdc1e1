import multiprocessing

if __name__ == "__main__":
    # A frozen build starts the checking process from its own executable; this returns
    # at once in the app and runs the worker in the child.
    multiprocessing.freeze_support()

    from workbench.cli import main

    raise SystemExit(main())

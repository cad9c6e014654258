"""The bundle's entry point: the `factdesk` command, frozen by PyInstaller.

freeze_support() first: claim detection and doctor's Qt probe run in spawned child processes,
which a frozen program starts by running itself again with multiprocessing's arguments.
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from factdesk.app import main

    sys.exit(main())

"""python -m hwc_emulator: the hwc-emulator command."""
import sys

from hwc_emulator.cli import main

sys.exit(main())

import sys

from neuroview.cli.main import main

sys.exit(main())

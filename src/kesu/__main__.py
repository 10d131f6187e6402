from kesu.cli import main

raise SystemExit(main())

"""The command line: flags of ``moments-desk`` and its headless subcommands."""

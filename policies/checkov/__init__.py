"""checkov loads the Python policies of a directory only when it is a package."""

"""Built-in coaching cycle definitions, one data file each (the file stem is the name)."""

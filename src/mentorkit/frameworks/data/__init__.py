"""Built-in competency frameworks, one data file each (the file stem is the name)."""

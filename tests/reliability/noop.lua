-- A script that does nothing: the command-line cases fail before it runs.
print("noop")

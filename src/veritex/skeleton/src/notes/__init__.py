"""The mathematics of the notes: each function returns claims that the templates show."""

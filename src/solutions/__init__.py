"""The mathematics of IFT6135 Assignment 3 (theory): one module per question."""

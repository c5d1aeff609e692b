"""The distribution's version, in a module of its own so reading it imports nothing."""

VERSION = "0.1.0"

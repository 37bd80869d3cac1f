"""A Slack bot that finds exact, attributed quotations in a bilingual library of articles."""

__version__ = "0.1.0"

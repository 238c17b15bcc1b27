"""Data and building blocks of the embedded sample archive (demo data written for this project).

``world`` (countries, organisations, trends), ``names`` (people and outlets), one phrase
module per language, ``incidents`` (what happened, no text), ``render`` (text) and
``defects`` (the share of broken records the quarantine must catch).
"""

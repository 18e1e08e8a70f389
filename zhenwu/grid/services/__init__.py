"""Writes of 一网治理: categories (``categories``) and incidents (``incidents``, ``escalation``)."""

"""Renderers: turn computed tables into files people read. They format; they never compute."""

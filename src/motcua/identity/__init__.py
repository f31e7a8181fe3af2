"""motcua.identity"""

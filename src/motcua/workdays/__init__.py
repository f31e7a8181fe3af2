"""motcua.workdays"""

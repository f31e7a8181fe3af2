"""motcua.web"""

"""motcua.agencies"""

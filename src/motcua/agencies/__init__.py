"""Administrative units (provinces, communes; old and new schemes) and agencies with QCVN 102 codes."""

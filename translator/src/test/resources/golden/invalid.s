# INVALID: UD2 raises #UD at its own address; it ends the block.
# mode: prot32 flat, cpl 0
ud2

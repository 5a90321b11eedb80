# INCDEC: INC of a register and DEC of a byte in memory: CF is kept from the flags before.
# mode: prot32 flat, cpl 0
inc eax
dec byte ptr [esi]

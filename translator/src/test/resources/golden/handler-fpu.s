# FPU in the first tier: one handler serves every FADD ST(0), ST(i) and every address; i, the
# instruction's address (FIP) and its 11-bit opcode (FOP) are read from the instruction record.
# mode: prot32 flat, cpl 0
# tier: handler
fadd st, st(3)

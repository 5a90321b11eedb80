# STACK: PUSH of a register and of an immediate, POP: each moves ESP by 4 and writes or
# reads memory through SS with a TLB probe.
# mode: prot32 flat, cpl 0
push eax
push 0x12345678
pop ecx

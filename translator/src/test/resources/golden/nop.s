# NOP: the one-byte NOP and the multi-byte hint NOP (0F 1F /0): they count as instructions
# and emit no other code.
# mode: prot32 flat, cpl 0
nop
nop dword ptr [eax+eax*1+0]

# BITOP: BT with a register bit offset into a register, BTS with an immediate into memory,
# BSF (ZF set and the destination kept when the source is 0).
# mode: prot32 flat, cpl 0
bt eax, ecx
bts dword ptr [ebx], 5
bsf edx, eax

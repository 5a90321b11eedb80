# IO: out 0xe9, al: a VM exit (I/O instruction) whose qualification (size, direction,
# immediate form) is fixed at translation time; it ends the block.
# mode: prot32 flat, cpl 0
mov al, 0x41
out 0xe9, al

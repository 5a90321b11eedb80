# LOGIC: AND with an immediate, XOR of a register with itself, TEST, and NOT (which leaves
# the flags alone); logic ops store their result as the lazy flags' operation.
# mode: prot32 flat, cpl 0
and eax, 0xff
xor edx, edx
test eax, ecx
not esi

# CONTROL: a loop closed by CMP and JL: the CMP fuses with the branch into one signed
# IF_ICMPLT on the operands, no flags computed; each way leaves through its chain slot.
# mode: prot32 flat, cpl 0
top:
add eax, 4
cmp eax, ebx
jl top

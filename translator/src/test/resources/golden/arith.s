# ARITH: a read-modify-write of memory, add dword ptr [ebx+4], eax: one TLB probe for the
# read and one for the write (the slow path through the Mmu on a miss), the lazy flags set as
# ADD; then ADC, which needs CF from those lazy flags, and NEG.
# mode: prot32 flat, cpl 0
add dword ptr [ebx+4], eax
adc ecx, edx
neg esi

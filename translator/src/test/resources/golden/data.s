# DATA: a load with base, scaled index and displacement, MOVZX, LEA, and a CMOVcc that
# reads ZF from the CMP before it (CMP and CMOVcc fuse into one compare).
# mode: prot32 flat, cpl 0
mov eax, dword ptr [esi+ecx*4+8]
movzx edx, al
lea edi, [eax+edx*2]
cmp eax, edx
cmove ecx, edx

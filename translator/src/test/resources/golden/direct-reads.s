# Reads in protected mode without paging (BlockMode.DIRECT_READS): each read first checks that
# it lies in RAM from 1 MiB to the end of RAM (128 MiB here), where the linear address indexes
# the RAM array as it is, and only outside that window probes the TLB. Writes still probe: the
# write side of the TLB is what keeps stores out of pages holding translated code.
# mode: prot32 flat, cpl 0, direct
mov eax, [ebx+8]
movzx ecx, byte ptr [esi]
add eax, [esp+4]
mov [edi], eax

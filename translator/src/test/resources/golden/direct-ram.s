# Protected mode without paging (BlockMode.DIRECT_RAM): each access first checks that it lies in
# RAM from 1 MiB to the end of RAM (128 MiB here), where the linear address indexes the RAM array
# as it is, or below 640 KiB. A store also checks that it stays on one page and that the page
# holds no translated code (the code-page flags in local 16). Whatever fails a check calls
# DataAccess, which probes the TLB before it asks the MMU: no inline probe, which would cost some
# 35 bytecode bytes an access.
# mode: prot32 flat, cpl 0, direct
mov eax, [ebx+8]
movzx ecx, byte ptr [esi]
add eax, [esp+4]
mov [edi], eax
mov byte ptr [edi+4], cl

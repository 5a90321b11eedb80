# The first tier's handler for mov eax, dword ptr [ebx+esi*4+8]: its read goes through
# DataAccess, one method every handler shares, so that C2 compiles a TLB miss into each handler
# as a call rather than as a trap no handler's own profile had seen taken.
# mode: prot32 flat, cpl 0
# tier: handler
mov eax, dword ptr [ebx+esi*4+8]

# The first tier's handler for fstp dword ptr [ebx+8]: one call of the helper, which converts
# ST(0) and stores it through DataAccess. No handler probes the TLB itself, so none loads the RAM
# or TLB arrays (a translation probes inline and asks the helper for the value alone).
# mode: prot32 flat, cpl 0
# tier: handler
fstp dword ptr [ebx+8]

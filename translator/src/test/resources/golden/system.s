# SYSTEM: CPUID, a VM exit (exit reason 10) with the guest state stored to the Cpu around
# one call; it ends the block.
# mode: prot32 flat, cpl 0
mov eax, 1
cpuid

# The first tier's handler for add dword ptr [ebx+4], eax: one method shared by every
# instruction of its form; registers, displacement and segment come from the Insn record,
# the guest state stays in the Cpu.
# mode: prot32 flat, cpl 0
# tier: handler
add dword ptr [ebx+4], eax

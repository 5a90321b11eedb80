# SSE: SSE/SSE2 instructions inside a translated block (the family does not end blocks). The
# first calls SseOps.check with its CPUID feature (SSE 0x2000000, SSE2 0x4000000): #UD without it,
# with CR0.EM or without CR4.OSFXSR, #NM with CR0.TS; the later ones of the block, needing the
# same feature, skip it (nothing between them can change CR0 or CR4). A memory operand gets its segment checks,
# then MOVDQA's and PADDD's 16-byte operand the alignment check (SseOps.aligned, #GP(0)); MOVDQU's
# does not. A 128-bit source is read into the FPU state's operand register (8) before the
# operation, a 128-bit store (SseOps.store128) probes both pages before it writes. The block keeps
# the XMM registers it names in long locals (xmmN.lo, .hi), loaded by the prologue; they go to the
# FPU state before a helper that works on it (PADDD's, PSRLQ's) and come back after, and to the
# Cpu at the epilogue and in the fault handler. MOVDQA's load, MOVD, PXOR and the scalar moves
# work on the locals; ADDSD and MULSD pass the values to their own entries (SseOps.addsd, mulsd);
# an 8-byte memory operand is read as two doublewords through the inline path, and MOVSD's store
# writes both through one probe of the write TLB (DataAccess.store64 on a miss).
# mode: prot32 flat, cpl 0
movdqa xmm0, [ebx]
movdqu [ebx+1], xmm0
paddd xmm1, [ebx+16]
pxor xmm2, xmm2
movd xmm3, eax
psrlq xmm3, 4
addsd xmm4, [ebx+8]
mulsd xmm4, xmm3
movsd [ebx+24], xmm4

# FPU: x87 instructions inside a translated block (the family does not end blocks). Each checks
# #NM (FpuOps.deviceNotAvailable); a waiting one then the pending exceptions (FpuOps.waitOrFreeze:
# #MF, or with CR0.NE = 0 the FERR# freeze, which leaves with EIP at the instruction); then one
# FpuOps call with FIP and FOP. FLD m64 reads its operand through the inline TLB probe and passes
# the value; FMUL works on registers; FSTP m64 probes the write TLB before it pops, then writes
# the result inline (the library's path, which probes before it changes anything, on a miss);
# FNSTSW AX writes AX among the block's locals; FCOMI's ZF PF CF become the lazy flags; FWAIT
# checks #NM (CR0.MP and CR0.TS) and the pending exceptions.
# mode: prot32 flat, cpl 0
fld qword ptr [ebx]
fmul st, st(1)
fstp qword ptr [ebx+8]
fnstsw ax
fcomi st, st(1)
fwait

# FPU: WAIT/FWAIT, which checks for pending x87 exceptions (and #NM when CR0.MP and CR0.TS);
# the x87 instructions join this case as they are translated.
# mode: prot32 flat, cpl 0
fwait

# STRING: LODSB (one step, ESI moved by DF) and REP STOSD (a repeated string instruction).
# mode: prot32 flat, cpl 0
lodsb
rep stosd

# CONVERT: CWDE and CDQ (sign extensions inside EAX, then into EDX).
# mode: prot32 flat, cpl 0
cwde
cdq

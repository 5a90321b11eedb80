/**
 * The IA-32 decoder and disassembler.
 *
 * <p>Decoding is data. {@link dev.jvmx.translator.decode.OpcodeMaps} holds the one-byte map and the
 * two-byte (0F) map of SDM Vol. 2 Appendix A as 256-entry arrays of
 * {@link dev.jvmx.translator.decode.OpcodeRow}s. A row names a {@link dev.jvmx.translator.decode.Mnemonic}
 * and its operand kinds in the SDM's notation ({@link dev.jvmx.translator.decode.OperandSpec}:
 * {@code Eb,Gb}, {@code Ev,Iz}, {@code Jb}, ...), written as text such as {@code "ADD Ev,Ibs"} and parsed
 * once when the class loads. A group row (80-83, C0/C1, D0-D3, F6/F7, FE/FF, 8F, C6/C7, 0F 00, 0F 01,
 * 0F BA, 0F C7, the x87 escapes D8-DF, 0F AE) holds eight rows indexed by ModRM.reg; the x87 escapes
 * also name their register forms (mod = 3) by the whole ModRM byte ({@code "D9 E0"},
 * {@code "D8 C0-C7 ST0,STi"}), 64 rows of which those no row claims are #UD.
 * Undefined and out-of-scope encodings (MMX, SSE) are INVALID rows whose operand kinds still give the
 * length. Prefix bytes and the 0F escape have no rows: {@link dev.jvmx.translator.decode.Decoder}
 * consumes them first.
 *
 * <p>{@link dev.jvmx.translator.decode.Decoder#decode} walks prefixes, opcode, ModRM, SIB,
 * displacement and immediates in that byte order, producing an immutable
 * {@link dev.jvmx.translator.decode.Insn} with {@link dev.jvmx.translator.decode.Operand}s; the
 * translator never reads guest bytes again. {@link dev.jvmx.translator.decode.Disassembler} prints it in
 * objdump's AT&amp;T syntax.
 */
package dev.jvmx.translator.decode;

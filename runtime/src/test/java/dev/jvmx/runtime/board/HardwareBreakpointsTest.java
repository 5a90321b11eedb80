package dev.jvmx.runtime.board;

import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.GnuBinutils;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.mem.PhysicalMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The guest's own breakpoints, DR0-DR3 as DR7 enables them, and the RF flag, on a Multiboot
 * kernel GNU as builds (SDM Vol. 3B, 18.2-18.3; Vol. 3A, 6.8.3): an instruction breakpoint is a
 * #DB fault at the instruction, which the handler passes by setting RF in its frame; a data
 * breakpoint is a trap after the instruction that wrote (R/W 01) or read or wrote (R/W 11) one of
 * its bytes, an access overlapping it counting; the instruction after MOV SS has no instruction
 * breakpoint; a REP STOS traps after the iteration that wrote the watched byte, EIP still at the
 * instruction and RF set in the frame, and the rest of it runs after the handler's IRET; a #UD's
 * frame has RF set, and the instruction the handler returns to clears it (an INT n after it
 * pushes RF clear); with CR4.DE, an I/O breakpoint traps after an OUT to its port; a task switch to
 * a TSS with its T flag set is a #DB with DR6.BT before the new task's first instruction. The #DB
 * handler logs DR6, the frame's EIP and EFLAGS, and ECX, 16 bytes an entry from 0x600.
 */
class HardwareBreakpointsTest {
    @TempDir
    Path tmp;

    static final int COUNT = 0x500, UD_FLAGS = 0x510, INT30_FLAGS = 0x514, REP_ECX = 0x51C, DONE = 0x520, AFTER_SS = 0x524, AFTER_BP1 = 0x528,
            LOG = 0x600;
    static final int RF = 1 << 16;

    private static final String KERNEL = String.join("\n",
            ".intel_syntax noprefix", ".text", ".globl _start",
            ".align 4", ".long 0x1BADB002, 0, -0x1BADB002",
            ".macro gate vec, handler",
            "mov eax, offset \\handler", "mov edx, eax", "and eax, 0xFFFF", "or eax, 0x00080000",
            "and edx, 0xFFFF0000", "or edx, 0x8E00",
            "mov [idt + \\vec * 8], eax", "mov [idt + \\vec * 8 + 4], edx",
            ".endm",
            // The descriptor of a 32-bit available TSS (limit 0x67, access 0x89) at the address given.
            ".macro tssdesc sel, tss",
            "mov eax, offset \\tss", "mov edx, eax", "shl eax, 16", "or eax, 0x67", "mov [gdt + \\sel], eax",
            "mov eax, edx", "shr eax, 16", "movzx ecx, ah", "shl ecx, 24", "and eax, 0xFF", "or eax, ecx",
            "or eax, 0x8900", "mov [gdt + \\sel + 4], eax",
            ".endm",
            "_start:",
            "mov esp, 0x90000",
            "gate 1, db_handler", "gate 6, ud_handler", "gate 0x30, int30_handler",
            "lidt [idtr]",
            // 1. An instruction breakpoint (DR0, G0, R/W 00, LEN 00).
            "mov eax, offset bp1", "mov dr0, eax", "mov eax, 0x2", "mov dr7, eax",
            "bp1: mov esi, 0x11",
            "mov [" + AFTER_BP1 + "], esi",
            "xor eax, eax", "mov dr7, eax",
            // 2. A 4-byte write breakpoint (DR1, G1, R/W 01, LEN 11): a read passes, an overlapping write traps.
            "mov eax, offset var", "mov dr1, eax", "mov eax, (1 << 3) | (1 << 20) | (3 << 22)", "mov dr7, eax",
            "mov eax, [var]",
            "mov dword ptr [var + 2], 5",
            "after_w: nop",
            "xor eax, eax", "mov dr7, eax",
            // 3. A 1-byte read/write breakpoint (DR2, G2, R/W 11): a read traps.
            "mov eax, offset var2", "mov dr2, eax", "mov eax, (1 << 5) | (3 << 24)", "mov dr7, eax",
            "mov al, [var2]",
            "after_r: nop",
            "xor eax, eax", "mov dr7, eax",
            // 4. MOV SS blocking: no instruction breakpoint on the instruction after MOV SS.
            "mov eax, offset after_ss", "mov dr0, eax", "mov eax, 0x2", "mov dr7, eax",
            "mov ax, ss", "mov ss, ax",
            "after_ss: mov edi, 0x22",
            "mov [" + AFTER_SS + "], edi",
            "xor eax, eax", "mov dr7, eax",
            // 5. REP STOSB over a 1-byte write breakpoint at buf + 5 (DR3, G3, R/W 01).
            "mov eax, offset buf + 5", "mov dr3, eax", "mov eax, (1 << 7) | (1 << 28)", "mov dr7, eax",
            "cld", "mov edi, offset buf", "mov ecx, 16", "mov al, 0xAA",
            "rep_insn: rep stosb",
            "xor eax, eax", "mov dr7, eax",
            "mov [" + REP_ECX + "], ecx",
            // 6. RF in a fault's frame, and cleared by the instruction returned to.
            "ud2",
            "int 0x30",
            // 7. An I/O breakpoint (CR4.DE; DR0 = port 0x80, G0, R/W 10, LEN 00): another port passes.
            "mov eax, cr4", "or eax, 8", "mov cr4, eax",
            "mov eax, 0x80", "mov dr0, eax", "mov eax, 0x2 | (2 << 16)", "mov dr7, eax",
            "in al, 0x81",
            "out 0x80, al",
            "after_out: nop",
            "xor eax, eax", "mov dr7, eax",
            // 8. A task switch to a TSS whose T flag is set: #DB (BT) before the new task's first instruction.
            "lgdt [gdtr]",
            ".byte 0xEA", ".long reload", ".word 0x08",
            "reload:",
            "mov ax, 0x10", "mov ds, ax", "mov es, ax", "mov ss, ax",
            "tssdesc 0x18, tss1", "tssdesc 0x20, tss2",
            "mov ax, 0x18", "ltr ax",
            "mov dword ptr [tss2 + 0x20], offset task2", "mov dword ptr [tss2 + 0x24], 0x2",
            "mov dword ptr [tss2 + 0x38], 0x8F000",
            "mov word ptr [tss2 + 0x48], 0x10", "mov word ptr [tss2 + 0x4C], 0x08", "mov word ptr [tss2 + 0x50], 0x10",
            "mov word ptr [tss2 + 0x54], 0x10", "mov word ptr [tss2 + 0x58], 0x10", "mov word ptr [tss2 + 0x5C], 0x10",
            "mov word ptr [tss2 + 0x64], 1", "mov word ptr [tss2 + 0x66], 104",
            ".byte 0xEA", ".long 0", ".word 0x20",
            "task2:",
            "mov dword ptr [" + DONE + "], 0x600D",
            "cli", "hlt",
            "db_handler:",
            "push eax", "push ebx",
            "mov ebx, [" + COUNT + "]", "shl ebx, 4",
            "mov eax, dr6", "mov [" + LOG + " + ebx], eax",
            "mov eax, [esp + 8]", "mov [" + (LOG + 4) + " + ebx], eax",
            "mov eax, [esp + 16]", "mov [" + (LOG + 8) + " + ebx], eax",
            "mov [" + (LOG + 12) + " + ebx], ecx",
            "inc dword ptr [" + COUNT + "]",
            "xor eax, eax", "mov dr6, eax",
            "or dword ptr [esp + 16], 0x10000",
            "pop ebx", "pop eax", "iret",
            "ud_handler:",
            "push eax", "mov eax, [esp + 12]", "mov [" + UD_FLAGS + "], eax", "add dword ptr [esp + 4], 2", "pop eax",
            "iret",
            "int30_handler:",
            "push eax", "mov eax, [esp + 12]", "mov [" + INT30_FLAGS + "], eax", "pop eax", "iret",
            ".data", ".align 8",
            "var: .long 0, 0",
            "var2: .long 0",
            "buf: .fill 16, 1, 0",
            ".align 8",
            "idt: .fill 256 * 8, 1, 0",
            "idtr: .word 256 * 8 - 1", ".long idt",
            ".align 8",
            "gdt: .quad 0, 0x00CF9A000000FFFF, 0x00CF92000000FFFF, 0, 0",
            "gdtr: .word 5 * 8 - 1", ".long gdt",
            ".align 16",
            "tss1: .fill 104, 1, 0",
            "tss2: .fill 104, 1, 0", "");

    @Test
    void breakpointsTrapAndFaultAsTheSdmSays() throws Exception {
        run(null);
    }

    /** The same with #DB and #UD exiting: jvmx's VMM reflects them, and the guest sees no difference. */
    @Test
    void theSameWhenTheExceptionsExitAndAreReflected() throws Exception {
        run(1 << 1 | 1 << 6 | Machine.DEFAULT_EXCEPTION_BITMAP);
    }

    private void run(Integer exceptionBitmap) throws Exception {
        assumeTrue(GnuBinutils.installed(), "GNU as/ld are not installed");
        Path s = tmp.resolve("k.s"), o = tmp.resolve("k.o"), e = tmp.resolve("k.elf"), map = tmp.resolve("k.map");
        Files.writeString(s, KERNEL);
        GnuBinutils.run(List.of(List.of("as", "--32", "-o", o.toString(), s.toString()),
                List.of("ld", "-m", "elf_i386", "-N", "-Ttext", "0x100000", "-e", "_start", "--build-id=none",
                        "-Map", map.toString(), "-o", e.toString(), o.toString())));
        Symbols sym = new Symbols(e);
        MachineConfig cfg = new MachineConfig();
        cfg.kernel = e;
        cfg.timeoutSeconds = 20;
        cfg.exceptionBitmap = exceptionBitmap;
        try (Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE)) {
            m.load();
            StopReason r = m.run();
            PhysicalMemory mem = m.memory;
            assertEquals(StopReason.Kind.HALTED, r.kind, r.toString());
            assertEquals(0x600D, mem.read32(DONE), "the kernel ran to its end");
            assertEquals(6, mem.read32(COUNT), "six #DBs: bp1, the write, the read, the REP's iteration, the OUT, the task switch");
            // 1. The instruction breakpoint: a fault at bp1 with B0, RF clear in its frame; once only.
            entry(mem, 0, 0x1, sym.get("bp1"), false);
            assertEquals(0x11, mem.read32(AFTER_BP1), "the instruction ran after the handler set RF");
            // 2. The write: a trap after it, B1.
            entry(mem, 1, 0x2, sym.get("after_w"), false);
            // 3. The read: a trap after it, B2.
            entry(mem, 2, 0x4, sym.get("after_r"), false);
            // 4. None after MOV SS; the instruction ran.
            assertEquals(0x22, mem.read32(AFTER_SS));
            // 5. After the sixth iteration: EIP at the REP STOSB, RF set, ECX 10; then it finished.
            entry(mem, 3, 0x8, sym.get("rep_insn"), true);
            assertEquals(10, mem.read32(LOG + 3 * 16 + 12), "ECX after six of sixteen iterations");
            assertEquals(0, mem.read32(REP_ECX), "the REP finished after the handler's IRET");
            for (int i = 0; i < 16; i++) {
                assertEquals(0xAA, mem.read8(sym.get("buf") + i));
            }
            // 6. RF set in #UD's frame, clear in the next INT's.
            assertEquals(RF, mem.read32(UD_FLAGS) & RF, String.format("#UD frame EFLAGS %08x", mem.read32(UD_FLAGS)));
            assertEquals(0, mem.read32(INT30_FLAGS) & RF, String.format("INT 30h frame EFLAGS %08x", mem.read32(INT30_FLAGS)));
            // 7. The OUT to port 0x80: a trap after it, B0; the IN from 0x81 none.
            entry(mem, 4, 0x1, sym.get("after_out"), false);
            // 8. The task switch: BT, at the new task's first instruction.
            entry(mem, 5, 0, sym.get("task2"), false);
            assertEquals(1 << 15, mem.read32(LOG + 5 * 16) & (1 << 15), String.format("DR6 %08x", mem.read32(LOG + 5 * 16)));
        }
    }

    private static void entry(PhysicalMemory mem, int n, int bits, int eip, boolean rf) {
        int at = LOG + 16 * n;
        int dr6 = mem.read32(at);
        assertEquals(bits, dr6 & 0xF, String.format("#DB %d: DR6 %08x", n, dr6));
        assertEquals(0, dr6 & (1 << 14), String.format("#DB %d: no BS in DR6 %08x", n, dr6));
        assertEquals(eip, mem.read32(at + 4), String.format("#DB %d: frame EIP %08x", n, mem.read32(at + 4)));
        assertEquals(rf ? RF : 0, mem.read32(at + 8) & RF, String.format("#DB %d: frame EFLAGS %08x", n, mem.read32(at + 8)));
    }

    /** The kernel's symbols, from GNU nm. */
    private static final class Symbols {
        private final java.util.Map<String, Integer> addr = new java.util.HashMap<>();

        Symbols(Path elf) throws Exception {
            Process p = new ProcessBuilder("nm", elf.toString()).redirectErrorStream(true).start();
            for (String line : new String(p.getInputStream().readAllBytes()).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 3) {
                    addr.put(f[2], (int) Long.parseLong(f[0], 16));
                }
            }
            p.waitFor();
        }

        int get(String name) {
            Integer a = addr.get(name);
            if (a == null) {
                throw new AssertionError("no symbol " + name);
            }
            return a;
        }
    }
}

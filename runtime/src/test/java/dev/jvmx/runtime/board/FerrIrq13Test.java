package dev.jvmx.runtime.board;

import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.GnuBinutils;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.StopReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An x87 exception with CR0.NE = 0 as DOS and Linux's "no387"-era kernels handle it: the next
 * waiting instruction freezes, FERR# raises IRQ 13 through the slave 8259, the handler writes
 * port F0h (IGNNE#) and returns, and the frozen instruction runs. Real-mode code assembled by
 * GNU as, on the whole board.
 */
class FerrIrq13Test {
    @TempDir
    Path tmp;

    private static final String GUEST = String.join("\n",
            ".intel_syntax noprefix", ".code16", ".text", ".globl _start", "_start:",
            "xor ax, ax", "mov ds, ax", "mov ss, ax", "mov sp, 0x7000",
            "mov word ptr [0x75 * 4], offset handler", "mov word ptr [0x75 * 4 + 2], 0",
            // An AT BIOS's 8259 set-up (vectors 08h and 70h), only IRQ 2 and IRQ 13 unmasked.
            "mov al, 0x11", "out 0x20, al", "mov al, 0x08", "out 0x21, al", "mov al, 4", "out 0x21, al",
            "mov al, 1", "out 0x21, al",
            "mov al, 0x11", "out 0xA0, al", "mov al, 0x70", "out 0xA1, al", "mov al, 2", "out 0xA1, al",
            "mov al, 1", "out 0xA1, al",
            "mov al, 0xFB", "out 0x21, al", "mov al, 0xDF", "out 0xA1, al",
            "fninit", "fldcw [cw]", "fldz", "fld1",
            "fdiv st, st(1)",          // 1 / 0 with ZE unmasked: pending
            "sti",
            "fld1",                    // waiting: freezes, FERR#, IRQ 13
            "mov bx, 1", "cli", "hlt",
            "handler:", "inc byte ptr [0x600]", "push ax", "xor al, al", "out 0xF0, al",
            "mov al, 0x20", "out 0xA0, al", "out 0x20, al", "pop ax", "iret",
            "cw: .word 0x037B", "");

    private byte[] assemble() throws Exception {
        Path s = tmp.resolve("g.s"), o = tmp.resolve("g.o"), e = tmp.resolve("g.elf"), b = tmp.resolve("g.bin");
        Files.writeString(s, GUEST);
        GnuBinutils.run(List.of(List.of("as", "--32", "-o", o.toString(), s.toString()),
                List.of("ld", "-m", "elf_i386", "-Ttext", "0x7C00", "-e", "_start", "--build-id=none", "-o",
                        e.toString(), o.toString()),
                List.of("objcopy", "-O", "binary", "-j", ".text", e.toString(), b.toString())));
        return Files.readAllBytes(b);
    }

    @Test
    void ferrReachesIrq13AndPortF0hLetsTheInstructionRun() throws Exception {
        assumeTrue(GnuBinutils.installed(), "GNU as/ld/objcopy are not installed");
        byte[] code = assemble();
        MachineConfig cfg = new MachineConfig();
        cfg.timeoutSeconds = 20; // a lost IRQ 13 would wait for ever
        cfg.bios = Path.of(System.getProperty("jvmx.home", "..")).toAbsolutePath().normalize()
                .resolve("guest-images/images/first-guest.rom");
        try (Machine m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE)) {
            m.load();
            m.memory.load(0x7C00, code, 0, code.length);
            Cpu c = m.cpu;
            c.seg[Seg.CS].loadReal(0);
            c.eip = 0x7C00;
            StopReason s = m.run();
            assertEquals(StopReason.Kind.HALTED, s.kind, s.toString());
            assertEquals(1, c.regs[Cpu.EBX] & 0xFFFF, "the frozen FLD1 ran, then the rest");
            assertEquals(1, m.memory.read8(0x600), "one IRQ 13");
            assertEquals(5, c.fpu.top, "FLD1 pushed once");
        }
    }
}

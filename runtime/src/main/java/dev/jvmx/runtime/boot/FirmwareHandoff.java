package dev.jvmx.runtime.boot;

import dev.jvmx.devices.apic.IoApic;
import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.devices.pic.DualPic;
import dev.jvmx.translator.helpers.SystemOps;
import dev.jvmx.translator.mem.PhysicalMemory;

/**
 * What a PC BIOS has done by the time it starts an operating system, done for a kernel that
 * jvmx boots without running firmware (as QEMU's -kernel runs SeaBIOS first):
 * <ul>
 * <li>the 8259 pair initialized as the BIOS programs it (ICW1 11h: edge, cascade, ICW4; master
 *     IRQ0-7 at vectors 08h-0Fh, slave IRQ8-15 at 70h-77h, slave on IR2; 8086 mode). No
 *     firmware started a device here, so no line needs masking: IMR is clear;</li>
 * <li>the local APIC software-enabled in virtual-wire mode: SVR 1FFh, LINT0 ExtINT and LINT1
 *     NMI, level-sensitive (8700h, 8400h), which is how SeaBIOS leaves it;</li>
 * <li>the MultiProcessor Specification tables that describe the APICs ({@link MpTable}, in the
 *     last KiB of base memory).</li>
 * </ul>
 */
public final class FirmwareHandoff {
    public static final int MASTER_VECTOR_BASE = 0x08;
    public static final int SLAVE_VECTOR_BASE = 0x70;

    private FirmwareHandoff() { }

    public static void apply(DualPic pic, LocalApic apic, IoApic ioApic, PhysicalMemory memory) {
        apply(pic, apic, ioApic, memory, 1);
    }

    /** The same on a machine with {@code cpus} processors (the MP table lists them all). */
    public static void apply(DualPic pic, LocalApic apic, IoApic ioApic, PhysicalMemory memory, int cpus) {
        initPic(pic, DualPic.MASTER_PORT, MASTER_VECTOR_BASE, 1 << DualPic.CASCADE_IRQ);
        initPic(pic, DualPic.SLAVE_PORT, SLAVE_VECTOR_BASE, DualPic.CASCADE_IRQ);
        apic.write(LocalApic.SVR, 0x1FF);
        apic.write(LocalApic.LVT_LINT0, (LocalApic.EXTINT << LocalApic.DELIVERY_MODE_SHIFT) | LocalApic.TRIGGER_LEVEL);
        apic.write(LocalApic.LVT_LINT1, (LocalApic.NMI << LocalApic.DELIVERY_MODE_SHIFT) | LocalApic.TRIGGER_LEVEL);
        byte[] mp = MpTable.build(MpTable.BASE, LocalApic.VERSION_VALUE & 0xFF, SystemOps.CPUID_SIGNATURE,
                SystemOps.CPUID_FEATURES | SystemOps.CPUID_EDX_APIC, ioApic.readRegister(IoApic.REG_ID) >>> 24,
                ioApic.readRegister(IoApic.REG_VERSION) & 0xFF, 0, cpus);
        memory.load(MpTable.BASE, mp, 0, mp.length);
    }

    private static void initPic(DualPic pic, int port, int vectorBase, int icw3) {
        pic.ioWrite(port, 1, 0x11);           // ICW1: edge triggered, cascade, ICW4 follows
        pic.ioWrite(port + 1, 1, vectorBase); // ICW2
        pic.ioWrite(port + 1, 1, icw3);       // ICW3: master: slave on IR2; slave: its ID 2
        pic.ioWrite(port + 1, 1, 0x01);       // ICW4: 8086 mode, normal EOI
        pic.ioWrite(port + 1, 1, 0x00);       // OCW1: nothing masked
    }
}

package dev.jvmx.runtime;

import dev.jvmx.runtime.board.BootSpec;
import dev.jvmx.runtime.board.DriveSpec;
import dev.jvmx.translator.arch.CpuFeatures;

import java.nio.file.Path;

/** Everything `jvmx boot` was told: the machine's shape and where its images and consoles are. */
public final class MachineConfig {
    public enum ClockMode { HOST, VIRTUAL }

    public int ramMiB = 128;
    /** QEMU's -machine pit=off: no 8254 at ports 40h-43h (its IRQ 0 stays quiet). */
    public boolean pit = true;
    /** Processors (-smp N): 1 runs as it always did; more are run in turn on the guest's thread. */
    public int cpus = 1;
    /** The CPU model's optional features (-cpu jvmx,-sse2,...: arch.CpuFeatures bits); all of them by default. */
    public int cpuFeatures = CpuFeatures.ALL;
    public Path bios;
    public Path kernel;
    public String kernelCmdline;
    /** Initial RAM disk for a Linux bzImage (--initrd), or null. */
    public Path initrd;
    public String serial = "stdio";
    public String debugcon = "none";
    public Path firmwareLog;
    public double timeoutSeconds;
    public ClockMode clock = ClockMode.HOST;
    /** --exit-stats: exits timed, and the threads' CPU times taken at the guest's first instruction. */
    public boolean exitStatsTimed;
    /** VGA option ROM handed to the firmware as fw_cfg file "vgaroms/NAME", or null. */
    public Path vgaRom;
    /** nographic (jvmx boot's default: the firmware's console on COM1), none or text. */
    public String display = "none";
    /** PNG of the text screen written at the end of the run, or null. */
    public Path screenshot;
    /** Guest instructions per virtual second in --clock virtual (1 instruction = 1 ns). */
    public long virtualNanosPerInstruction = 1;
    /** Bound of the translation cache in bytes (--tcache-mb). */
    public long tcacheBytes = 64L << 20;
    /** Host time (System.nanoTime) from which --timeout counts; 0: when the machine is made. */
    public long startNanos;
    /** -no-reboot: a guest reset ends the run (exit code 0) instead of restarting the firmware. */
    public boolean noReboot;
    /** -no-acpi: no ACPI tables for the firmware or kernel (the PM registers stay). */
    public boolean noAcpi;
    /** -device options, in order. */
    public final java.util.List<DeviceSpec> devices = new java.util.ArrayList<>();
    /** QEMU's pc-testdev (--device pc-testdev): ports 0xE0-0xEB, 0x2000-0x2017, memory at 0xFF000000. */
    public boolean pcTestDev;
    /** QEMU's pci-testdev (--device pci-testdev) at PCI 00:03.0. */
    public boolean pciTestDev;
    /** The VMCS exception bitmap (--exception-bitmap), or null for the machine's default. */
    public Integer exceptionBitmap;
    /** The page-fault error-code mask and match that go with it (SDM Vol. 3C, 25.2). */
    public int pfErrorCodeMask, pfErrorCodeMatch;
    /** "NMI exiting" (--nmi-exiting): NMIs are VM exits, which the VMM reflects into the guest. */
    public boolean nmiExiting;
    /**
     * "External-interrupt exiting" (--external-interrupt-exiting): external interrupts are VM
     * exits, which the VMM injects into the guest, holding them for an interrupt window while the
     * guest cannot take them.
     */
    public boolean externalInterruptExiting;

    // ---- storage: the IDE drives and the boot order (-hda..-hdd, -cdrom, -drive, -boot)
    /** IDE drives as given; their indexes are assigned when the board is built. */
    public final java.util.List<DriveSpec> drives = new java.util.ArrayList<>();
    /** The boot order the firmware reads from CMOS (QEMU's -boot). */
    public BootSpec boot = BootSpec.defaults();
}

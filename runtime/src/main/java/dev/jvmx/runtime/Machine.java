package dev.jvmx.runtime;

import dev.jvmx.devices.IoDevice;
import dev.jvmx.devices.IoPortBus;
import dev.jvmx.devices.IrqLine;
import dev.jvmx.devices.MachineControl;
import dev.jvmx.devices.acpi.PmRegisters;
import dev.jvmx.devices.apic.ApicBus;
import dev.jvmx.devices.apic.ExtIntSource;
import dev.jvmx.devices.apic.IoApic;
import dev.jvmx.devices.apic.LocalApic;
import dev.jvmx.devices.ata.AtaChannel;
import dev.jvmx.devices.chr.CharSink;
import dev.jvmx.devices.chr.CharSource;
import dev.jvmx.devices.debug.DebugConsole;
import dev.jvmx.devices.debug.IsaDebugExit;
import dev.jvmx.devices.debug.PostPort;
import dev.jvmx.devices.debug.QemuDebugPort;
import dev.jvmx.devices.fwcfg.BootOrder;
import dev.jvmx.devices.fwcfg.E820Table;
import dev.jvmx.devices.fwcfg.FwCfg;
import dev.jvmx.devices.kbd.A20Gate;
import dev.jvmx.devices.kbd.FastA20Port;
import dev.jvmx.devices.kbd.Keyboard8042;
import dev.jvmx.devices.kbd.TerminalKeyboard;
import dev.jvmx.devices.pci.I440fxHostBridge;
import dev.jvmx.devices.pci.PciBus;
import dev.jvmx.devices.pci.PciConfigSpace;
import dev.jvmx.devices.pci.Piix3Ide;
import dev.jvmx.devices.pci.Piix3IrqRouting;
import dev.jvmx.devices.pci.Piix3IsaBridge;
import dev.jvmx.devices.pci.Piix3Pm;
import dev.jvmx.devices.pci.ResetControl;
import dev.jvmx.devices.pic.DualPic;
import dev.jvmx.devices.pic.FerrLatch;
import dev.jvmx.devices.rtc.CmosRtc;
import dev.jvmx.devices.serial.Uart16550;
import dev.jvmx.devices.testdev.PcTestDev;
import dev.jvmx.devices.testdev.PciTestDev;
import dev.jvmx.devices.timer.Clock;
import dev.jvmx.devices.timer.HostClock;
import dev.jvmx.devices.timer.Hpet;
import dev.jvmx.devices.timer.Pit8254;
import dev.jvmx.devices.timer.SystemControlPortB;
import dev.jvmx.devices.vga.TextMemory;
import dev.jvmx.devices.vga.VgaText;
import dev.jvmx.runtime.acpi.AcpiTables;
import dev.jvmx.runtime.acpi.BiosLinker;
import dev.jvmx.runtime.acpi.Madt;
import dev.jvmx.runtime.acpi.WakingVector;
import dev.jvmx.runtime.board.ApicMsrLink;
import dev.jvmx.runtime.board.CpuTsc;
import dev.jvmx.runtime.board.IdeDrives;
import dev.jvmx.runtime.board.LocalApicWindow;
import dev.jvmx.runtime.board.MemoryMap;
import dev.jvmx.runtime.board.PamShadow;
import dev.jvmx.runtime.board.PciTestDevMapping;
import dev.jvmx.runtime.board.Processors;
import dev.jvmx.runtime.board.TimerWaker;
import dev.jvmx.runtime.boot.BiosLoader;
import dev.jvmx.runtime.boot.FirmwareHandoff;
import dev.jvmx.runtime.boot.ImageException;
import dev.jvmx.runtime.boot.ImageFiles;
import dev.jvmx.runtime.boot.LinuxBoot;
import dev.jvmx.runtime.boot.LinuxLoader;
import dev.jvmx.runtime.boot.MultibootLoader;
import dev.jvmx.runtime.exit.ExitDispatcher;
import dev.jvmx.runtime.stats.ThreadTimes;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.Platform;
import dev.jvmx.translator.exec.StopReason;
import dev.jvmx.translator.exit.ArchitecturalExits;
import dev.jvmx.translator.exit.InterruptInjection;
import dev.jvmx.translator.mem.MmioDevice;
import dev.jvmx.translator.mem.PhysicalMemory;
import dev.jvmx.translator.mem.TlbFlush;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.PinBasedControls;
import dev.jvmx.vmx.PrimaryProcessorControls;
import dev.jvmx.vmx.SecondaryProcessorControls;
import dev.jvmx.vmx.VmExitControls;
import dev.jvmx.vmx.VmcsField;

/**
 * The PC board: RAM and ROM, the CPU, the translation cache and dispatcher, the port bus
 * with its devices, and the exit dispatcher between them. It is also the execution loop's
 * {@link Platform}: timers, interrupt delivery and idling happen here.
 */
public final class Machine implements Platform, MachineControl, AutoCloseable {
    /** Instructions between two looks at devices and timers when nothing is due sooner. */
    private static final long SERVICE_INTERVAL = 1 << 16;
    /** The most ROM space the array can have: for the largest BIOS image (BiosLoader.MAX_BYTES). */
    public static final int ROM_SPACE = BiosLoader.MAX_BYTES;
    /**
     * The least ROM space a machine with firmware has, so that the array Main starts ahead (before
     * the default firmware is chosen) is the one the machine takes: every default image (Debian's
     * SeaBIOS, 128 or 256 KiB, and the first guest's ROM) fits.
     */
    public static final int ROM_SPACE_MIN = 256 << 10;
    /**
     * RAM the array holds from the start when the rest is RAM on demand: a machine without an
     * initrd takes the rest into the array only once the guest uses it (PhysicalMemory's RAM on
     * demand). A kernel without firmware is loaded at 1 MiB and runs there.
     */
    public static final int RAM_IN_ARRAY = 16 << 20;
    /**
     * The same with firmware, which runs in the first MiB: SeaBIOS keeps a few tables at the top
     * of RAM and writes nothing between (54 pages above the first MiB in a boot of bootdisk.img,
     * all of them at the top). The array is then 3.3 MiB where it was 33 (16 MiB of RAM, all of
     * the ROM space): the JVM zeroes it, on fresh pages, at every start (SeaBIOS 5% faster in
     * alternating boots, bench/RESULTS.md). Two MiB rather than one, so that code without paging
     * still reaches RAM directly (BlockMode.DIRECT_RAM needs RAM above 1 MiB in the array).
     */
    public static final int RAM_IN_ARRAY_FIRMWARE = 2 << 20;
    /** The most processors -smp gives: well inside the xAPIC's 8-bit IDs and the MP table's 1 KiB at 9FC00h. */
    public static final int MAX_CPUS = 16;

    public final MachineConfig config;
    public final PhysicalMemory memory;
    public final Cpu cpu;
    public final CodeCache cache;
    public final ExecutionLoop loop;
    public final IoPortBus bus = new IoPortBus();
    public final ExitDispatcher exits;
    /** The VMM's injection of external interrupts, which exit under --external-interrupt-exiting. */
    private final InterruptInjection injection;
    public final DualPic pic = new DualPic();
    public final Pit8254 pit;
    public final CmosRtc rtc;
    public final Uart16550 uart;
    public final Keyboard8042 keyboard;
    public final PciBus pci;
    public final I440fxHostBridge hostBridge;
    public final Piix3IsaBridge isaBridge;
    public final Piix3Ide ide;
    public final PamShadow pam;
    public final FwCfg fwCfg = new FwCfg();
    public final AtaChannel ataPrimary;
    public final AtaChannel ataSecondary;
    public final IdeDrives drives;
    public final VgaText vga;
    /** The processor's local APIC and the board's I/O APIC (SDM Vol. 3A ch. 11; 82093AA). */
    public final LocalApic apic;
    /**
     * Every processor's local APIC, the bootstrap processor's ({@link #apic}) first; APIC ID =
     * index. One entry on a one-processor machine.
     */
    public final LocalApic[] apics;
    /** The processors run in turn (-smp N, N > 1), or null on a one-processor machine. */
    public final Processors processors;
    /** The running processor's APIC: what the execution loop's interrupt questions go to. */
    private LocalApic currentApic;
    public final IoApic ioApic;
    /** ISA IRQs to the 8259 pair and the I/O APIC, as the PIIX3 board wires them. */
    public final Piix3IrqRouting irqs;
    private final LocalApicWindow apicWindow;
    public final Piix3Pm pmFunction;
    public final PmRegisters pm;
    /**
     * The ACPI tables, linked when the guest is loaded: add the MADT here ({@code acpi.addTable})
     * before {@link #load()} once the machine has a local APIC and an I/O APIC.
     */
    public final AcpiTables acpi;
    public final Hpet hpet;
    /** Where the PM registers decode: what SeaBIOS programs into PMBA on QEMU's pc machine, and so the FADT's. */
    public static final int PM_BASE = 0x600;
    /** Reloads a Linux kernel booted without firmware (after a reset), or null. */
    private LinuxBoot directLinux;
    /** Called from the periodic service (the text display); never null. */
    public Runnable displayPoll = () -> { };
    /** Told of every CPU reset (power-on and guest resets): the -d cpu_reset log; never null. */
    public java.util.function.Consumer<Cpu> cpuResetListener = c -> { };
    /** Keys typed on the terminal for the 8042 (--display text), or null. */
    public TerminalKeyboard terminalKeyboard;
    private final Clock clock;
    /** --clock virtual: time is instructions retired (times the configured nanoseconds) plus skipped idle time. */
    private final boolean virtualTime;
    /** On the host clock, asks for a look at the timers when the next event is due; null on the virtual clock. */
    private final TimerWaker waker;
    /** When the run started (jvmx's start when the command line gave it): --timeout counts from here. */
    private final long startNanos;
    private final long timeoutNanos;
    private long idleNanos;

    /**
     * The RAM the array holds from the start: all of it with an initrd, which a loader puts at the
     * top of RAM, else {@link #RAM_IN_ARRAY} (with firmware {@link #RAM_IN_ARRAY_FIRMWARE}), the
     * rest RAM on demand.
     */
    public static int inArray(int ramBytes, boolean firmware, boolean initrd) {
        return initrd ? ramBytes : Math.min(ramBytes, firmware ? RAM_IN_ARRAY_FIRMWARE : RAM_IN_ARRAY);
    }

    /**
     * The length of the RAM array a machine starts with ({@link RamAhead} makes it ahead), for a
     * ROM space of {@code romSpace} bytes ({@link #romSpace}; 0 without firmware).
     */
    public static int startArrayLength(int ramBytes, int romSpace, boolean initrd) {
        return PhysicalMemory.arrayLength(inArray(ramBytes, romSpace > 0, initrd), romSpace, ramBytes);
    }

    /**
     * The ROM space in the array for a BIOS image {@code bytes} long (only BiosLoader puts a ROM
     * there): its size in 64 KiB units, at least {@link #ROM_SPACE_MIN}, at most {@link #ROM_SPACE}
     * (a larger image is refused when read). A size of 0 (not known) gives the least.
     */
    public static int romSpace(long bytes) {
        long rounded = (bytes + 0xFFFF) & ~0xFFFFL;
        return (int) Math.min(ROM_SPACE, Math.max(ROM_SPACE_MIN, rounded));
    }

    /** The ROM space for the BIOS image {@code bios}, 0 without one: read from the file's size. */
    public static int romSpace(java.nio.file.Path bios) {
        return bios == null ? 0 : romSpace(bios.toFile().length()); // 0 for a missing file: load() reports it
    }

    public Machine(MachineConfig config, CharSink serialOut, CharSource serialIn, CharSink debugOut, CharSink firmwareLog) {
        this.config = config;
        if (config.ramMiB < 1 || (long) config.ramMiB << 20 > Integer.MAX_VALUE - 8 - ROM_SPACE) {
            throw new IllegalArgumentException("guest RAM of " + config.ramMiB + " MiB does not fit with the 16 MiB of ROM"
                    + " space in one Java array (at most 2031 MiB)");
        }
        this.startNanos = config.startNanos != 0 ? config.startNanos : System.nanoTime();
        int romSpace = romSpace(config.bios);
        int inArray = inArray(config.ramMiB << 20, romSpace > 0, config.initrd != null);
        this.memory = new PhysicalMemory(config.ramMiB << 20, romSpace,
                RamAhead.take(startArrayLength(config.ramMiB << 20, romSpace, config.initrd != null)), inArray);
        this.cpu = new Cpu(memory);
        cpu.features = config.cpuFeatures;
        this.cache = new CodeCache(cpu);
        cache.setLimitBytes(config.tcacheBytes);
        this.loop = new ExecutionLoop(cpu, cache, this);
        this.exits = new ExitDispatcher(bus, cache, config.exitStatsTimed);
        cpu.exitHandler = exits;
        vmmControls(cpu.controls, config);
        // KVM's choice: an external interrupt that exits is acknowledged on exit (its vector in the exit).
        cpu.vmcs.write(VmcsField.VM_EXIT_CONTROLS, VmExitControls.ACKNOWLEDGE_INTERRUPT_ON_EXIT);
        this.injection = new InterruptInjection(this::acknowledgeInterrupt);
        exits.register(ExitReason.EXTERNAL_INTERRUPT, (c, reason, q, length) -> injection.externalInterrupt(c));
        exits.register(ExitReason.INTERRUPT_WINDOW, (c, reason, q, length) -> injection.interruptWindow(c));
        this.timeoutNanos = config.timeoutSeconds > 0 ? (long) (config.timeoutSeconds * 1e9) : Long.MAX_VALUE;
        virtualTime = config.clock == MachineConfig.ClockMode.VIRTUAL;
        if (virtualTime) {
            // Read at every device access, so time moves between two PIT reads of one block, and
            // the TSC (which counts this clock) and the timers agree to the instruction.
            clock = () -> cpu.instructions * config.virtualNanosPerInstruction + idleNanos;
            // A block's tier decides where between its instructions events are taken; with
            // time made of instructions, translations must land at the same points every run.
            loop.setSynchronousTranslation(true);
        } else {
            // Host time with the time the guest's thread spent making code taken out: to the guest
            // that takes no time, so a burst of cold code is not a stall in which timer ticks pile
            // up (Linux checks its TSC against jiffies early in boot, and a stall of tens of
            // milliseconds there makes it mark the TSC unstable). The worker's translations do
            // not stall the guest.
            HostClock host = new HostClock();
            clock = () -> host.nanos() - cache.guestStallNanos();
        }
        // On the virtual clock the deadline in instructions is the timers' own (nextDeadline).
        waker = virtualTime ? null : new TimerWaker(() -> cpu.request(ExecutionLoop.REQUEST_SERVICE));
        cpu.timeSource = clock::nanos;
        pic.registerPorts(bus);
        pic.setIntrListener(() -> cpu.request(ExecutionLoop.REQUEST_IRQ));
        PamShadow.Invalidator remapped = (first, count) -> {
            for (int p = first; p < first + count; p++) {
                cache.invalidatePage(p);
            }
            cpu.mmu.flushAll(TlbFlush.MEMORY_MAP);
        };

        // The local APIC (LINT0 in virtual-wire mode, so the 8259 reaches the CPU through it) and
        // the I/O APIC; every ISA IRQ goes to both interrupt controllers.
        // x2APIC stays off in CPUID, as on the processors of this model's generation (SSE2, no SSE3).
        if (config.cpus < 1 || config.cpus > MAX_CPUS) {
            throw new IllegalArgumentException("-smp " + config.cpus + ": jvmx has 1 to " + MAX_CPUS + " processors");
        }
        apics = new LocalApic[config.cpus];
        for (int i = 0; i < apics.length; i++) {
            int index = i;
            CpuTsc tsc = config.cpus == 1 ? new CpuTsc(cpu, clock) : new CpuTsc(() -> processorTsc(index), clock);
            LocalApic a = new LocalApic(clock, tsc, i, false);
            a.setBootstrapProcessor(i == 0);
            a.setIntrListener(() -> cpu.request(ExecutionLoop.REQUEST_IRQ));
            a.setTimerListener(() -> cpu.request(ExecutionLoop.REQUEST_SERVICE));
            apics[i] = a;
        }
        apic = apics[0];
        currentApic = apic;
        // The 8259's INTR goes to the bootstrap processor's LINT0 (the others' LINT0 stays masked).
        apic.setExtIntSource(new ExtIntSource() {
            @Override public boolean intr() { return pic.hasInterrupt(); }
            @Override public int acknowledge() { return pic.acknowledge(); }
        });
        apic.setVirtualWireMode();
        apicWindow = new LocalApicWindow(memory, () -> currentApic, remapped);
        ioApic = new IoApic(apic);
        for (LocalApic a : apics) {
            a.setBaseListener(apicWindow::update);
            a.setEoiListener(ioApic::endOfInterrupt);
        }
        apicWindow.update();
        if (apics.length > 1) {
            ApicBus apicBus = new ApicBus();
            for (LocalApic a : apics) {
                apicBus.attach(a);
            }
            ioApic.routeTo(apicBus);
            processors = new Processors(cpu, apics, this::processorSwitched);
            loop.setScheduler(processors);
            // PAUSE exiting: a spinning processor yields to the others (see Processors.pause).
            cpu.controls.setPrimary(cpu.controls.primary() | PrimaryProcessorControls.PAUSE_EXITING);
            exits.register(ExitReason.PAUSE, (c, reason, q, length) -> {
                ArchitecturalExits.emulate(c, reason, q, length);
                processors.pause(c);
            });
        } else {
            processors = null;
            cpu.apic = new ApicMsrLink(apic);
        }
        memory.mapMmio((int) IoApic.DEFAULT_BASE, PhysicalMemory.PAGE_SIZE, new MmioDevice() {
            @Override public int mmioRead(int phys, int size) { return ioApic.read(phys & 0xFFF, size); }
            @Override public void mmioWrite(int phys, int size, int v) { ioApic.write(phys & 0xFFF, size, v); }
        });
        isaBridge = new Piix3IsaBridge();
        irqs = new Piix3IrqRouting(pic, ioApic, isaBridge);
        isaBridge.setRoutingListener(irqs::routingChanged);

        pit = new Pit8254(clock, irqs.isa(0));
        // Timer edges the interrupt controller could not take yet are raised later, so the guest keeps
        // time (Pit8254.update). The controller is the I/O APIC once its pin 2 delivers: Linux masks
        // IRQ0 at the 8259 then, whose IRR keeps the first edge latched forever.
        pit.setCatchUp(() -> irqs.isaMasked(0), () -> irqs.isaLatched(0));
        if (config.pit) {
            bus.register(0x40, 4, pit); // pit=off: the counter exists unprogrammed, so it never raises IRQ 0
        }
        bus.register(0x61, 1, new SystemControlPortB(pit));
        rtc = new CmosRtc(clock, irqs.isa(8));
        rtc.setMemorySizes((long) config.ramMiB << 20);
        bus.register(0x70, 2, rtc);
        uart = new Uart16550(0x3F8, irqs.isa(4), serialOut, serialIn);
        bus.register(0x3F8, uart.registerCount(), uart);
        // One A20 gate: on when either the 8042 output port or port 0x92 enables it.
        A20Gate a20 = new A20Gate(this, true);
        bus.register(0x60, 1, keyboard = new Keyboard8042(irqs.isa(1), this, a20));
        bus.register(0x64, 1, keyboard);
        bus.register(0x92, 1, new FastA20Port(this, a20));
        bus.register(0xE9, 1, new DebugConsole(debugOut));
        if (!hasDevice("isa-debug-exit")) {
            bus.register(0xF4, 4, new IsaDebugExit(this)); // jvmx's own default; -device isa-debug-exit replaces it
        }
        bus.register(0x80, 1, new PostPort());
        // FERR# to IRQ 13; port F0h acknowledges it with IGNNE# (x87 errors with CR0.NE = 0).
        FerrLatch ferr = new FerrLatch(pic.irq(FerrLatch.IRQ), () -> cpu.fpu.ignne = true);
        bus.register(FerrLatch.PORT, 1, ferr);
        cpu.ferr = ferr::ferr;
        bus.register(0x402, 1, new QemuDebugPort(firmwareLog));

        // PCI bus 0 (i440FX + PIIX3 as on QEMU's pc machine) and the PAM shadow of 0xC0000-0xFFFFF.
        pam = new PamShadow(memory, remapped);
        pci = new PciBus(new ResetControl(this));
        bus.register(PciBus.CONFIG_ADDRESS, 8, pci);
        pci.attach(0, 0, hostBridge = new I440fxHostBridge(pam));
        pci.attach(1, 0, isaBridge);
        pci.attach(1, 1, ide = new Piix3Ide());
        // The PIIX4 power-management function with its ACPI registers (decoded where PMBA says) and SCI on IRQ 9.
        pci.attach(1, 3, pmFunction = new Piix3Pm());
        pm = new PmRegisters(clock, irqs.isa(AcpiTables.SCI_IRQ), this);
        pmFunction.setIoListener(this::movePmRegisters);
        acpi = new AcpiTables(PM_BASE);
        // An HPET main counter at 0xFED00000 (no timer interrupts), described by an ACPI HPET table.
        hpet = new Hpet(clock);
        memory.mapMmio((int) Hpet.BASE, 0x1000, new MmioDevice() {
            @Override
            public int mmioRead(int phys, int size) {
                int off = phys - (int) Hpet.BASE;
                return off < Hpet.SIZE ? (int) hpet.read(off, size) : 0;
            }

            @Override
            public void mmioWrite(int phys, int size, int value) {
                int off = phys - (int) Hpet.BASE;
                if (off < Hpet.SIZE) {
                    hpet.write(off, size, value & 0xFFFFFFFFL);
                }
            }
        });
        acpi.addTable(AcpiTables.hpet(hpet.capabilities(), Hpet.BASE));
        acpi.addTable(Madt.forMachine(AcpiTables.SCI_IRQ, config.cpus));

        // QEMU's fw_cfg: RAM size, the processor count, the memory map and the boot order.
        bus.register(FwCfg.PORT_SELECTOR, 2, fwCfg);
        // fw_cfg's DMA interface, as QEMU has it: firmware and the linuxboot ROM copy files in one exit.
        bus.register(FwCfg.PORT_DMA, FwCfg.DMA_PORTS, fwCfg);
        fwCfg.enableDma(new FwCfg.DmaMemory() {
            @Override
            public void read(long address, byte[] into) {
                // Nothing answers above 4 GiB: all ones there.
                int below = address < 0 ? 0 : (int) Math.max(0, Math.min(into.length, 0x1_0000_0000L - address));
                memory.read((int) address, into, 0, below);
                java.util.Arrays.fill(into, below, into.length, (byte) 0xFF);
            }

            @Override
            public void write(long address, byte[] from) {
                // Guest RAM only: ROM and holes ignore DMA writes.
                long end = Math.min(address + from.length, memory.ramSize);
                if (address >= 0 && address < end) {
                    memory.write((int) address, from, 0, (int) (end - address)); // as the bus writes: ROM stays ROM
                    for (long p = address >>> 12; p <= (end - 1) >>> 12; p++) {
                        cache.invalidatePage((int) p); // DMA into code: its translations go
                    }
                }
            }
        });
        fwCfg.setRamSize((long) config.ramMiB << 20);
        fwCfg.setCpus(config.cpus, config.cpus);
        fwCfg.setItem(FwCfg.FW_CFG_UUID, new byte[16]);
        // jvmx boot's default, as QEMU's -nographic: the firmware's console is COM1 (SeaBIOS then
        // sets etc/sercon-port to 0x3F8 itself). With -display none or text it draws on the VGA screen.
        fwCfg.setLe16(FwCfg.FW_CFG_NOGRAPHIC, config.display.equals("nographic") ? 1 : 0);
        fwCfg.setLe16(FwCfg.FW_CFG_BOOT_MENU, config.boot.menu ? 1 : 0);
        fwCfg.addFile(E820Table.FILE_NAME, new E820Table().addRam(0, (long) config.ramMiB << 20).toBytes());

        // ---- storage: two IDE channels of the PIIX3 IDE function (00:01.1) in compatibility mode,
        // up to four drives; the boot order in CMOS as QEMU gives it to SeaBIOS (-boot, default cad).
        drives = IdeDrives.open(config.drives, line -> System.err.println("jvmx: " + line));
        ataPrimary = AtaChannel.primary(drives.device(0), drives.device(1), irqs.isa(AtaChannel.PRIMARY_IRQ));
        ataSecondary = AtaChannel.secondary(drives.device(2), drives.device(3), irqs.isa(AtaChannel.SECONDARY_IRQ));
        for (AtaChannel ch : new AtaChannel[] {ataPrimary, ataSecondary}) {
            bus.register(ch.commandBase(), 8, ch);
            bus.register(ch.controlPort(), 1, ch);
        }
        rtc.setBootOrder(config.boot.cmosCode(0), config.boot.cmosCode(1), config.boot.cmosCode(2), false);

        // VGA registers; the text buffer is the RAM at 0xB8000 (RAM offset = physical address).
        vga = new VgaText(TextMemory.of(() -> memory.array, 0xB8000)); // the array RAM on demand may replace
        bus.register(VgaText.FIRST_PORT, VgaText.PORT_COUNT, vga);

        // QEMU's test devices, when asked for (--device).
        if (config.pcTestDev) {
            IrqLine[] lines = new IrqLine[PcTestDev.IRQ_LINES];
            for (int n = 0; n < lines.length; n++) {
                lines[n] = n < 16 ? irqs.isa(n) : ioApic.pin(n);
            }
            PcTestDev testDev = new PcTestDev(lines);
            bus.register(PcTestDev.DATA_PORT, 8, testDev);
            // 0xE8-0xEB, except 0xE9, which stays the debug console jvmx always has.
            bus.registerWherever(PcTestDev.DATA_BYTE_PORT, 4, testDev);
            bus.register(PcTestDev.IRQ_PORT, PcTestDev.IRQ_LINES, testDev);
            for (int off = 0; off < PcTestDev.IOMEM_SIZE; off += PhysicalMemory.PAGE_SIZE) {
                memory.mapMmio((int) PcTestDev.IOMEM_BASE + off, PhysicalMemory.PAGE_SIZE, new MmioDevice() {
                    @Override public int mmioRead(int phys, int size) { return testDev.iomemRead(phys & 0xFFFF, size); }
                    @Override public void mmioWrite(int phys, int size, int v) { testDev.iomemWrite(phys & 0xFFFF, size, v); }
                });
            }
        }
        if (config.pciTestDev) {
            PciTestDev pciTestDev = new PciTestDev();
            pci.attach(3, 0, pciTestDev);
            new PciTestDevMapping(pciTestDev, memory, bus, remapped);
        }

        // The other devices of -device (isa-debug-exit where it was asked for ...): see DeviceRegistry.
        for (DeviceSpec d : config.devices) {
            DeviceRegistry.Factory f = DeviceRegistry.find(d.driver);
            if (f == null) {
                throw new IllegalArgumentException("-device " + d.text + ": jvmx has no device '" + d.driver
                        + "' (it has: " + DeviceRegistry.names() + ")");
            }
            f.attach(this, d);
        }
    }

    /**
     * The exception bitmap KVM keeps with EPT (its always-intercepted vectors): #MC, which belongs
     * to the host, and #AC, which a guest could otherwise make the processor deliver in a loop
     * that never exits (CVE-2015-5307). jvmx raises neither, so by default no exception exits.
     */
    public static final int DEFAULT_EXCEPTION_BITMAP = 1 << 17 | 1 << 18;

    /** The MSRs whose values the VMCS's guest-state area holds (IA32_SYSENTER_CS, _ESP, _EIP): RDMSR/WRMSR pass. */
    private static final int SYSENTER_CS = 0x174, SYSENTER_EIP = 0x176;

    /**
     * The machine's execution controls, as a hypervisor with EPT and unrestricted guests sets
     * them (KVM's choice on such hardware): exits for what the device models and the VMM must see
     * (I/O, HLT, RDMSR/WRMSR but of the SYSENTER MSRs, CPUID and INVD, which always exit, task
     * switches, which always do too), none for what the guest owns (CR3 and INVLPG: its page
     * tables are its own; descriptor tables; debug registers; CR0/CR4 bits; WBINVD), RDTSC inline
     * (TSC offsetting), and the exception bitmap, "NMI exiting" and "external-interrupt exiting"
     * as configured (by default {@link #DEFAULT_EXCEPTION_BITMAP}, NMIs and external interrupts
     * through the guest IDT).
     */
    private static void vmmControls(ExecutionControls c, MachineConfig config) {
        c.setPrimary(PrimaryProcessorControls.HLT_EXITING | PrimaryProcessorControls.UNCONDITIONAL_IO_EXITING
                | PrimaryProcessorControls.USE_MSR_BITMAPS | PrimaryProcessorControls.USE_TSC_OFFSETTING
                | PrimaryProcessorControls.ACTIVATE_SECONDARY_CONTROLS);
        // "Enable RDTSCP", as KVM sets it when the guest's CPUID reports RDTSCP (ours does).
        c.setSecondary(SecondaryProcessorControls.ENABLE_RDTSCP);
        c.setCr0(0, 0);
        c.setCr4(0, 0);
        c.msrBitmap().setAll(true);
        for (int msr = SYSENTER_CS; msr <= SYSENTER_EIP; msr++) {
            c.msrBitmap().setRead(msr, false);
            c.msrBitmap().setWrite(msr, false);
        }
        c.setExceptionBitmap(config.exceptionBitmap == null ? DEFAULT_EXCEPTION_BITMAP : config.exceptionBitmap);
        c.setPageFaultErrorCodeMaskMatch(config.pfErrorCodeMask, config.pfErrorCodeMatch);
        c.setPinBased((config.nmiExiting ? PinBasedControls.NMI_EXITING : 0)
                | (config.externalInterruptExiting ? PinBasedControls.EXTERNAL_INTERRUPT_EXITING : 0));
    }

    /** Puts {@code device} on ports base..base+count-1; a clash is an IllegalArgumentException naming {@code what}. */
    public void registerPorts(int base, int count, IoDevice device, String what) {
        for (int p = base; p < base + count; p++) {
            if (bus.deviceAt(p) != null) {
                throw new IllegalArgumentException(String.format("%s: I/O port %#x is already taken by another device", what, p));
            }
        }
        bus.register(base, count, device);
    }

    /** Loads the images the configuration names; the default is the first guest's ROM. */
    public void load() throws ImageException {
        LinuxBoot linux = config.kernel == null ? null : LinuxBoot.probe(config.kernel, config.initrd, config.kernelCmdline);
        if (config.initrd != null && linux == null) {
            throw new ImageException("--initrd needs a Linux bzImage as --kernel (" + config.kernel
                    + " is not one; Multiboot modules are not supported)");
        }
        if (config.kernel != null && linux == null && config.bios != null) {
            // QEMU would run the BIOS and have it boot the kernel through an option ROM; jvmx has
            // that path for a bzImage only (linuxboot), so it says so instead of skipping the BIOS.
            throw new ImageException("--bios with a Multiboot --kernel: jvmx enters a Multiboot kernel directly, with"
                    + " no firmware (only a Linux bzImage boots through --bios): drop --bios");
        }
        if (linux != null && config.bios != null) {
            // The option ROM that boots the kernel comes first, as with QEMU's -kernel.
            fwCfg.addFile(BootOrder.FILE_NAME, new BootOrder().add("/rom@genroms/" + LinuxLoader.OPTION_ROM).toBytes());
        }
        BiosLinker tables = acpi.link();
        if (config.kernel != null && (linux == null || config.bios == null)) {
            if (config.bios != null) {
                BiosLoader.map(memory, BiosLoader.read(config.bios));
            }
            FirmwareHandoff.apply(pic, apic, ioApic, memory, config.cpus);
            directTables = tables;
            if (linux != null) {
                directLinux = linux;
                bootLinuxDirect();
            } else {
                MultibootLoader.Kernel k = MultibootLoader.read(config.kernel);
                setUpAsFirmware();
                MultibootLoader.load(k, memory, cpu, config.kernelCmdline);
            }
        } else {
            byte[] rom = BiosLoader.read(config.bios);
            int off = BiosLoader.map(memory, rom);
            int alias = Math.min(rom.length, BiosLoader.ISA_ALIAS_MAX);
            pam.setRomAlias(0x100000 - alias, off + rom.length - alias);
            pam.reset();
            if (config.vgaRom != null) {
                fwCfg.addFile("vgaroms/" + config.vgaRom.getFileName(), readOptionRom(config.vgaRom, "VGA option ROM"));
            }
            if (!config.noAcpi) {
                for (java.util.Map.Entry<String, byte[]> f : AcpiTables.firmwareFiles(tables).entrySet()) {
                    fwCfg.addFile(f.getKey(), f.getValue());
                }
                fwCfg.addFile(BiosLinker.TABLE_LOADER, tables.loaderBytes());
            }
            if (linux != null) {
                linux.handToFirmware(fwCfg, (long) config.ramMiB << 20);
                java.nio.file.Path rom2 = LinuxBoot.optionRom(config.bios);
                fwCfg.addFile("genroms/" + LinuxLoader.OPTION_ROM, readOptionRom(rom2, "option ROM"));
            }
            cpu.reset();
        }
        cpuResetListener.accept(cpu);
    }

    /**
     * A Linux boot without firmware: the machine is first made what a BIOS would have left
     * ({@link #setUpAsFirmware}), then the kernel is loaded. After a reset the same again.
     */
    private void bootLinuxDirect() throws ImageException {
        directLinux.loadDirect(memory, cpu, setUpAsFirmware());
    }

    /**
     * What a BIOS leaves for a kernel entered without firmware (a Linux bzImage or a Multiboot
     * kernel, as QEMU's firmware leaves it for either): the PM registers at their base and, unless
     * --no-acpi, the ACPI tables in the BIOS area. Returns the RSDP's address, or 0 without tables.
     */
    private long setUpAsFirmware() {
        setUpPmFunction();
        if (config.noAcpi) {
            return 0;
        }
        java.util.Map<String, Long> at = directTables.install(memory, MemoryMap.BIOS_AREA_START, MemoryMap.HIGH_MEMORY);
        facs = (int) (at.get(AcpiTables.TABLES_FILE) + AcpiTables.FACS_OFFSET);
        return at.get(AcpiTables.RSDP_FILE);
    }

    /** The PM function as a BIOS programs it: SCI's line, the PM base and its I/O space on. */
    private void setUpPmFunction() {
        pmFunction.configWrite(PciConfigSpace.INTERRUPT_LINE, 1, AcpiTables.SCI_IRQ);
        pmFunction.configWrite(Piix3Pm.PMBA, 4, PM_BASE | 1);
        pmFunction.configWrite(Piix3Pm.PMREGMISC, 1, 1);
    }

    /** The tables jvmx installs itself when there is no firmware, or null with firmware. */
    private BiosLinker directTables;
    /** Where those tables' FACS is (its waking vector is read on resume), or -1. */
    private int facs = -1;

    /** PMBA or PMREGMISC changed: the PM registers leave their old ports and take the new ones. */
    private void movePmRegisters(int base) {
        if (pm.base() >= 0) {
            bus.unregister(pm.base(), PmRegisters.BLOCK_SIZE, pm);
        }
        pm.setBase(base);
        if (base >= 0) {
            bus.register(base, PmRegisters.BLOCK_SIZE, pm);
        }
    }

    private static byte[] readOptionRom(java.nio.file.Path file, String what) throws ImageException {
        byte[] b = ImageFiles.read(file, what, 1 << 20);
        // An option ROM starts 55 AA, then its length in 512-byte blocks.
        if (b.length < 512 || (b[0] & 0xFF) != 0x55 || (b[1] & 0xFF) != 0xAA || (b[2] & 0xFF) * 512 > b.length) {
            throw new ImageException(what + " " + file + " is not an option ROM (no 55 AA header of a plausible size)");
        }
        return b;
    }

    /**
     * Forces what the guest wrote to the images, says which I/O errors the guest was told
     * of, and releases the images and their locks (after any stop; safe to call twice).
     */
    @Override
    public void close() {
        if (waker != null) {
            waker.close();
        }
        loop.close();
        for (String line : drives.closeAndReport()) {
            System.err.println("jvmx: " + line);
        }
    }

    /**
     * Whether -device asked for {@code driver}. A loop: a stream here was a boot's first, and its
     * set-up (its flags' EnumMap finds their constants by reflection) cost every start about 2 ms
     * in code HotSpot had not compiled.
     */
    private boolean hasDevice(String driver) {
        for (DeviceSpec d : config.devices) {
            if (d.driver.equals(driver)) {
                return true;
            }
        }
        return false;
    }

    /** Wall-clock time (ms since the epoch) at which the guest started running, 0 before. */
    public long firstInstructionMillis() {
        return firstRun;
    }

    private long firstRun;

    /** Resets in one run after which the runner stops: the guest is in a reset loop. */
    public static final int MAX_RESETS = 8;

    /**
     * Runs the guest until it stops. A CPU reset (8042 command 0xFE, port 0x92, port 0xCF9)
     * restarts it in the firmware, as on a PC: RAM is kept (a warm reset), the CPU, A20,
     * the shadow-RAM mapping and the translations start afresh.
     */
    public StopReason run() {
        if (firstRun == 0) {
            firstRun = System.currentTimeMillis();
            if (config.exitStatsTimed) {
                // Every thread's times, from /proc: about 4 ms of the guest's start, for --exit-stats only.
                guestThread = ThreadTimes.currentThreadId();
                atFirstInstruction = ThreadTimes.now();
            }
        }
        return runResetting();
    }

    private int guestThread = -1;
    private ThreadTimes atFirstInstruction = ThreadTimes.none();

    /** Every thread's CPU time when the guest's first instruction ran: what start-up cost. */
    public ThreadTimes atFirstInstruction() {
        return atFirstInstruction;
    }

    /** The kernel's id of the thread that runs the guest, -1 before the run or where it is unknown. */
    public int guestThread() {
        return guestThread;
    }

    private StopReason runResetting() {
        int resets = 0;
        while (true) {
            // A run that ended while the machine slept (a debugger's stop) goes back to sleep.
            StopReason r = asleep != null ? asleep : loop.run();
            if (r.kind == StopReason.Kind.SUSPENDED) {
                StopReason end = sleepUntilWake(r);
                if (end != null) {
                    return end;
                }
                continue;
            }
            if (r.kind != StopReason.Kind.RESET_LOOP) {
                return r;
            }
            if (config.noReboot) {
                // QEMU's -no-reboot: a reset is a shutdown.
                return StopReason.of(StopReason.Kind.POWER_OFF, r.message + "; -no-reboot: the run ends");
            }
            if (config.bios == null && directLinux == null) {
                return StopReason.of(StopReason.Kind.RESET_LOOP,
                        r.message + "; there is no firmware to restart (no --bios), so the run ends");
            }
            if (++resets > MAX_RESETS) {
                return StopReason.of(StopReason.Kind.RESET_LOOP,
                        "the guest reset the machine " + MAX_RESETS + " times: stopping a reset loop");
            }
            if (directLinux != null) {
                // No firmware to run the boot again: the loader does it, as QEMU's -kernel does after a reset.
                System.err.println("jvmx: " + r.message + ": booting the kernel again");
                resetBoard();
                try {
                    bootLinuxDirect();
                } catch (ImageException e) {
                    return StopReason.of(StopReason.Kind.RESET_LOOP, r.message + "; reloading the kernel failed: " + e.getMessage());
                }
                continue;
            }
            System.err.println("jvmx: " + r.message + ": restarting the firmware");
            resetBoard();
        }
    }

    /** Clock time a sleeping machine waits for its alarm before nothing is said to wake it: a day, every pattern's period. */
    private static final long LONGEST_ALARM_NANOS = 86_400L * 1_000_000_000L;

    /**
     * ACPI S3: the machine sleeps, RAM kept, until a wake event: the RTC alarm (AIE) with
     * PM1_EN.RTC_EN, the one wake source jvmx models. It then resumes as a PC does: the processors
     * and the board reset and WAK_STS sets; with firmware the BIOS runs, with CMOS shutdown status
     * 0xFE telling it to resume and its shadow RAM kept (SeaBIOS's resume path), and without firmware jvmx plays the BIOS's
     * part and enters the FACS's waking vector. Time passes while asleep: the host's, or on the
     * virtual clock a jump to the alarm. Returns null once resumed, else the stop that ends the
     * run (a timeout, a quit, or no wake event that could come).
     */
    private StopReason sleepUntilWake(StopReason entered) {
        if (asleep == null) {
            System.err.println("jvmx: " + entered.message + ": the machine sleeps until the RTC alarm wakes it");
            asleep = entered;
            asleepSince = clock.nanos();
        }
        loop.clearStop();
        while (true) {
            rtc.update();
            if (pm.rtcWakeEnabled() && rtc.alarmInterrupt()) {
                break;
            }
            StopReason stop = loop.requestedStop();
            if (stop == null) {
                stop = pendingStop;
            }
            if (stop != null) {
                return stop;
            }
            if (System.nanoTime() - startNanos > timeoutNanos) {
                return timeoutStop();
            }
            long now = clock.nanos();
            if (!pm.rtcWakeEnabled() || !rtc.alarmEnabled() || now - asleepSince > LONGEST_ALARM_NANOS) {
                return StopReason.of(StopReason.Kind.HALTED, entered.message + ", and nothing can wake the machine"
                        + " (jvmx wakes it by the RTC alarm, with register B's AIE and PM1_EN's RTC_EN set)");
            }
            long next = rtc.nextEventNanos(); // the next second: the alarm can fire only then
            if (virtualTime) {
                idleNanos += Math.max(0, next - now);
            } else {
                sleepNanos(Math.max(1, Math.min(next - now, 10_000_000L)));
            }
        }
        asleep = null;
        // The PAM registers outlast the reset a wake is, as on QEMU's i440FX: the firmware finds
        // its shadow of 0xC0000-0xFFFFF as it left it (SeaBIOS: HaveRunPost set, so its resume path).
        int[] pamBytes = new int[I440fxHostBridge.PAM6 - I440fxHostBridge.PAM0 + 1];
        for (int i = 0; i < pamBytes.length; i++) {
            pamBytes[i] = hostBridge.configRead(I440fxHostBridge.PAM0 + i, 1);
        }
        resetBoard();
        String how;
        if (directTables == null) {
            for (int i = 0; i < pamBytes.length; i++) {
                hostBridge.configWrite(I440fxHostBridge.PAM0 + i, 1, pamBytes[i]);
            }
            rtc.writeRegister(CMOS_SHUTDOWN_STATUS, SHUTDOWN_S3_RESUME);
            how = "the firmware resumes it";
        } else if (facs < 0) {
            return StopReason.of(StopReason.Kind.HALTED, entered.message
                    + "; woken by the RTC alarm, but without ACPI tables (--no-acpi) there is no waking vector to resume at");
        } else {
            setUpPmFunction();
            how = "entering " + WakingVector.enter(cpu, memory, facs);
        }
        pm.wake(PmRegisters.RTC_STS);
        System.err.println("jvmx: the RTC alarm woke the machine from S3: " + how);
        return null;
    }

    /** The stop that put the machine to sleep while it sleeps (S3), else null; and when, in clock nanos. */
    private volatile StopReason asleep;
    private long asleepSince;

    /** Whether the machine sleeps in S3 (a run that ended meanwhile, at a debugger's stop, sleeps on when run again). */
    public boolean asleep() {
        return asleep != null;
    }

    /** CMOS byte 0x0F, the shutdown status a BIOS reads at reset; 0xFE asks it to resume from S3. */
    static final int CMOS_SHUTDOWN_STATUS = 0x0F, SHUTDOWN_S3_RESUME = 0xFE;

    /** Processor {@code i}'s TSC (its own offset), for its APIC's TSC-deadline timer. */
    private long processorTsc(int i) {
        return processors.tsc(i, cpu);
    }

    /** Another processor runs now: the loop's interrupt questions and the APIC window go to its APIC. */
    private void processorSwitched() {
        currentApic = processors == null ? apic : processors.currentApic();
        if (apicWindow != null) {
            apicWindow.update();
        }
    }

    private void resetBoard() {
        cpu.reset();
        if (processors != null) {
            processors.reset(cpu);
        }
        injection.reset(cpu);
        apic.reset();
        apic.setVirtualWireMode();
        ioApic.reset();
        cpu.mmu.setA20(true);
        pci.reset(); // PAM registers, PMBA, ... back to power-on values, as the firmware expects
        if (config.bios != null) {
            pam.reset(); // without firmware 0xC0000-0xFFFFF stays the RAM the loader wrote
        }
        cache.flush();
        cpu.mmu.flushAll(TlbFlush.RESET);
        cpuResetListener.accept(cpu);
    }

    // ---- MachineControl (what devices may ask)

    /** A process returns the low 8 bits of its exit code; the message says what the process really returns. */
    @Override
    public void requestExit(int exitCode, String reason) {
        int status = exitCode & 0xFF;
        String msg = reason + ": exit code " + status + (status != exitCode ? ", the low 8 bits, which is what a process returns" : "");
        loop.requestStop(new StopReason(StopReason.Kind.DEBUG_EXIT, status, msg));
    }

    /**
     * Ends the run at the next look at devices, from any thread, also before {@link #run} has
     * started (the execution loop forgets requests made before it runs).
     */
    public void requestStop(StopReason reason) {
        if (pendingStop == null) {
            pendingStop = reason;
        }
        loop.requestStop(reason);
    }

    private volatile StopReason pendingStop;

    @Override
    public void requestPowerOff(String reason) {
        loop.requestStop(new StopReason(StopReason.Kind.DEBUG_EXIT, 0, "guest powered off (" + reason + ")"));
    }

    @Override
    public void requestReset(String reason) {
        loop.requestStop(StopReason.of(StopReason.Kind.RESET_LOOP, "reset requested by " + reason));
    }

    @Override
    public void requestSuspend(String reason) {
        loop.requestStop(StopReason.of(StopReason.Kind.SUSPENDED, reason));
    }

    @Override
    public void setA20(boolean enabled) {
        cpu.mmu.setA20(enabled);
        // Code may now be fetched from elsewhere: a block running on past the OUT must stop.
        cpu.request(ExecutionLoop.REQUEST_SERVICE);
    }

    // ---- Platform (what the execution loop asks)

    @Override
    public StopReason service(Cpu c) {
        if (pendingStop != null) {
            return pendingStop;
        }
        if (System.nanoTime() - startNanos > timeoutNanos) {
            return timeoutStop();
        }
        pit.update();
        rtc.update();
        for (LocalApic a : apics) {
            a.update();
        }
        pm.update();
        uart.poll();
        if (terminalKeyboard != null) {
            terminalKeyboard.poll(System.nanoTime());
        }
        displayPoll.run();
        if (waker != null) {
            long next = nextTimerEvent();
            waker.dueIn(next == Long.MAX_VALUE ? Long.MAX_VALUE : next - clock.nanos());
        }
        return null;
    }

    /** The stop at the timeout (--timeout), from here or from the run's watchdog. */
    public StopReason timeoutStop() {
        return timeoutStop(config.timeoutSeconds);
    }

    /** The stop at a timeout of {@code seconds}, named as given (3.0, 0.25), not rounded to tenths. */
    public static StopReason timeoutStop(double seconds) {
        String s = seconds * 10 == Math.rint(seconds * 10)
                ? String.format(java.util.Locale.ROOT, "%.1f", seconds) : Double.toString(seconds);
        return StopReason.of(StopReason.Kind.TIMEOUT, "timeout after " + s + " s");
    }

    /** Host time at which --timeout ends the run (System.nanoTime), or Long.MAX_VALUE for none. */
    public long deadlineNanos() {
        return timeoutNanos == Long.MAX_VALUE ? Long.MAX_VALUE : startNanos + timeoutNanos;
    }

    @Override
    public boolean interruptPending() {
        return currentApic.intr(); // the 8259 reaches the CPU through LINT0 (or directly, APIC disabled)
    }

    @Override
    public int acknowledgeInterrupt() {
        int vector = currentApic.acknowledge();
        pit.update(); // a timer edge that waited for this acknowledge goes in now
        return vector;
    }

    @Override
    public boolean nmiPending() {
        return currentApic.nmiPending();
    }

    @Override
    public void acknowledgeNmi() {
        currentApic.takeNmi();
    }

    @Override
    public StopReason waitForInterrupt(Cpu c) {
        long now = clock.nanos();
        long next = nextTimerEvent();
        if (virtualTime) {
            if (next != Long.MAX_VALUE && next > now) {
                // Virtual time skips idle periods: jump straight to the next timer event (the TSC with it).
                idleNanos += next - now;
            } else if (next == Long.MAX_VALUE) {
                sleepMillis(1); // only input can wake the guest; let the host breathe
            }
        } else {
            long wait = next == Long.MAX_VALUE ? 10_000_000L : Math.min(next - now, 10_000_000L);
            if (wait > 0) {
                sleepNanos(wait);
            }
        }
        return service(c);
    }

    @Override
    public long nextDeadline() {
        long d = cpu.instructions + SERVICE_INTERVAL;
        if (processors != null) {
            d = Math.min(d, Math.max(cpu.instructions + 1, processors.quantumEnd()));
        }
        if (virtualTime) {
            long next = nextTimerEvent();
            if (next != Long.MAX_VALUE) {
                long insns = (next - idleNanos) / config.virtualNanosPerInstruction;
                d = Math.max(cpu.instructions + 1, Math.min(d, insns));
            }
        }
        return d;
    }

    /** The earliest event a timer has due, in clock nanos (Long.MAX_VALUE: none). */
    private long nextTimerEvent() {
        long next = Math.min(Math.min(pit.nextEventNanos(), rtc.nextEventNanos()), pm.nextEventNanos());
        for (LocalApic a : apics) {
            next = Math.min(next, a.nextEventNanos());
        }
        return next;
    }

    private static void sleepMillis(long ms) {
        sleepNanos(ms * 1_000_000L);
    }

    private static void sleepNanos(long ns) {
        try {
            Thread.sleep(ns / 1_000_000L, (int) (ns % 1_000_000L));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

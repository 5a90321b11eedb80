package dev.jvmx.runtime.fuzz;

import dev.jvmx.devices.chr.CharSource;
import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.runtime.board.DriveSpec;
import dev.jvmx.vmx.ExitReason;
import dev.jvmx.vmx.IoQualification;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Random port traffic at the board's devices, through the exit dispatcher as guest IN and OUT
 * instructions reach them: mostly ports some device claims, the rest anywhere in the 64 KiB
 * space; sizes 1, 2 and 4; random values. Device time is serviced and pending interrupts are
 * acknowledged every {@link #SERVICE_EVERY} operations. A fresh machine (with a small disk and a
 * CD-ROM of noise, every other one with the virtual clock) every {@link #OPS_PER_MACHINE} operations. Any Java
 * exception or error is a finding.
 */
public final class PortFuzzer {
    static final int SERVICE_EVERY = 256;
    static final long OPS_PER_MACHINE = 1_000_000;

    /** What a port fuzz run found. */
    public static final class Report {
        public long operations;
        public long exceptions;
        public long machines;

        public boolean clean() {
            return exceptions == 0;
        }
    }

    private PortFuzzer() { }

    public static Report run(long seed, long count, PrintStream out) throws IOException {
        Report rep = new Report();
        SplittableRandom r = new SplittableRandom(seed);
        Path disk = Files.createTempFile("jvmx-portfuzz", ".img");
        Path cd = Files.createTempFile("jvmx-portfuzz", ".iso");
        byte[] noise = new byte[64 * 2048];
        r.nextBytes(noise);
        Files.write(cd, noise);
        long t0 = System.nanoTime();
        try {
            long done = 0;
            while (done < count) {
                try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
                    f.setLength(1 << 20);
                }
                MachineConfig cfg = new MachineConfig();
                cfg.ramMiB = 8;
                cfg.drives.add(DriveSpec.disk("-hda", disk, 0));
                cfg.drives.add(DriveSpec.cdrom(cd));
                cfg.clock = rep.machines % 2 == 0 ? MachineConfig.ClockMode.HOST : MachineConfig.ClockMode.VIRTUAL;
                CharSource none = () -> -1;
                Machine m = new Machine(cfg, NullSink.INSTANCE, none, NullSink.INSTANCE, NullSink.INSTANCE);
                rep.machines++;
                List<Integer> claimed = new ArrayList<>();
                for (int p = 0; p < 0x10000; p++) {
                    if (m.bus.deviceAt(p) != null) {
                        claimed.add(p);
                    }
                }
                long n = Math.min(OPS_PER_MACHINE, count - done);
                for (long i = 0; i < n; i++) {
                    int port = r.nextInt(10) < 8 ? claimed.get(r.nextInt(claimed.size())) : r.nextInt(0x10000);
                    int size = 1 << r.nextInt(3);
                    boolean in = r.nextBoolean();
                    int value = r.nextInt(4) == 0 ? r.nextInt() : r.nextInt(256);
                    try {
                        m.cpu.recordExit(ExitReason.IO_INSTRUCTION, IoQualification.encode(size, in, false, false, false, port), 1);
                        if (in) {
                            m.exits.ioIn(m.cpu);
                        } else {
                            m.exits.ioOut(m.cpu, value);
                        }
                        if (i % SERVICE_EVERY == 0) {
                            m.cpu.instructions += 1000;
                            m.service(m.cpu);
                            if (m.interruptPending()) {
                                m.acknowledgeInterrupt();
                            }
                        }
                    } catch (Throwable t) {
                        rep.exceptions++;
                        if (rep.exceptions <= 10) {
                            out.printf(Locale.ROOT, "%s of %d bytes at port 0x%04x (value 0x%x), operation %d: %s%n",
                                    in ? "IN" : "OUT", size, port, value, done + i, t);
                            StackTraceElement[] st = t.getStackTrace();
                            for (int k = 0; k < Math.min(6, st.length); k++) {
                                out.println("    at " + st[k]);
                            }
                        }
                    }
                }
                m.close();
                done += n;
                rep.operations = done;
            }
        } finally {
            Files.deleteIfExists(disk);
            Files.deleteIfExists(cd);
        }
        out.printf(Locale.ROOT, "jvmx fuzz ports: %d port operations from seed %d on %d machines, %.0f s; host exceptions: %d%n",
                rep.operations, seed, rep.machines, (System.nanoTime() - t0) / 1e9, rep.exceptions);
        return rep;
    }
}

package dev.jvmx.runtime.gdb;

import dev.jvmx.devices.chr.NullSink;
import dev.jvmx.runtime.Machine;
import dev.jvmx.runtime.MachineConfig;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.Block;
import dev.jvmx.translator.exec.StopReason;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The stub in process, driven packet by packet over a socket, on the test guest (gdbguest.s):
 * what gdb would send, and what a broken or hostile client sends. Expected values come from the
 * guest's code (its labels, its arithmetic) and the gdb manual's packet formats.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class GdbStubTest {
    @TempDir
    static Path tmp;
    private static GdbGuest guest;
    private Machine m;
    private GdbStub stub;
    private Thread runner;
    private volatile StopReason result;
    private final List<String> log = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void build() throws Exception {
        assumeTrue(GdbGuest.toolsAvailable(), "GNU as, ld and nm are not installed");
        guest = GdbGuest.build(tmp);
    }

    /** The guest's machine under a stub on a free port, started stopped (-S). */
    private void start() throws Exception {
        MachineConfig cfg = new MachineConfig();
        cfg.kernel = guest.elf;
        m = new Machine(cfg, NullSink.INSTANCE, () -> -1, NullSink.INSTANCE, NullSink.INSTANCE);
        m.load();
        stub = GdbStub.listen(new GdbAddress("127.0.0.1", 0, "tcp:127.0.0.1:0"), m.cpu, m.cache, m.loop, log::add,
                r -> r.kind == StopReason.Kind.DEBUG_EXIT ? r.value : 0);
        runner = new Thread(() -> result = stub.run(m::run, true), "guest");
        runner.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (runner != null && runner.isAlive()) {
            m.loop.requestStop(StopReason.of(StopReason.Kind.USER_QUIT, "test over"));
            stub.close();
            runner.join(10_000);
        }
        if (m != null) {
            m.close();
        }
    }

    private RspClient client() throws Exception {
        RspClient c = new RspClient(stub.port());
        String sup = c.command("qSupported:multiprocess+;swbreak+;hwbreak+;xmlRegisters=i386");
        assertTrue(sup.contains("qXfer:features:read+") && sup.contains("PacketSize="), sup);
        assertEquals("OK", c.command("QStartNoAckMode"));
        c.ack = false;
        return c;
    }

    private static String le32(int v) {
        return Rsp.hexLe(v & 0xFFFFFFFFL, 4);
    }

    private static int reg(RspClient c, int r) throws Exception {
        return (int) Rsp.parseLe(c.command("p" + Integer.toHexString(r)), 0, 4);
    }

    private static int mem32(RspClient c, int addr) throws Exception {
        return (int) Rsp.parseLe(c.command("m" + Integer.toHexString(addr) + ",4"), 0, 4);
    }

    private boolean regionHolds(int eip) {
        for (Block b : m.cache.blocks()) {
            if (b.valid && b.region) {
                for (int i = 0; i < b.instructionCount(); i++) {
                    if (b.insnEip(i) == eip) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void targetDescriptionNamesTheI386CoreRegistersInGdbsOrder() throws Exception {
        start();
        try (RspClient c = client()) {
            StringBuilder xml = new StringBuilder();
            while (true) {
                String part = c.command("qXfer:features:read:target.xml:" + Integer.toHexString(xml.length()) + ",80");
                xml.append(part.substring(1));
                if (part.startsWith("l")) {
                    break;
                }
                assertTrue(part.startsWith("m"), part);
            }
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false); // gdb-target.dtd is gdb's
            Document d = f.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.toString().getBytes(StandardCharsets.UTF_8)));
            assertEquals("i386", d.getElementsByTagName("architecture").item(0).getTextContent());
            Element feature = (Element) d.getElementsByTagName("feature").item(0);
            assertEquals("org.gnu.gdb.i386.core", feature.getAttribute("name"));
            NodeList regs = feature.getElementsByTagName("reg");
            // gdb's i386 core registers (gdb manual, "i386 Features"): 8 general, eip, eflags, 6 segment, 8 x87 data, 8 x87 control.
            String[] names = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi", "eip", "eflags", "cs", "ss", "ds",
                "es", "fs", "gs", "st0", "st1", "st2", "st3", "st4", "st5", "st6", "st7", "fctrl", "fstat", "ftag",
                "fiseg", "fioff", "foseg", "fooff", "fop"};
            assertEquals(names.length, regs.getLength());
            int gBytes = 0;
            for (int i = 0; i < names.length; i++) {
                Element r = (Element) regs.item(i);
                assertEquals(names[i], r.getAttribute("name"));
                gBytes += Integer.parseInt(r.getAttribute("bitsize")) / 8;
            }
            assertEquals("E00", c.command("qXfer:features:read:other.xml:0,80"));
            // g holds every register of the description, in order; EIP is the kernel's entry.
            String g = c.command("g");
            assertEquals(2 * gBytes, g.length());
            assertEquals(guest.at("_start"), (int) Rsp.parseLe(g, 8 * 8, 4));
            c.send("k");
        }
        runner.join(10_000);
        assertEquals(StopReason.Kind.USER_QUIT, result.kind);
    }

    @Test
    void breakpointInARegionSingleStepWatchpointAndDetach() throws Exception {
        start();
        try (RspClient c = client()) {
            assertEquals("T05thread:1;", c.command("?"));
            assertEquals("1", c.command("qAttached"));
            assertEquals("m1", c.command("qfThreadInfo"));
            assertEquals("QC1", c.command("qC"));
            assertEquals("vCont;c;C;s;S", c.command("vCont?"));
            assertEquals("", c.command("vMustReplyEmpty"));
            // Before paging is on, linear is physical: far past RAM nothing answers.
            assertEquals("E14", c.command("m80000000,4"));

            // Run the loop hot, then interrupt it (Ctrl-C is the byte 0x03).
            c.send("vCont;c");
            Thread.sleep(1500);
            c.raw("\u0003");
            assertEquals("T02thread:1;", c.reply());
            int inner = guest.at("inner");
            assertTrue(regionHolds(inner), "the hot loop was not formed into a region");

            // A breakpoint inside the region stops there.
            assertEquals("OK", c.command("Z0," + Integer.toHexString(inner) + ",1"));
            c.send("c");
            assertEquals("T05thread:1;swbreak:;", c.reply());
            assertEquals(inner, reg(c, GdbRegisters.EIP));
            int ecx = reg(c, Cpu.ECX);
            assertEquals(ecx, mem32(c, guest.at("counter")), "the store before the breakpoint ran");
            // Paging is on now: linear 0x40000000 aliases physical 0 (the guest's PDE 0x100).
            assertEquals(ecx, mem32(c, 0x40000000 + guest.at("counter")));
            assertEquals("E14", c.command("m80000000,4"));

            // Step over it: one instruction, EIP at the next label.
            assertEquals("OK", c.command("z0," + Integer.toHexString(inner) + ",1"));
            int total = mem32(c, guest.at("total"));
            c.send("vCont;s:1;c");
            assertEquals("T05thread:1;", c.reply());
            assertEquals(guest.at("check"), reg(c, GdbRegisters.EIP));
            assertEquals(total + ecx, mem32(c, guest.at("total")));

            // A write watchpoint on total: the next round's add, EIP after it.
            String w = Integer.toHexString(guest.at("total")) + ",4";
            assertEquals("OK", c.command("Z2," + w));
            c.send("c");
            assertEquals("T05thread:1;watch:" + Integer.toHexString(guest.at("total")) + ";", c.reply());
            assertEquals(guest.at("check"), reg(c, GdbRegisters.EIP));
            assertEquals(ecx + 1, reg(c, Cpu.ECX));
            assertEquals(total + ecx + ecx + 1, mem32(c, guest.at("total")));
            assertEquals("OK", c.command("z2," + w));

            // A hardware breakpoint is reported as one.
            assertEquals("OK", c.command("Z1," + Integer.toHexString(guest.at("next")) + ",1"));
            c.send("c");
            assertEquals("T05thread:1;hwbreak:;", c.reply());
            assertEquals("OK", c.command("z1," + Integer.toHexString(guest.at("next")) + ",1"));

            // Registers and memory written by gdb: end the loop soon, then detach; the guest runs on.
            assertEquals("OK", c.command("P1=" + le32(ecx + 1)));
            assertEquals(ecx + 1, m.cpu.regs[Cpu.ECX]);
            assertEquals("OK", c.command("M" + Integer.toHexString(guest.at("limit")) + ",4:" + le32(ecx + 100)));
            assertEquals(ecx + 100, mem32(c, guest.at("limit")));
            assertEquals("OK", c.command("D"));
        }
        runner.join(30_000);
        assertEquals(StopReason.Kind.DEBUG_EXIT, result.kind, String.valueOf(result));
        assertEquals(ecxAtEnd(), m.cpu.regs[Cpu.ECX]);
        assertTrue(log.contains("gdb: detached; the guest runs on"), log.toString());
    }

    /** The loop ends when the count reaches the limit gdb wrote. */
    private int ecxAtEnd() {
        return m.memory.read32(guest.at("limit"));
    }

    /**
     * gdb's Ctrl-C right behind a continue, in one write: the reader has the interrupt before the
     * guest's thread has taken the continue. It stops the run the continue starts (before the
     * fix it was dropped as late, and the client waited for a stop reply that never came). An
     * interrupt while the guest is stopped is still ignored.
     */
    @Test
    void anInterruptRightBehindAResumeStopsTheRunItStarts() throws Exception {
        start();
        try (RspClient c = client()) {
            assertEquals("T05thread:1;", c.command("?"));
            for (String resume : List.of("c", "vCont;c")) {
                c.raw(new String(Rsp.frame(resume), StandardCharsets.ISO_8859_1) + "\u0003");
                assertEquals("T02thread:1;", c.reply(), "after " + resume);
            }
            c.raw("\u0003"); // stopped: late, no reply (a stray stop reply would come before this one)
            assertEquals("QC1", c.command("qC"));
            c.send("k");
        }
        runner.join(10_000);
        assertEquals(StopReason.Kind.USER_QUIT, result.kind);
    }

    @Test
    void brokenClientsDoNotHurtTheRun() throws Exception {
        start();
        // Not gdb at all: it is ignored (one line), and when it goes the guest stays stopped (-S).
        try (RspClient junk = new RspClient(stub.port())) {
            junk.raw("GET / HTTP/1.0\r\n\r\n");
            Thread.sleep(300);
        }
        waitForLog("gdb: the client went away; the guest stays stopped");
        assertTrue(log.stream().anyMatch(l -> l.contains("not RSP packets")), log.toString());
        assertEquals(0, m.cpu.instructions);

        try (RspClient c = new RspClient(stub.port())) {
            // A bad checksum is refused with '-' and the stub goes on; so does a malformed command.
            c.raw("$g#00");
            assertEquals('-', c.read());
            assertEquals("T05thread:1;", c.command("?"));
            assertEquals("E01", c.command("mzz,4"));
            assertEquals("", c.command("qNoSuchQuery"));
            // A second client is refused while this one is connected.
            try (RspClient second = new RspClient(stub.port())) {
                assertTrue(second.closedByPeer(5000), "a second client was not refused");
            }
            waitForLog("refused a second client");
            // Continue, then vanish while the guest runs: it runs on.
            c.send("c");
        }
        waitForLog("gdb: the client went away; the guest runs on");
        long before = m.cpu.instructions;
        Thread.sleep(300);
        // A new client stops it again and finds it further on.
        try (RspClient c = client()) {
            assertEquals("T05thread:1;", c.command("?"));
            assertTrue(m.cpu.instructions > before, "the guest did not run on");
            c.send("k");
        }
        runner.join(10_000);
        assertEquals(StopReason.Kind.USER_QUIT, result.kind);
    }

    private void waitForLog(String start) throws InterruptedException {
        for (int i = 0; i < 200 && log.stream().noneMatch(l -> l.contains(start)); i++) {
            Thread.sleep(50);
        }
        assertTrue(log.stream().anyMatch(l -> l.contains(start)), "no log line '" + start + "' in " + log);
    }
}

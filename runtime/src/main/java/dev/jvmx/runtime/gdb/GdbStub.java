package dev.jvmx.runtime.gdb;

import dev.jvmx.translator.arch.Seg;
import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.exec.CodeCache;
import dev.jvmx.translator.exec.DebugControl;
import dev.jvmx.translator.exec.ExecutionLoop;
import dev.jvmx.translator.exec.StopReason;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * A gdb remote stub (gdb manual, "Remote Protocol"): one client at a time over TCP, all-stop,
 * one thread. gdb's commands run on the guest's thread while the guest is stopped; the guest
 * runs between a continue or step and the next stop (a breakpoint, a watchpoint, the step's
 * end, an interrupt from gdb, or the end of the run, which gdb is told as the process's exit).
 *
 * <p>As QEMU does: a client connecting stops the guest; {@code D} (detach) removes the client's
 * breakpoints and lets the guest run on; {@code k} ends the run; a client that goes away while
 * the guest is stopped leaves it stopped until a client connects again. A client that goes
 * away while the guest runs leaves it running, without its breakpoints. A second client is
 * refused while one is connected.
 */
public final class GdbStub implements AutoCloseable {
    /** Largest packet we take (hex memory writes come in pieces of at most this). */
    static final int PACKET_SIZE = 0x4000;
    private static final int SIGINT = 2, SIGTRAP = 5;

    private enum Action { CONTINUE, STEP, KILL }

    /** What the reader and accept threads hand the guest's thread. */
    private record Event(GdbConnection conn, String packet, boolean connected, boolean closed) { }

    private final GdbAddress address;
    private final ServerSocket server;
    private final Cpu cpu;
    private final ExecutionLoop loop;
    private final DebugControl debug;
    private final DebugMemory memory;
    private final Consumer<String> log;
    private final ToIntFunction<StopReason> exitCode;
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Object lock = new Object();
    /** The client, or null. Changed under {@link #lock}. */
    private volatile GdbConnection current;
    /** The guest is running (in the loop's run or a step). Under {@link #lock}. */
    private boolean running;
    /** gdb sent an interrupt (0x03) that no stop has answered yet. Under {@link #lock}. */
    private boolean interruptPending;
    /** Clients come or gone that the guest's thread has not seen yet: the guest must stop for them. Under {@link #lock}. */
    private int clientEvents;
    /** The stop the stub makes itself when gdb wants the guest stopped before it runs. */
    private StopReason selfStop;
    private volatile boolean closed;
    /** Breakpoints set as Z1 (hardware), to say so in the stop reply. */
    private final java.util.Set<Integer> hardware = new java.util.HashSet<>();
    private String lastStopReply = "S05";

    private GdbStub(GdbAddress address, ServerSocket server, Cpu cpu, CodeCache cache, ExecutionLoop loop,
            Consumer<String> log, ToIntFunction<StopReason> exitCode) {
        this.address = address;
        this.server = server;
        this.cpu = cpu;
        this.loop = loop;
        this.debug = loop.debugControl();
        this.memory = new DebugMemory(cpu, cache);
        this.log = log;
        this.exitCode = exitCode;
    }

    /**
     * Opens the listening socket (before the guest starts, so a port in use is found at once);
     * a busy port or an unknown host is an IllegalArgumentException with one line that says so.
     */
    public static GdbStub listen(GdbAddress address, Cpu cpu, CodeCache cache, ExecutionLoop loop,
            Consumer<String> log, ToIntFunction<StopReason> exitCode) {
        ServerSocket s = null;
        try {
            s = new ServerSocket();
            s.setReuseAddress(true);
            InetSocketAddress bind = address.host() == null ? new InetSocketAddress(address.port())
                    : new InetSocketAddress(InetAddress.getByName(address.host()), address.port());
            s.bind(bind, 1);
        } catch (BindException e) {
            closeQuietly(s);
            throw new IllegalArgumentException("-gdb " + address.spec() + ": cannot listen on port " + address.port()
                    + " (" + (e.getMessage() == null ? "in use" : e.getMessage().toLowerCase(java.util.Locale.ROOT))
                    + "): is another gdb stub or QEMU using it?");
        } catch (IOException | SecurityException e) {
            closeQuietly(s);
            throw new IllegalArgumentException("-gdb " + address.spec() + ": cannot listen there: " + e.getMessage());
        }
        GdbStub stub = new GdbStub(address, s, cpu, cache, loop, log, exitCode);
        Thread t = new Thread(stub::accept, "jvmx-gdb-accept");
        t.setDaemon(true);
        t.start();
        return stub;
    }

    /** The port listened on (the one given, or the system's choice for port 0 in tests). */
    public int port() {
        return server.getLocalPort();
    }

    // ---- threads other than the guest's

    private void accept() {
        while (!closed) {
            Socket s;
            try {
                s = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            GdbConnection c;
            try {
                c = new GdbConnection(s, listener, log);
            } catch (IOException e) {
                closeQuietly(s);
                continue;
            }
            synchronized (lock) {
                if (current != null) {
                    log.accept("gdb: refused a second client from " + c.peer + ": one client at a time");
                    c.close();
                    continue;
                }
                current = c;
                clientEvents++;
            }
            events.add(new Event(c, null, true, false));
            nudge("gdb connected");
            c.start();
        }
    }

    private final GdbConnection.Listener listener = new GdbConnection.Listener() {
        @Override
        public void packet(GdbConnection c, String payload) {
            synchronized (lock) {
                if (isResume(payload)) {
                    c.resumesQueued++;
                }
                events.add(new Event(c, payload, false, false));
            }
        }

        @Override
        public void interrupt(GdbConnection c) {
            // An interrupt for a guest already stopped is late: ignored. One that follows a resume
            // the guest's thread has not taken yet (gdb sent "c" and then 0x03 at once) stops the
            // run that resume starts, as it would had the bytes come further apart.
            synchronized (lock) {
                if (c != current || !(c.waitingForStop || c.resumesQueued > 0)) {
                    return;
                }
                interruptPending = true;
            }
            nudge("interrupted from gdb (Ctrl-C)");
        }

        @Override
        public void closed(GdbConnection c) {
            synchronized (lock) {
                if (c != current) {
                    return; // detached or refused: nothing to tell the guest's thread
                }
                clientEvents++;
                events.add(new Event(c, null, false, true));
            }
            nudge("the gdb client went away");
        }
    };

    /** Something for the guest's thread: an interrupt, or a client come or gone. Under {@link #lock}. */
    private boolean attention() {
        return interruptPending || clientEvents > 0;
    }

    /**
     * Asks the guest to stop for the stub and keeps asking while it runs, until the guest's
     * thread has seen what it is for (a request made as the loop starts could otherwise be lost).
     */
    private void nudge(String why) {
        Thread t = new Thread(() -> {
            while (!closed) {
                synchronized (lock) {
                    if (!attention()) {
                        return;
                    }
                    if (running) {
                        loop.requestDebugStop(why);
                    }
                }
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "jvmx-gdb-nudge");
        t.setDaemon(true);
        t.start();
    }

    // ---- the guest's thread

    /**
     * Runs the guest under the stub until the run ends: {@code guest} runs it until it stops
     * (Machine.run or the run control's); with {@code startStopped} (-S) the guest waits for
     * gdb before its first instruction.
     */
    public StopReason run(Supplier<StopReason> guest, boolean startStopped) {
        StopReason stop = startStopped ? StopReason.of(StopReason.Kind.DEBUG, "waiting for gdb (-S)") : null;
        boolean hold = startStopped;
        if (startStopped) {
            log.accept("gdb: waiting for gdb on " + address.spec() + " before the first instruction (-S)");
        }
        while (true) {
            if (stop == null) {
                stop = runGuest(guest);
            }
            if (stop.kind != StopReason.Kind.DEBUG) {
                finished(stop);
                return stop;
            }
            Action a = stopped(stop, hold);
            hold = false;
            switch (a) {
                case STEP:
                    stop = runGuest(loop::singleStep);
                    break;
                case KILL:
                    StopReason k = StopReason.of(StopReason.Kind.USER_QUIT, "killed from gdb");
                    finished(k);
                    return k;
                default:
                    stop = null;
                    break;
            }
        }
    }

    private StopReason runGuest(Supplier<StopReason> guest) {
        synchronized (lock) {
            if (attention()) {
                selfStop = StopReason.of(StopReason.Kind.DEBUG, interruptPending ? "interrupted from gdb (Ctrl-C)"
                        : "a gdb client came or went");
                interruptPending = false;
                return selfStop;
            }
            running = true;
        }
        try {
            return guest.get();
        } finally {
            synchronized (lock) {
                running = false;
                interruptPending = false; // this stop answers it
            }
        }
    }

    /** The guest is stopped for the debugger: tells the client and serves it until it resumes the guest. */
    private Action stopped(StopReason stop, boolean hold) {
        lastStopReply = stopReply(stop);
        GdbConnection c = current;
        boolean served = false; // the client saw this stop: if it goes away now, the guest stays stopped
        if (c != null && c.waitingForStop) {
            c.waitingForStop = false;
            served = c.isOpen(); // a client already gone (it may be why the guest stopped) saw nothing
            c.send(lastStopReply);
        }
        while (true) {
            Event e = events.poll();
            if (e == null) {
                if (current == null && !hold) {
                    debug.clear(); // nobody is debugging: the guest runs on
                    hardware.clear();
                    return Action.CONTINUE;
                }
                try {
                    e = events.take();
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    return Action.KILL;
                }
            }
            if (e.connected || e.closed) {
                synchronized (lock) {
                    clientEvents--;
                }
            }
            if (e.conn != current) {
                continue; // a client that is gone
            }
            if (e.connected) {
                log.accept("gdb: client connected from " + e.conn.peer);
                lastStopReply = "T" + Rsp.hex2(SIGTRAP) + "thread:1;";
                continue;
            }
            if (e.closed) {
                synchronized (lock) {
                    current = null;
                }
                debug.clear();
                hardware.clear();
                hold |= served;
                log.accept(hold ? "gdb: the client went away; the guest stays stopped until gdb connects again to "
                        + address.spec() : "gdb: the client went away; the guest runs on");
                continue;
            }
            served = true;
            Action a;
            try {
                a = handle(e.conn, e.packet);
            } catch (RuntimeException ex) {
                // A malformed command (bad hex, missing field): an error reply, the stub goes on.
                e.conn.send("E01");
                continue;
            } finally {
                if (isResume(e.packet)) {
                    synchronized (lock) {
                        e.conn.resumesQueued--;
                    }
                }
            }
            if (a != null) {
                return a;
            }
        }
    }

    /** Tells the client that the run ended (the W packet: the process exited with its code). */
    private void finished(StopReason r) {
        GdbConnection c = current;
        if (c != null) {
            if (c.waitingForStop) { // after k gdb expects nothing
                c.send("W" + Rsp.hex2(exitCode.applyAsInt(r)));
            }
            c.close();
        }
        close();
    }

    private String stopReply(StopReason stop) {
        String thread = "thread:1;";
        if (stop == selfStop) {
            return "T" + Rsp.hex2(stop.message.startsWith("interrupted") ? SIGINT : SIGTRAP) + thread;
        }
        switch (debug.cause()) {
            case BREAKPOINT: {
                int lin = cpu.seg[Seg.CS].base + cpu.eip;
                return "T" + Rsp.hex2(SIGTRAP) + thread + (hardware.contains(lin) ? "hwbreak:;" : "swbreak:;");
            }
            case WATCHPOINT: {
                DebugControl.Watch w = debug.watchHit();
                String kind = w.kind() == DebugControl.WATCH_WRITE ? "watch"
                        : w.kind() == DebugControl.WATCH_READ ? "rwatch" : "awatch";
                return "T" + Rsp.hex2(SIGTRAP) + thread + kind + ":" + Integer.toHexString(w.address()) + ";";
            }
            case STEP:
                return "T" + Rsp.hex2(SIGTRAP) + thread;
            default:
                return "T" + Rsp.hex2(stop.message.startsWith("interrupted") ? SIGINT : SIGTRAP) + thread;
        }
    }

    /** One command; returns how to resume the guest, or null to stay stopped. */
    private Action handle(GdbConnection c, String p) {
        if (p.isEmpty()) {
            c.send("");
            return null;
        }
        char cmd = p.charAt(0);
        String args = p.substring(1);
        switch (cmd) {
            case '?':
                c.send(lastStopReply);
                return null;
            case 'g':
                c.send(GdbRegisters.readAll(cpu));
                return null;
            case 'G':
                c.send(writeAll(args));
                return null;
            case 'p': {
                String v = GdbRegisters.read(cpu, (int) Rsp.parseHex(args));
                c.send(v == null ? "E00" : v);
                return null;
            }
            case 'P': {
                int eq = args.indexOf('=');
                String err = GdbRegisters.write(cpu, (int) Rsp.parseHex(args.substring(0, eq)), args, eq + 1);
                c.send(err == null ? "OK" : "E01");
                return null;
            }
            case 'm':
                c.send(readMemory(args));
                return null;
            case 'M':
                c.send(writeMemory(args, false));
                return null;
            case 'X':
                c.send(writeMemory(args, true));
                return null;
            case 'c':
            case 'C':
            case 's':
            case 'S':
                return resume(c, cmd, args);
            case 'Z':
            case 'z':
                c.send(breakpoint(cmd == 'Z', args));
                return null;
            case 'D':
                c.send("OK");
                detach(c);
                return Action.CONTINUE;
            case 'k':
                return Action.KILL;
            case 'H':
            case 'T':
                c.send("OK"); // one thread: any thread is it
                return null;
            case 'q':
            case 'Q':
                c.send(query(p));
                return null;
            case 'v':
                return verbose(c, p);
            default:
                c.send(""); // not supported
                return null;
        }
    }

    private Action resume(GdbConnection c, char cmd, String args) {
        // c [addr], s [addr], C sig[;addr], S sig[;addr]: the signal is not delivered (a PC has none).
        String addr = args;
        if (cmd == 'C' || cmd == 'S') {
            int semi = args.indexOf(';');
            addr = semi < 0 ? "" : args.substring(semi + 1);
        }
        if (!addr.isEmpty()) {
            cpu.eip = (int) Rsp.parseHex(addr);
        }
        c.waitingForStop = true;
        return cmd == 's' || cmd == 'S' ? Action.STEP : Action.CONTINUE;
    }

    /** Whether a packet resumes the guest (c, C, s, S, vCont with an action), as the reader thread sees it. */
    static boolean isResume(String p) {
        if (p.isEmpty()) {
            return false;
        }
        char c = p.charAt(0);
        return c == 'c' || c == 'C' || c == 's' || c == 'S' || p.startsWith("vCont;");
    }

    private void detach(GdbConnection c) {
        debug.clear();
        hardware.clear();
        synchronized (lock) {
            current = null;
        }
        c.close();
        log.accept("gdb: detached; the guest runs on");
    }

    private Action verbose(GdbConnection c, String p) {
        if (p.equals("vCont?")) {
            c.send("vCont;c;C;s;S");
            return null;
        }
        if (p.startsWith("vCont;")) {
            // Actions in order, each for the threads after ':' (or all): the first that covers thread 1 counts.
            for (String action : p.substring(6).split(";")) {
                int colon = action.indexOf(':');
                String thread = colon < 0 ? null : action.substring(colon + 1);
                if (thread != null && !thread.equals("1") && !thread.equals("-1") && !thread.equals("p1.1")
                        && !thread.equals("p1.-1")) {
                    continue;
                }
                char a = action.charAt(0);
                if (a == 'c' || a == 'C' || a == 's' || a == 'S') {
                    c.waitingForStop = true;
                    return a == 's' || a == 'S' ? Action.STEP : Action.CONTINUE;
                }
                break;
            }
            c.send("E01");
            return null;
        }
        if (p.startsWith("vKill")) {
            c.send("OK");
            return Action.KILL;
        }
        c.send(""); // vMustReplyEmpty and every other v packet
        return null;
    }

    private String query(String p) {
        if (p.startsWith("qSupported")) {
            return "PacketSize=" + Integer.toHexString(PACKET_SIZE)
                    + ";qXfer:features:read+;QStartNoAckMode+;swbreak+;hwbreak+;vContSupported+";
        }
        if (p.equals("QStartNoAckMode")) {
            return "OK";
        }
        if (p.startsWith("qXfer:features:read:")) {
            // qXfer:features:read:ANNEX:OFFSET,LENGTH
            String rest = p.substring("qXfer:features:read:".length());
            int colon = rest.indexOf(':');
            String annex = rest.substring(0, colon);
            if (!annex.equals("target.xml")) {
                return "E00";
            }
            String[] ol = rest.substring(colon + 1).split(",");
            int off = (int) Rsp.parseHex(ol[0]);
            int len = (int) Rsp.parseHex(ol[1]);
            String xml = TargetDescription.XML;
            if (off >= xml.length()) {
                return "l";
            }
            int end = (int) Math.min(xml.length(), (long) off + len);
            return (end == xml.length() ? "l" : "m") + xml.substring(off, end);
        }
        if (p.equals("qAttached") || p.startsWith("qAttached:")) {
            return "1"; // attached to a running machine: quitting gdb detaches instead of killing
        }
        if (p.equals("qC")) {
            return "QC1";
        }
        if (p.equals("qfThreadInfo")) {
            return "m1";
        }
        if (p.equals("qsThreadInfo")) {
            return "l";
        }
        if (p.startsWith("qSymbol")) {
            return "OK";
        }
        return "";
    }

    private String writeAll(String hex) {
        // Every register the packet holds is checked first: a G that cannot be taken whole changes nothing.
        int off = 0;
        int n = 0;
        for (; n < GdbRegisters.COUNT && off + 2 * GdbRegisters.SIZE[n] <= hex.length(); n++) {
            if (GdbRegisters.check(cpu, n, hex, off) != null) {
                return "E01";
            }
            off += 2 * GdbRegisters.SIZE[n];
        }
        off = 0;
        for (int r = 0; r < n; r++) {
            GdbRegisters.write(cpu, r, hex, off);
            off += 2 * GdbRegisters.SIZE[r];
        }
        return "OK";
    }

    private String readMemory(String args) {
        int comma = args.indexOf(',');
        int addr = (int) Rsp.parseHex(args.substring(0, comma));
        int len = (int) Math.min(Rsp.parseHex(args.substring(comma + 1)), PACKET_SIZE / 2);
        byte[] b = new byte[len];
        int n = memory.read(addr, len, b);
        return n == 0 && len > 0 ? "E14" : Rsp.hex(b, n);
    }

    private String writeMemory(String args, boolean binary) {
        int comma = args.indexOf(',');
        int colon = args.indexOf(':');
        int addr = (int) Rsp.parseHex(args.substring(0, comma));
        int len = (int) Rsp.parseHex(args.substring(comma + 1, colon));
        String data = args.substring(colon + 1);
        byte[] b = new byte[len];
        if (binary) {
            if (data.length() != len) {
                return "E01";
            }
            b = data.getBytes(StandardCharsets.ISO_8859_1);
        } else {
            if (data.length() != 2 * len) {
                return "E01";
            }
            for (int i = 0; i < len; i++) {
                b[i] = (byte) Rsp.parseByte(data, 2 * i);
            }
        }
        return memory.write(addr, b, len) ? "OK" : "E14";
    }

    /** Z/z TYPE,ADDR,KIND: 0 software and 1 hardware breakpoints, 2 write, 3 read and 4 access watchpoints. */
    private String breakpoint(boolean insert, String args) {
        String[] f = args.split("[,;]");
        int type = Integer.parseInt(f[0]);
        int addr = (int) Rsp.parseHex(f[1]);
        int kind = (int) Rsp.parseHex(f[2]);
        switch (type) {
            case 0:
            case 1:
                if (insert) {
                    debug.addBreakpoint(addr);
                    if (type == 1) {
                        hardware.add(addr);
                    } else {
                        hardware.remove(addr);
                    }
                } else {
                    debug.removeBreakpoint(addr);
                    hardware.remove(addr);
                }
                return "OK";
            case 2:
            case 3:
            case 4:
                if (kind < 1 || kind > 4096) {
                    return "E01";
                }
                if (insert) {
                    debug.addWatch(addr, kind, type);
                } else {
                    debug.removeWatch(addr, kind, type);
                }
                return "OK";
            default:
                return "";
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        GdbConnection c = current;
        if (c != null) {
            c.close();
        }
    }

    private static void closeQuietly(java.io.Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}

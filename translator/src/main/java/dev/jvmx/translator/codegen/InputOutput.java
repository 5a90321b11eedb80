package dev.jvmx.translator.codegen;

import dev.jvmx.translator.cpu.Cpu;
import dev.jvmx.translator.decode.Prefix;
import dev.jvmx.vmx.ExecutionControls;
import dev.jvmx.vmx.IoQualification;
import dev.jvmx.vmx.PrimaryProcessorControls;
import org.objectweb.asm.Opcodes;

/**
 * IN, OUT, INS, OUTS: VM exits with reason I/O instruction and the SDM's qualification,
 * fixed at translation time except for a port taken from DX. After IN or OUT the code leaves
 * its block only when something asked for attention ({@code cpu.interruptRequest}: a device
 * raised an interrupt, asked to stop, changed memory the block runs from), so that what a
 * device did is seen at once while a guest's run of port accesses stays in one block; INS and
 * OUTS end their block.
 *
 * <p>IN and OUT consult the execution controls at translation time (SDM Vol. 3C, "I/O
 * Instructions"): without "use I/O bitmaps", "unconditional I/O exiting" decides for every
 * port; with it, the bitmaps decide for an immediate port now and for a DX port at run time
 * ({@code ExitBridge.inChecked}). A passed access calls the device directly, with no exit.
 * INS/OUTS always exit. A shared first-tier handler, which serves every port of its form,
 * leaves the decision to run time (the bitmaps or "unconditional I/O exiting", as
 * {@code ExitBridge.inChecked} applies them), so it does not depend on the controls.
 */
final class InputOutput implements Opcodes {
    private InputOutput() { }

    /** How an IN/OUT leaves: a VM exit, a direct device access, or the bitmap asked at run time. */
    private enum Route { EXIT, PASS, CHECK }

    private static Route route(ExecutionControls c, boolean immediate, int port, int size) {
        if ((c.primary() & PrimaryProcessorControls.USE_IO_BITMAPS) == 0 || immediate) {
            return c.ioExits(port, size) ? Route.EXIT : Route.PASS;
        }
        return Route.CHECK;
    }

    static void in(Emitter e) {
        inOut(e, true, 1);
    }

    static void out(Emitter e) {
        inOut(e, false, 0);
    }

    static void ins(Emitter e) {
        string(e, true);
    }

    static void outs(Emitter e) {
        string(e, false);
    }

    /** Pushes the port into a new temp: the immediate (operand {@code i}), or DX; then the I/O permission check. */
    private static int port(Emitter e, int i, int size) {
        int port = e.temp();
        if (i >= 0) {
            e.pushImm(i, 1);
        } else {
            e.loadReg(Cpu.EDX, 2);
        }
        e.istore(port);
        if (e.protectedMode()) {
            // CPL > IOPL (or virtual-8086 mode) consults the TSS I/O permission bitmap.
            e.aloadCpu();
            e.iload(port);
            e.iconst(size);
            e.call(Calls.IO_PERMISSION);
        }
        return port;
    }

    private static void inOut(Emitter e, boolean in, int portOperand) {
        int size = e.size();
        boolean immediate = e.isImm(portOperand);
        Integer known = immediate ? e.knownImm(portOperand) : null;
        int fixedPort = known != null ? known & 0xFF : 0;
        // The qualification's port field is filled in by the bridge from the port argument.
        long qual = IoQualification.encode(size, in, false, false, immediate, 0);
        int port = port(e, immediate ? portOperand : -1, size);
        // A shared handler serves every port and every set of controls: it asks at run time.
        Route route = !e.valuesKnown() ? Route.CHECK : route(e.controls(), immediate, fixedPort, size);
        e.aloadCpu();
        if (route == Route.PASS) {
            e.iload(port);
            e.iconst(size);
        } else {
            e.lconst(qual);
            e.iload(port);
        }
        if (!in) {
            e.loadReg(Cpu.EAX, size);
        }
        switch (route) {
            case PASS: e.call(in ? Calls.PORT_IN : Calls.PORT_OUT); break;
            case EXIT:
                e.pushLength();
                e.call(in ? Calls.IO_IN : Calls.IO_OUT);
                break;
            default:
                e.pushLength();
                e.call(in ? Calls.IO_IN_CHECKED : Calls.IO_OUT_CHECKED);
                break;
        }
        if (in) {
            e.mask(size);
            e.storeReg(Cpu.EAX, size);
        }
        e.leaveIfRequested();
    }

    private static void string(Emitter e, boolean in) {
        int size = e.size();
        boolean rep = e.hasPrefix(Prefix.REP) || e.hasPrefix(Prefix.REPNE);
        long qual = IoQualification.encode(size, in, true, rep, false, 0);
        int port = port(e, -1, size);
        e.callWithState(in ? Calls.INS : Calls.OUTS, () -> {
            e.lconst(qual);
            e.iload(port);
            e.iconst(size);
            e.iconst(e.addressSize());
            e.iconst(e.segOverride());
            e.pushNext();
        });
        e.endBlockAfter();
    }
}

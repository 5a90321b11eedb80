package dev.jvmx.devices.apic;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages between the local APICs of a machine with several processors and from its I/O
 * APIC (SDM Vol. 3A, 11.6): an IPI names its destinations by shorthand (self, all including self,
 * all excluding self) or by a destination field in physical or logical mode, and every APIC the
 * message names accepts it; a lowest-priority message goes to one of them only.
 */
public final class ApicBus {
    private final List<LocalApic> apics = new ArrayList<>();

    /** Puts {@code apic} on the bus: its ICR then reaches the others. */
    public void attach(LocalApic apic) {
        apics.add(apic);
        apic.setBus(this);
    }

    public List<LocalApic> apics() {
        return List.copyOf(apics);
    }

    /** The IPI that {@code source}'s ICR describes ({@code low}: ICR[31:0]; {@code dest}: the destination field). */
    void sendIpi(LocalApic source, int low, int dest, boolean x2) {
        int vector = low & LocalApic.VECTOR;
        int mode = (low >>> LocalApic.DELIVERY_MODE_SHIFT) & 7;
        boolean logical = (low & LocalApic.ICR_DEST_LOGICAL) != 0;
        int shorthand = (low >>> LocalApic.ICR_SHORTHAND_SHIFT) & 3;
        if (mode == LocalApic.INIT && (low & LocalApic.ICR_LEVEL_ASSERT) == 0 && (low & LocalApic.TRIGGER_LEVEL) != 0) {
            return; // INIT level de-assert: only synchronises arbitration IDs, no processor acts on it (11.6.1)
        }
        if (mode == LocalApic.SMI) {
            return; // no processor here has SMM
        }
        if ((mode == LocalApic.FIXED || mode == LocalApic.LOWEST_PRIORITY) && vector < 16) {
            return; // a send error (the sender's ESR has it); nothing goes out
        }
        List<LocalApic> to = new ArrayList<>();
        for (LocalApic a : apics) {
            boolean named;
            switch (shorthand) {
                case LocalApic.SHORTHAND_SELF:
                    named = a == source;
                    break;
                case LocalApic.SHORTHAND_ALL:
                    named = true;
                    break;
                case LocalApic.SHORTHAND_OTHERS:
                    named = a != source;
                    break;
                default:
                    named = a.matchesDestination(logical, x2 ? dest : dest & 0xFF);
                    break;
            }
            if (named) {
                to.add(a);
            }
        }
        // IPIs arrive as edge-triggered messages: TMR stays clear whatever the trigger-mode bit says.
        deliver(to, mode, vector, false, shorthand == LocalApic.SHORTHAND_NONE);
    }

    /**
     * A message from the I/O APIC: delivered to the APICs its destination names. Returns whether
     * one accepted it.
     */
    public boolean deliverMessage(boolean logical, int dest, int mode, int vector, boolean level) {
        List<LocalApic> to = new ArrayList<>();
        for (LocalApic a : apics) {
            if (a.matchesDestination(logical, dest)) {
                to.add(a);
            }
        }
        return deliver(to, mode, vector, level, true);
    }

    private static boolean deliver(List<LocalApic> to, int mode, int vector, boolean level, boolean arbitrate) {
        if (to.isEmpty()) {
            return false;
        }
        if (mode == LocalApic.LOWEST_PRIORITY && arbitrate && to.size() > 1) {
            // 11.6.2.4: the processor at the lowest priority takes it; between equals, the lowest APIC ID.
            LocalApic best = to.get(0);
            for (LocalApic a : to) {
                int p = a.processorPriority(), bp = best.processorPriority();
                if (p < bp || (p == bp && a.apicId() < best.apicId())) {
                    best = a;
                }
            }
            to = List.of(best);
        }
        for (LocalApic a : to) {
            a.accept(mode, vector, level);
        }
        return true;
    }
}

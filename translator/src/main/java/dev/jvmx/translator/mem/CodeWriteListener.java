package dev.jvmx.translator.mem;

/** Told before a guest write lands on a physical page that holds translated code. */
public interface CodeWriteListener {
    void codeWritten(int phys, int size);
}

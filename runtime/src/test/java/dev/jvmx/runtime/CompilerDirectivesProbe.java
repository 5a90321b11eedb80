package dev.jvmx.runtime;

import dev.jvmx.translator.exec.HotSpotCompiles;

/**
 * CompilerDirectivesTest's child JVM: adds the directives of a file, then prints HotSpot's
 * report and its directive stack, each after a separator line; with {@code --background}, adds
 * them as jvmx does and prints nothing of its own.
 */
final class CompilerDirectivesProbe {
    static final String SEPARATOR = "----";

    private CompilerDirectivesProbe() { }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("--background")) {
            CompilerDirectives.addInBackground(args[1]);
            Thread.sleep(2000); // time for the thread to fail, or not
            return;
        }
        if (Boolean.getBoolean("jvmx.directivesProbe.expectWhiteBox")
                && HotSpotCompiles.addCompilerDirectives("[]") < 0) {
            throw new IllegalStateException("WhiteBox is not bound in this JVM");
        }
        String added = CompilerDirectives.add(args[0]);
        System.out.println(SEPARATOR);
        System.out.print(added);
        System.out.println(SEPARATOR);
        System.out.print(CompilerDirectives.diagnosticCommand("Compiler.directives_print"));
        System.out.flush();
    }
}

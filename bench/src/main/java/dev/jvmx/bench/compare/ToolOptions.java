package dev.jvmx.bench.compare;

/**
 * A bench tool's option values, each checked: a missing or bad one is a message on standard error,
 * with the tool's name, and exit code 2.
 */
final class ToolOptions {
    private final String tool;

    ToolOptions(String tool) {
        this.tool = tool;
    }

    /** The option's value; a message and exit code 2 when there is none. */
    String need(String v, String option) {
        if (v == null) {
            fail(option + " needs a value");
        }
        return v;
    }

    /** The option's value as a whole number from min to max; else a usage message and exit code 2. */
    long number(String v, String option, long min, long max) {
        need(v, option);
        try {
            long n = Long.parseLong(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(option + " expects a whole number from " + min + " to " + max + ", got '" + v + "'");
        return 0;
    }

    /** The message on standard error, then exit code 2. */
    void fail(String message) {
        System.err.println(tool + ": " + message);
        System.exit(2);
    }
}

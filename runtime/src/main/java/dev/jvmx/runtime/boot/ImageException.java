package dev.jvmx.runtime.boot;

/** A guest image that is missing, unreadable or malformed: reported in one line, exit code 2. */
public final class ImageException extends Exception {
    public ImageException(String message) {
        super(message);
    }
}

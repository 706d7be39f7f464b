package dev.kolibri.fetch;

import java.io.IOException;

/**
 * Content did not match what it was declared to be: wrong sha256, wrong size, or longer than declared. The message
 * names the source (a package and URL, or a file), the expected and the actual value.
 */
public final class DigestMismatchException extends IOException {
    private final String source;
    private final String expected;
    private final String actual;

    DigestMismatchException(String message, String source, String expected, String actual) {
        super(message);
        this.source = source;
        this.expected = expected;
        this.actual = actual;
    }

    static DigestMismatchException digest(String source, String expectedHex, String actualHex) {
        return new DigestMismatchException(source + ": sha256 mismatch: expected " + expectedHex + ", got "
                + actualHex + "; the file is refused (the mirror may be out of date: refresh the lock)",
                source, "sha256:" + expectedHex, "sha256:" + actualHex);
    }

    static DigestMismatchException size(String source, long expected, long actual) {
        return new DigestMismatchException(source + ": size mismatch: expected " + expected + " bytes, got " + actual
                + "; the file is refused (the mirror may be out of date: refresh the lock)",
                source, expected + " bytes", actual + " bytes");
    }

    static DigestMismatchException tooLong(String source, long expected) {
        return new DigestMismatchException(source + ": longer than the declared " + expected
                + " bytes; the file is refused (the mirror may be out of date: refresh the lock)",
                source, expected + " bytes", "more than " + expected + " bytes");
    }

    /** What was being read: a package name and URL, or a file. */
    public String source() {
        return source;
    }

    /** The declared value ({@code sha256:<hex>} or {@code N bytes}). */
    public String expected() {
        return expected;
    }

    /** The value found ({@code sha256:<hex>} or {@code N bytes}). */
    public String actual() {
        return actual;
    }
}

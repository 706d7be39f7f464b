package dev.kolibri.describe;

/** An image that cannot be described; the message names the image and says what to do. */
public class DescribeException extends Exception {
    public DescribeException(String message) {
        super(message);
    }

    public DescribeException(String message, Throwable cause) {
        super(message, cause);
    }
}

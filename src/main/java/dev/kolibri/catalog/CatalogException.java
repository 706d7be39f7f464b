package dev.kolibri.catalog;

/** A catalog that cannot be read, built or tested as asked; the message says which image and what to do. */
public class CatalogException extends RuntimeException {
    public CatalogException(String message) {
        super(message);
    }

    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }
}

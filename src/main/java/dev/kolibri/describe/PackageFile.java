package dev.kolibri.describe;

/**
 * The package file a build installed a package from (known at build time from the lock, not from an image).
 *
 * @param sha256 lowercase hex sha256 of the file
 * @param url    where it was fetched
 */
public record PackageFile(String sha256, String url) {}

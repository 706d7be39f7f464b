package dev.kolibri.fetch;

/**
 * What one {@link Downloader#fetch} call did.
 *
 * @param fromCache       packages found (and verified) in the content store
 * @param downloaded      packages downloaded (or copied from a {@code file:} URL) into the store
 * @param failed          packages that could not be fetched
 * @param bytesFromCache  total size of the packages found in the store
 * @param bytesDownloaded total size of the packages downloaded (final, verified attempts only)
 * @param retries         attempts repeated after a transient error or a digest mismatch
 */
public record FetchSummary(int fromCache, int downloaded, int failed, long bytesFromCache, long bytesDownloaded,
                           int retries) {
}

package dev.kolibri.registry;

import dev.kolibri.oci.Descriptor;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One chunked blob upload: {@code PATCH} chunks with {@code Content-Range}, then {@code PUT ?digest=}. When a chunk
 * fails (dropped connection, 5xx, 416) the upload URL is asked for its {@code Range} ({@code GET}) and the upload
 * continues from the offset the registry has; after too many failures the caller starts a new upload.
 */
final class ChunkedUpload {
    private static final Pattern RANGE = Pattern.compile("(?:bytes=)?(\\d+)-(-?\\d+)");

    private final RegistryClient client;
    private final String repo;
    private final Descriptor d;
    private final Supplier<InputStream> content;
    private URI location;
    /** How many times the upload resumed after a failed chunk (for tests and reports). */
    int resumes;

    ChunkedUpload(RegistryClient client, String repo, Descriptor d, Supplier<InputStream> content, URI location) {
        this.client = client;
        this.repo = repo;
        this.d = d;
        this.content = content;
        this.location = location;
    }

    void run() throws RegistryException {
        long offset = 0;
        int failures = 0;
        InputStream in = open(0);
        try {
            while (offset < d.size()) {
                int n = (int) Math.min(client.chunkSize(), d.size() - offset);
                byte[] chunk;
                try {
                    chunk = in.readNBytes(n);
                } catch (IOException e) {
                    throw new RegistryException("BLOB_UPLOAD_INVALID", 0, false, "blob_upload_invalid: " + client.host() + "/"
                            + repo + ": cannot read blob " + d.digest() + ": " + RegistryClient.oneLine(e.getMessage()), e);
                }
                if (chunk.length < n) {
                    throw new RegistryException("SIZE_INVALID", 0, false, "size_invalid: " + client.host() + "/" + repo
                            + ": blob " + d.digest() + " has fewer bytes than its descriptor's " + d.size());
                }
                long end = offset + n - 1;
                RegistryClient.Call c = new RegistryClient.Call("PATCH", repo, location, true)
                        .header("Content-Type", "application/octet-stream")
                        .header("Content-Range", offset + "-" + end)
                        .body(() -> BodyPublishers.ofByteArray(chunk));
                RegistryException failure;
                try {
                    HttpResponse<byte[]> r = client.send(c, BodyHandlers.ofByteArray(), false);
                    if (r.statusCode() == 202) {
                        location = client.location(r);
                        offset = end + 1;
                        continue;
                    }
                    failure = client.error(r, repo, "chunk " + offset + "-" + end + " of blob " + d.digest() + " was refused");
                    if (!failure.isTemporary() && r.statusCode() != 416) throw failure;
                } catch (RegistryException e) {
                    if (!e.isTemporary()) throw e;
                    failure = e;
                }
                if (++failures >= client.maxAttempts()) throw failure;
                client.sleep(failures);
                long resumeAt = status(failure);
                resumes++;
                close(in);
                in = open(resumeAt);
                offset = resumeAt;
            }
        } finally {
            close(in);
        }
        RegistryClient.Call put = new RegistryClient.Call("PUT", repo,
                RegistryClient.withQuery(location, "digest=" + RegistryClient.enc(d.digest().toString())), true)
                .header("Content-Type", "application/octet-stream")
                .body(BodyPublishers::noBody);
        HttpResponse<byte[]> r = client.send(put, BodyHandlers.ofByteArray(), false);
        if (r.statusCode() != 201) throw client.error(r, repo, "cannot finish the upload of blob " + d.digest());
        client.checkStored(r, repo, d);
    }

    /** Asks the upload URL how many bytes it holds; returns the offset to continue from. */
    private long status(RegistryException failure) throws RegistryException {
        RegistryClient.Call c = new RegistryClient.Call("GET", repo, location, true);
        HttpResponse<byte[]> r = client.send(c, BodyHandlers.ofByteArray(), true);
        if (r.statusCode() != 204 && r.statusCode() != 200) {
            RegistryException e = client.error(r, repo, "upload of blob " + d.digest() + " cannot be resumed");
            e.addSuppressed(failure);
            throw new RegistryException("BLOB_UPLOAD_INVALID", e.status(), false, e.getMessage(), e);
        }
        if (r.headers().firstValue("Location").isPresent()) location = client.location(r);
        String range = r.headers().firstValue("Range").orElse("0-0");
        Matcher m = RANGE.matcher(range.strip());
        if (!m.matches()) {
            throw new RegistryException("BLOB_UPLOAD_INVALID", r.statusCode(), false, "blob_upload_invalid: " + client.host()
                    + "/" + repo + ": the upload of " + d.digest() + " reports a malformed Range '" + range + "'");
        }
        long last = Long.parseLong(m.group(2));
        // "0-0" is what registries answer for an empty upload; an upload never holds a single byte here since
        // chunks are at least 1024 bytes (a registry that really holds one byte answers 416 to the next chunk).
        long next = last <= 0 ? 0 : last + 1;
        if (next > d.size()) {
            throw new RegistryException("BLOB_UPLOAD_INVALID", r.statusCode(), false, "blob_upload_invalid: " + client.host()
                    + "/" + repo + ": the upload of " + d.digest() + " holds " + next + " bytes, more than the blob's " + d.size());
        }
        return next;
    }

    private InputStream open(long offset) throws RegistryException {
        InputStream in = content.get();
        try {
            in.skipNBytes(offset);
        } catch (IOException e) {
            close(in);
            throw new RegistryException("SIZE_INVALID", 0, false, "size_invalid: " + client.host() + "/" + repo + ": cannot seek to "
                    + offset + " in blob " + d.digest() + ": " + RegistryClient.oneLine(e.getMessage()), e);
        }
        return in;
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to do
        }
    }
}

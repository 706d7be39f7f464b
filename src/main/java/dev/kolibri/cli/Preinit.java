package dev.kolibri.cli;

import java.security.MessageDigest;

/**
 * Start-up work done on a second core while the first one parses the command line and reads the definition and
 * the lock: initializing Jackson's data binding (the first {@code ObjectMapper} costs a short command more than
 * all its JSON), the HTTP client's classes for the registry verbs, and for a build getting SHA-256 compiled to its
 * CPU instructions before packages and layers are hashed. The
 * same idea as Spring Boot's background pre-initializer. It only warms shared JVM state: nothing it computes is
 * used, and a failure here changes nothing but timing.
 */
final class Preinit {
    private Preinit() {}

    /** Starts the warm-up for {@code verb} on a daemon thread and returns at once (nothing for other verbs). */
    static void start(String verb) {
        boolean json = switch (verb) {
            case "build", "lock", "scan", "push", "pull", "inspect", "diff", "sbom", "sign", "attest", "verify" -> true;
            default -> false;
        };
        if (!json) return;
        boolean hashes = verb.equals("build");
        boolean registry = switch (verb) {
            case "push", "pull", "sign", "attest", "verify" -> true;
            default -> false;
        };
        Thread t = new Thread(() -> run(hashes, registry), "kolibri-preinit");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    private static void run(boolean hashes, boolean registry) {
        try {
            if (registry) dev.kolibri.registry.RegistryClient.warmUp();
            new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(java.util.Map.of("k", java.util.List.of(1)));
            if (!hashes) return;
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] block = new byte[1 << 16];
            for (int i = 0; i < 64; i++) md.update(block);
            md.digest();
        } catch (Exception | LinkageError e) {
            // warming up is an optimisation only
        }
    }
}

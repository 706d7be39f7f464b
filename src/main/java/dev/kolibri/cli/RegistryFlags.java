package dev.kolibri.cli;

import dev.kolibri.publish.RegistryOptions;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;

/** The registry options shared by push, pull, sign, attest, verify and {@code build --push}. */
final class RegistryFlags {
    @Option(names = "--insecure", split = ",", paramLabel = "HOST",
            description = "speak plain HTTP to this registry host[:port] (repeatable; loopback hosts need no flag)")
    List<String> insecure = List.of();

    @Option(names = "--ca-cert", paramLabel = "FILE", description = "a PEM bundle of CA certificates to trust besides the system's")
    Path caCert;

    RegistryOptions options() {
        return RegistryOptions.defaults().withInsecure(new LinkedHashSet<>(insecure)).withCaCert(caCert);
    }
}

package dev.kolibri.repo;

import dev.kolibri.testing.Tools;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The reference resolver: the real dnf (libsolv), in an empty install root, with only the fixture repository, asked
 * to install and then to abort ({@code --assumeno}); the transaction table it prints is the answer.
 */
public final class DnfOracle {
    /** The packages dnf would install as {@code name=version/arch} (epoch omitted when 0), sorted; or its error. */
    public record Answer(List<String> ids, String error) {}

    private DnfOracle() {}

    public static Answer install(URI repo, Path work, boolean weakDeps, String arch, String... specs) throws IOException {
        Tools.require("dnf");
        Path root = Files.createTempDirectory(work, "root");
        Path reposdir = Files.createDirectories(root.resolve("reposdir-empty"));
        Path conf = Files.writeString(root.resolve("dnf.conf"), "[main]\n");
        Files.createDirectories(root.resolve("log"));
        List<String> cmd = new ArrayList<>(List.of("dnf", "--config=" + conf, "--installroot=" + root.resolve("r"),
                "--releasever=1", "--forcearch=" + arch, "--noplugins",
                "--setopt=reposdir=" + reposdir, "--setopt=cachedir=" + root.resolve("cache"),
                "--setopt=logdir=" + root.resolve("log"), "--setopt=persistdir=" + root.resolve("persist"),
                "--repofrompath=fix," + repo, "--setopt=fix.gpgcheck=0",
                "--setopt=install_weak_deps=" + (weakDeps ? "True" : "False"),
                "--assumeno", "install"));
        cmd.addAll(List.of(specs));
        Tools.Result r = Tools.run(root, Map.of("LC_ALL", "C.UTF-8", "COLUMNS", "200"), cmd);
        if (r.err().contains("Error:") || r.out().contains("Error:") || !r.out().contains("Transaction Summary")) {
            String all = (r.out() + "\n" + r.err()).strip();
            if (!all.contains("Error:") && !all.contains("Problem")) throw new AssertionError("dnf: unexpected output\n" + all);
            return new Answer(List.of(), all);
        }
        return new Answer(parse(r.out()), null);
    }

    /** The rows of the "Installing..." sections of dnf's transaction table. */
    static List<String> parse(String out) {
        TreeSet<String> ids = new TreeSet<>();
        boolean in = false;
        String carry = "";
        for (String line : out.split("\n")) {
            if (line.startsWith("Installing")) {
                in = true;
                continue;
            }
            if (!line.startsWith(" ")) {
                in = false;
                continue;
            }
            if (!in) continue;
            String[] f = (carry + " " + line).strip().split("\\s+");
            if (f.length < 5) {
                carry = carry + " " + line.strip();
                continue;
            }
            carry = "";
            ids.add(f[0] + "=" + f[2] + "/" + f[1]);
        }
        return List.copyOf(ids);
    }
}

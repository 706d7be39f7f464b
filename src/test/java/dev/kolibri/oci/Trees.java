package dev.kolibri.oci;

import dev.kolibri.fs.EntryType;
import dev.kolibri.fs.FileEntry;
import dev.kolibri.fs.FileTree;

import java.nio.charset.StandardCharsets;

/** Hand-built file trees covering what a layer must carry. */
final class Trees {
    static final long EPOCH = 1_700_000_000L;
    /** A path longer than ustar's 100-byte name field. */
    static final String LONG_PATH = "usr/share/doc/a-package-with-a-rather-long-name/examples/and/some/more/nested/"
            + "directories/that/go/on/README.txt";

    private Trees() {}

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** The amd64 tree; {@code arm64} adds an arch-specific library. */
    static FileTree tree(String arch) {
        FileTree t = new FileTree();
        long m = EPOCH - 100;
        t.put(FileEntry.directory("etc", 0755, 0, 0, m, "base-files"));
        t.put(FileEntry.file("etc/os-release", 0644, 0, 0, m, utf8("ID=kolibri\n"), "base-files"));
        t.put(FileEntry.file("etc/passwd", 0644, 0, 0, m, utf8("root:x:0:0::/root:/sbin/nologin\nnonroot:x:65532:65532::/home/nonroot:/sbin/nologin\n"), ""));
        t.put(FileEntry.symlink("etc/localtime", "/usr/share/zoneinfo/UTC", 0, 0, m, "base-files"));
        t.put(FileEntry.directory("home", 0755, 0, 0, m, "base-files"));
        t.put(FileEntry.directory("home/nonroot", 0700, 65532, 65532, m, ""));
        t.put(FileEntry.directory("tmp", 01777, 0, 0, m, "base-files"));
        t.put(FileEntry.symlink("bin", "usr/bin", 0, 0, m, "base-files"));
        t.put(FileEntry.directory("usr", 0755, 0, 0, m, "base-files"));
        t.put(FileEntry.directory("usr/bin", 0755, 0, 0, m, "base-files"));
        t.put(FileEntry.file("usr/bin/tool", 0755, 0, 0, m, utf8("#!/usr/bin/true\n" + arch + "\n"), "coreutils"));
        // A hardlink that sorts before its target, and one after it.
        t.put(new FileEntry("usr/bin/atool", EntryType.HARDLINK, 0755, 0, 0, m, "usr/bin/tool", null, "coreutils"));
        t.put(new FileEntry("usr/bin/tool-hard", EntryType.HARDLINK, 0755, 0, 0, m, "usr/bin/tool", null, "coreutils"));
        t.put(FileEntry.symlink("usr/bin/tool2", "tool", 0, 0, m, "coreutils"));
        t.put(FileEntry.file("usr/bin/su", 04755, 0, 0, m, utf8("setuid " + arch), "login"));
        t.put(FileEntry.file("usr/bin/wall", 02755, 0, 5, m, utf8("setgid"), "login"));
        t.put(FileEntry.file("usr/lib/late", 0644, 0, 0, EPOCH + 86_400, utf8("from the future"), "coreutils"));
        t.put(FileEntry.file(LONG_PATH, 0644, 0, 0, m, utf8("long"), "coreutils"));
        t.put(FileEntry.file("usr/share/doc/\u00fcml\u00e4ut.txt", 0644, 1000, 1000, m, utf8("non-ascii name"), "coreutils"));
        if (arch.equals("arm64")) {
            t.put(FileEntry.file("usr/lib/aarch64-linux-gnu/libc.so.6", 0755, 0, 0, m, new byte[4096], "libc6"));
        }
        return t;
    }
}

package dev.kolibri.pkg.rpm;

import java.util.ArrayList;
import java.util.List;

/** Builds the file list of a main header from its parallel file-info arrays, checking that they agree. */
final class FileTable {
    private FileTable() {}

    static List<RpmFile> of(RpmHeader h, String label) {
        List<String> paths = paths(h, label);
        int n = paths.size();
        if (n == 0) return List.of();
        long[] modes = need(h, RpmTags.FILEMODES, n, label);
        long[] sizes = h.has(RpmTags.LONGFILESIZES) ? need(h, RpmTags.LONGFILESIZES, n, label) : opt(h, RpmTags.FILESIZES, n, label);
        long[] mtimes = opt(h, RpmTags.FILEMTIMES, n, label);
        long[] flags = opt(h, RpmTags.FILEFLAGS, n, label);
        long[] devices = opt(h, RpmTags.FILEDEVICES, n, label);
        long[] inodes = opt(h, RpmTags.FILEINODES, n, label);
        List<String> links = optStrings(h, RpmTags.FILELINKTOS, n, label);
        List<String> users = optStrings(h, RpmTags.FILEUSERNAME, n, label);
        List<String> groups = optStrings(h, RpmTags.FILEGROUPNAME, n, label);
        List<String> digests = optStrings(h, RpmTags.FILEDIGESTS, n, label);
        List<RpmFile> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String user = users == null || users.get(i).isEmpty() ? "root" : users.get(i);
            String group = groups == null || groups.get(i).isEmpty() ? "root" : groups.get(i);
            out.add(new RpmFile(paths.get(i), (int) modes[i], sizes == null ? 0 : sizes[i], user, group,
                    mtimes == null ? 0 : mtimes[i], links == null ? "" : links.get(i), flags == null ? 0 : (int) flags[i],
                    digests == null ? "" : digests.get(i), devices == null ? 0 : devices[i],
                    inodes == null ? i + 1 : inodes[i]));
        }
        return out;
    }

    private static List<String> paths(RpmHeader h, String label) {
        if (h.has(RpmTags.BASENAMES)) {
            List<String> base = h.strings(RpmTags.BASENAMES);
            List<String> dirs = h.strings(RpmTags.DIRNAMES);
            long[] idx = h.numbers(RpmTags.DIRINDEXES);
            if (idx.length != base.size()) {
                throw new RpmArchiveException(label + ": header has " + base.size() + " BASENAMES but " + idx.length + " DIRINDEXES");
            }
            List<String> out = new ArrayList<>(base.size());
            for (int i = 0; i < base.size(); i++) {
                if (idx[i] >= dirs.size()) {
                    throw new RpmArchiveException(label + ": DIRINDEXES[" + i + "] = " + idx[i] + " but there are " + dirs.size() + " DIRNAMES");
                }
                out.add(dirs.get((int) idx[i]) + base.get(i));
            }
            return out;
        }
        return h.strings(RpmTags.OLDFILENAMES);
    }

    private static long[] need(RpmHeader h, int tag, int n, String label) {
        long[] v = opt(h, tag, n, label);
        if (v == null) throw new RpmArchiveException(label + ": header lists " + n + " files but has no tag " + tag);
        return v;
    }

    private static long[] opt(RpmHeader h, int tag, int n, String label) {
        if (!h.has(tag)) return null;
        long[] v = h.numbers(tag);
        if (v.length != n) throw new RpmArchiveException(label + ": header lists " + n + " files but tag " + tag + " has " + v.length + " values");
        return v;
    }

    private static List<String> optStrings(RpmHeader h, int tag, int n, String label) {
        if (!h.has(tag)) return null;
        List<String> v = h.strings(tag);
        if (v.size() != n) throw new RpmArchiveException(label + ": header lists " + n + " files but tag " + tag + " has " + v.size() + " values");
        return v;
    }
}

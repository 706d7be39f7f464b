package dev.kolibri.sbom;

/** The source package a binary package was built from: {@code (deb, glibc, 2.36-9)}, {@code (rpm, bash, 5.2.26-3.fc40)}. */
record SourcePackage(String ecosystem, String name, String version) implements Comparable<SourcePackage> {

    /** The source package of a binary; an RPM {@code .src.rpm} file name is split into name and version-release. */
    static SourcePackage of(SbomPackage p) {
        if (p.ecosystem().equals("rpm")) {
            String srpm = p.sourceName();
            String base = stripSuffix(srpm);
            if (base != null) {
                int r = base.lastIndexOf('-');
                int v = r > 0 ? base.lastIndexOf('-', r - 1) : -1;
                if (v > 0) return new SourcePackage("rpm", base.substring(0, v), base.substring(v + 1));
                throw new SbomException("package " + p.name() + ": source RPM '" + srpm + "' is not NAME-VERSION-RELEASE.src.rpm");
            }
            return new SourcePackage("rpm", srpm, withoutEpoch(p.sourceVersion()));
        }
        return new SourcePackage(p.ecosystem(), p.sourceName(), p.sourceVersion());
    }

    /** {@code bash-5.2.26-3.fc40.src.rpm}: what RPM's SOURCERPM tag holds and syft writes as {@code upstream}. */
    String srpmFileName() {
        return name + "-" + version + ".src.rpm";
    }

    private static String stripSuffix(String s) {
        if (s.endsWith(".src.rpm")) return s.substring(0, s.length() - ".src.rpm".length());
        if (s.endsWith(".nosrc.rpm")) return s.substring(0, s.length() - ".nosrc.rpm".length());
        return null;
    }

    private static String withoutEpoch(String v) {
        int colon = v.indexOf(':');
        return colon > 0 && v.substring(0, colon).chars().allMatch(Character::isDigit) ? v.substring(colon + 1) : v;
    }

    @Override
    public int compareTo(SourcePackage o) {
        int c = ecosystem.compareTo(o.ecosystem);
        if (c == 0) c = name.compareTo(o.name);
        return c != 0 ? c : version.compareTo(o.version);
    }
}

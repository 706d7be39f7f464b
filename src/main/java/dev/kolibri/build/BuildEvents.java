package dev.kolibri.build;

/** What a build tells the person running it while it works. The CLI prints these; tests collect them. */
public interface BuildEvents {
    /** A stage started or an informative line ({@code resolving amd64}, {@code wrote out/python}). */
    void info(String line);

    /** Something the person should know about but which does not stop the build. */
    void warn(String line);

    BuildEvents SILENT = new BuildEvents() {
        @Override public void info(String line) {}
        @Override public void warn(String line) {}
    };
}

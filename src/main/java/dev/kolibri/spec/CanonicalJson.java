package dev.kolibri.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The canonical JSON rendering of an effective image definition, the input of {@link ImageSpec#digest()}. */
final class CanonicalJson {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    private CanonicalJson() {}

    static String of(ImageSpec s) {
        Map<String, Object> m = new TreeMap<>();
        m.put("name", s.name());
        if (s.version() != null) m.put("version", s.version());
        List<Object> repos = new ArrayList<>();
        for (RepositorySpec r : s.repositories()) {
            Map<String, Object> rm = new TreeMap<>();
            rm.put("type", r.type());
            rm.put("url", r.url());
            if (r.suite() != null) rm.put("suite", r.suite());
            rm.put("components", r.components());
            if (r.keyring() != null) rm.put("keyring", r.keyring());
            repos.add(rm);
        }
        m.put("repositories", repos);
        m.put("packages", s.packages().stream().sorted().toList());
        m.put("archs", s.archs());
        m.put("user", s.user());
        m.put("workdir", s.workdir());
        m.put("entrypoint", s.entrypoint());
        m.put("cmd", s.cmd());
        m.put("env", s.env());
        m.put("labels", s.labels());
        m.put("layering", Map.of("strategy", s.layering().strategy().id(), "budget", s.layering().budget()));
        m.put("allow-shell", s.allowShell());
        m.put("install-weak-deps", s.installWeakDeps());
        if (!s.contents().isEmpty()) {
            List<Object> contents = new ArrayList<>();
            for (ContentSpec c : s.contents()) {
                Map<String, Object> cm = new TreeMap<>();
                cm.put("from", c.from());
                cm.put("to", c.to());
                cm.put("owner", c.owner());
                if (c.mode() != null) cm.put("mode", c.modeOctal());
                cm.put("replace", c.replace());
                contents.add(cm);
            }
            m.put("contents", contents);
        }
        if (s.main() != null) m.put("main", s.main());
        if (!s.volumes().isEmpty()) m.put("volumes", s.volumes());
        if (!s.ports().isEmpty()) m.put("ports", s.ports());
        if (!s.paths().isEmpty()) {
            List<Object> paths = new ArrayList<>();
            for (PathSpec p : s.paths()) {
                Map<String, Object> pm = new TreeMap<>();
                pm.put("path", p.path());
                pm.put("type", p.type().id());
                pm.put("owner", p.owner());
                if (p.mode() != null) pm.put("mode", String.format("%04o", p.mode()));
                if (p.target() != null) pm.put("target", p.target());
                paths.add(pm);
            }
            m.put("paths", paths);
        }
        if (!s.trim().trim().isEmpty()) m.put("trim", s.trim().trim());
        if (!s.trim().keep().isEmpty()) m.put("keep", s.trim().keep());
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render definition " + s.name() + " as JSON", e);
        }
    }
}
